"""A PostgreSQL gradebook on a schema of its own: for test workers, benchmarks and scratch runs
that share one database without seeing or dropping each other's tables."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


def url_on_schema(url: str, schema: str) -> str:
    """The same database with `schema` first on the search path."""
    scoped = sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False)


def create_schema(url: str, schema: str, *, empty_first: bool = False) -> str:
    """Create `schema` (dropping any earlier one of that name when `empty_first`); its URL."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            if empty_first:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()
    return url_on_schema(url, schema)


def drop_schema(url: str, schema: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


@contextmanager
def scratch_schema(url: str, prefix: str) -> Iterator[str]:
    """A URL on a new schema named `<prefix>_<random>`, dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    scoped = create_schema(url, schema)
    try:
        yield scoped
    finally:
        drop_schema(url, schema)
