"""The gradebook: every attempt, action, stage score and report, in SQLite or PostgreSQL.

- store.py      the `Gradebook` API (what the platform, class mode and the CLI call)
- recording.py  keeping a trainee's attempt in a gradebook and resuming it by replay
- models.py     the tables, as the code uses them today
- database.py   where a gradebook lives; connections, and one writer at a time on SQLite
- migrate.py    creating and upgrading the tables (Alembic; revisions in migrations/versions)
- errors.py     `GradebookError`
"""
