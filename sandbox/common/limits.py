"""Limits the class server and its clients agree on (no heavy imports: the CLI reads them too)."""

from __future__ import annotations

# The largest request body the class server reads, in MB (`sandbox serve --max-body-mb`); a
# client checks its own requests against it before uploading anything.
DEFAULT_MAX_BODY_MB = 20
