"""Server-side sessions on a Litestar store (files on disk by default, Redis when configured).

Written here rather than with Litestar's session middleware because we need what it does not do:
a session exists only after login (anonymous requests leave nothing in the store), its id is new
at every login, it ends after an idle and an absolute timeout, and it ends when the user's
password changes or the user is deactivated.

The cookie holds a random id; the store key is its SHA-256, so that a listing of the store does
not hand out valid cookies.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from litestar.stores.base import Store

from portal import clock

COOKIE_NAME = "portal_session"
# The idle expiry is renewed in the store at most this often, not on every request.
TOUCH_INTERVAL_SECONDS = 60


@dataclass
class Session:
    """The session of one request: its data and what must happen to it when the response starts."""

    id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False
    new: bool = False
    ended: bool = False
    ended_id: str | None = None

    @property
    def user_id(self) -> str | None:
        return self.data.get("uid") if self.id else None

    def flash(self, message: str, category: str = "success") -> None:
        """Keep a message for the next page; needs a session (a logged-in user)."""
        if not self.id:
            return
        self.data.setdefault("flash", []).append([category, message])
        self.dirty = True

    def pop_flashes(self) -> list[tuple[str, str]]:
        messages = self.data.pop("flash", None)
        if not messages:
            return []
        self.dirty = True
        return [(category, message) for category, message in messages]


class SessionManager:
    def __init__(self, store: Store, *, idle_seconds: int, absolute_seconds: int) -> None:
        self.store = store
        self.idle_seconds = idle_seconds
        self.absolute_seconds = absolute_seconds

    @staticmethod
    def _key(session_id: str) -> str:
        return hashlib.sha256(session_id.encode()).hexdigest()

    async def load(self, session_id: str | None) -> Session:
        """The session for a cookie value; an empty one when unknown, idle or too old."""
        if not session_id or len(session_id) > 100:
            return Session()
        raw = await self.store.get(self._key(session_id))
        if raw is None:
            return Session()
        try:
            data = json.loads(raw)
        except ValueError:
            return Session()
        now = clock.timestamp()
        if now - data.get("created", 0) > self.absolute_seconds:
            await self.store.delete(self._key(session_id))
            return Session()
        session = Session(id=session_id, data=data)
        if now - data.get("seen", 0) > TOUCH_INTERVAL_SECONDS:
            data["seen"] = now
            session.dirty = True
        return session

    def start(self, session: Session, user_id: str, fingerprint: str) -> None:
        """Log in: always a new id (the old one, if any, is ended), so a planted id is useless."""
        if session.id:
            session.ended_id = session.id
        now = clock.timestamp()
        session.id = secrets.token_urlsafe(32)
        session.data = {"uid": user_id, "fp": fingerprint, "created": now, "seen": now}
        session.new = session.dirty = True
        session.ended = False

    def end(self, session: Session) -> None:
        if session.id:
            session.ended_id = session.id
        session.id = None
        session.data = {}
        session.ended = True
        session.dirty = False

    async def persist(self, session: Session) -> None:
        """Write what changed; called as the response starts."""
        if session.ended_id:
            await self.store.delete(self._key(session.ended_id))
        if session.id and session.dirty:
            remaining = self.absolute_seconds - (clock.timestamp() - session.data["created"])
            expires = max(1, int(min(self.idle_seconds, remaining)))
            await self.store.set(
                self._key(session.id), json.dumps(session.data), expires_in=expires
            )
