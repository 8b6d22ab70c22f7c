"""How a logged call's payload is stored: once, compressed, by its content.

A call replays an attempt, so the gradebook keeps it whole; but a submission can be a table of
megabytes, and trainees send the same one again and again (a retry, a re-run notebook). So a
call is stored as one row of `payload_blobs`, keyed by the SHA-256 of its canonical JSON and
zlib-compressed; the action row keeps only that key (``call_digest``). Twenty identical 2 MB
submissions cost one compressed blob and twenty small rows.

No SQLAlchemy here: quick.py reads blobs with the standard library's sqlite3.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from typing import Any

CALL = "call"
CALL_DIGEST = "call_digest"


@dataclass(frozen=True)
class Blob:
    digest: str
    data: bytes  # zlib-compressed UTF-8 JSON
    size: int  # bytes before compression


def blob_of(call: Any, default: Any = None) -> Blob:
    """The stored form of a call (`default` makes NumPy numbers, dates … JSON, as the
    gradebook's JSON columns do)."""
    text = json.dumps(call, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default)
    raw = text.encode("utf-8")
    return Blob(hashlib.sha256(raw).hexdigest(), zlib.compress(raw, 6), len(raw))


def call_of(data: bytes) -> Any:
    return json.loads(zlib.decompress(data).decode("utf-8"))


def stored_payload(payload: dict[str, Any], blob: Blob) -> dict[str, Any]:
    """The action row's payload: the call replaced by its blob's digest."""
    return {k: v for k, v in payload.items() if k != CALL} | {CALL_DIGEST: blob.digest}


def digests_in(payloads: list[Any]) -> set[str]:
    return {p[CALL_DIGEST] for p in payloads if isinstance(p, dict) and isinstance(p.get(CALL_DIGEST), str)}


def restored(payload: Any, calls: dict[str, Any]) -> Any:
    """An action row's payload as it was logged (the call back in place of its digest)."""
    if not isinstance(payload, dict) or CALL_DIGEST not in payload:
        return payload
    out = {k: v for k, v in payload.items() if k != CALL_DIGEST}
    out[CALL] = calls.get(payload[CALL_DIGEST])
    return out
