"""For every pytest run (tests and notebooks): a fresh, private home for gradebooks, so that
notebooks that keep a trainee's work start afresh and never touch the developer's own."""

from __future__ import annotations

import os
import tempfile

os.environ["SANDBOX_HOME"] = tempfile.mkdtemp(prefix="sandbox-home-")
