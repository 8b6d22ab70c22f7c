"""Base of the trainee's desks: each desk forwards named actions to the session's backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.session.session import Session


class Desk:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _call(self, action_name: str, **payload: Any) -> Any:
        return self._session._backend.call(action_name, payload)
