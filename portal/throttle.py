"""Login throttling per account and per address, on the shared store.

After `limit` failures within the window, further attempts wait until the window has passed:
a clear message and a wait, never a permanent lock that an attacker could inflict on the owner.
Keys are hashed: the store holds no e-mail addresses.
"""

from __future__ import annotations

import hashlib
import json

from litestar.stores.base import Store

from portal import clock

MAIL_PER_RECIPIENT = 3
MAIL_PER_ADDRESS = 10
# Wrong or dead e-mail links (placements/links.py) from one address within the window.
LINK_FAILURES_PER_ADDRESS = 10


class LoginThrottle:
    def __init__(
        self, store: Store, *, per_account: int, per_address: int, window_seconds: int
    ) -> None:
        self.store = store
        self.limits = {"account": per_account, "address": per_address}
        self.window = window_seconds

    @staticmethod
    def _key(kind: str, value: str) -> str:
        return f"{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]}"

    async def _read(self, key: str) -> dict[str, float]:
        raw = await self.store.get(key)
        return json.loads(raw) if raw else {"n": 0, "first": clock.timestamp()}

    async def wait_seconds(self, email: str, address: str) -> int:
        """0 when a login may be tried now, otherwise how long to wait."""
        wait = 0.0
        for kind, value in (("account", email), ("address", address)):
            entry = await self._read(self._key(kind, value))
            if entry["n"] >= self.limits[kind]:
                wait = max(wait, entry["first"] + self.window - clock.timestamp())
        return max(0, int(wait + 0.999))

    async def _count(self, key: str, entry: dict[str, float]) -> None:
        entry["n"] += 1
        remaining = max(1, int(entry["first"] + self.window - clock.timestamp()))
        await self.store.set(key, json.dumps(entry), expires_in=remaining)

    async def failed(self, email: str, address: str) -> None:
        for kind, value in (("account", email), ("address", address)):
            key = self._key(kind, value)
            await self._count(key, await self._read(key))

    async def mail_allowed(self, email: str, address: str) -> int:
        """Count one request that sends mail to `email`; seconds to wait when over the limit.

        Registration and password reset mail whatever address is typed in: without a limit the
        forms could flood someone's mailbox. The limit holds whether or not an account exists.
        """
        wait = 0.0
        checks = (
            ("mail-to", email, MAIL_PER_RECIPIENT),
            ("mail-from", address, MAIL_PER_ADDRESS),
        )
        entries = []
        for kind, value, limit in checks:
            key = self._key(kind, value)
            entry = await self._read(key)
            if entry["n"] >= limit:
                wait = max(wait, entry["first"] + self.window - clock.timestamp())
            entries.append((key, entry))
        if wait:
            return max(1, int(wait + 0.999))
        for key, entry in entries:
            await self._count(key, entry)
        return 0

    async def link_wait(self, address: str) -> int:
        """0 when an e-mail link may be tried from `address` now, otherwise how long to wait.

        The links' secrets cannot be guessed; the limit keeps anyone from trying at speed."""
        entry = await self._read(self._key("link-from", address))
        if entry["n"] < LINK_FAILURES_PER_ADDRESS:
            return 0
        return max(1, int(entry["first"] + self.window - clock.timestamp() + 0.999))

    async def link_refused(self, address: str) -> None:
        key = self._key("link-from", address)
        await self._count(key, await self._read(key))

    async def clear_account(self, email: str) -> None:
        await self.store.delete(self._key("account", email))
