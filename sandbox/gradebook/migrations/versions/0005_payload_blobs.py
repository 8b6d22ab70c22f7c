"""Issue 14: each logged call's payload stored once, compressed, by its content.

`payload_blobs` holds a call's JSON, zlib-compressed, keyed by the SHA-256 of its canonical
form (sandbox/gradebook/blobs.py); an action row keeps ``call_digest`` instead of the call.
Twenty identical 2 MB submissions had made a gradebook 55 MB. Existing rows are moved over
here, so an upgraded gradebook shrinks on its next VACUUM and replays as before.

Revision ID: 0005_payload_blobs
Revises: 0004_class_calls
Create Date: 2027-01-20
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from sandbox.gradebook.blobs import CALL, CALL_DIGEST, blob_of, call_of, restored

revision: str = "0005_payload_blobs"
down_revision: str | None = "0004_class_calls"
branch_labels: str | None = None
depends_on: str | None = None

ACTIONS = sa.table("actions", sa.column("attempt_id", sa.String), sa.column("seq", sa.Integer),
                   sa.column("payload", sa.JSON))
BLOBS = sa.table("payload_blobs", sa.column("digest", sa.String), sa.column("data", sa.LargeBinary),
                 sa.column("size", sa.Integer))


def _payload(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    op.create_table(
        "payload_blobs",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
    )
    conn = op.get_bind()
    stored: set[str] = set()
    rows = conn.execute(sa.select(ACTIONS.c.attempt_id, ACTIONS.c.seq, ACTIONS.c.payload)).all()
    for attempt_id, seq, value in rows:
        payload = _payload(value)
        if not isinstance(payload, dict) or payload.get(CALL) is None:
            continue
        blob = blob_of(payload[CALL], default=str)
        if blob.digest not in stored:
            conn.execute(BLOBS.insert().values(digest=blob.digest, data=blob.data, size=blob.size))
            stored.add(blob.digest)
        kept = {k: v for k, v in payload.items() if k != CALL} | {CALL_DIGEST: blob.digest}
        conn.execute(ACTIONS.update().where(ACTIONS.c.attempt_id == attempt_id, ACTIONS.c.seq == seq)
                     .values(payload=kept))


def downgrade() -> None:
    conn = op.get_bind()
    calls = {digest: call_of(data) for digest, data in conn.execute(sa.select(BLOBS.c.digest, BLOBS.c.data))}
    for attempt_id, seq, value in conn.execute(sa.select(ACTIONS.c.attempt_id, ACTIONS.c.seq, ACTIONS.c.payload)).all():
        payload = _payload(value)
        if isinstance(payload, dict) and CALL_DIGEST in payload:
            conn.execute(ACTIONS.update().where(ACTIONS.c.attempt_id == attempt_id, ACTIONS.c.seq == seq)
                         .values(payload=restored(payload, calls)))
    op.drop_table("payload_blobs")
