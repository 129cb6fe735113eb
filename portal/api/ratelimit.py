"""Rate limiting per API token: at most API_RATE_PER_MINUTE requests in each minute.

A fixed window of one minute per token: simple to explain in the API description ("n per
calendar minute"), one counter per token and minute. With REDIS_URL the count is kept in Redis
(INCR and EXPIRE in one transaction), so that every process of the deployment shares it;
without, each process counts for itself (one process: the limit as configured; several: at
most that many times more). Over the limit, the request is answered 429 with Retry-After (the
seconds until the next minute) and problem details, before the token's use is recorded.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any, Protocol
from uuid import UUID

from redis.asyncio import Redis

from portal.api.problems import ApiProblem
from portal.clock import timestamp

WINDOW = 60  # seconds
KEY_PREFIX = "portal_api_rate:"  # the namespace the other stores use (portal_sessions:…)


class Counter(Protocol):
    async def hit(self, key: str, window: int) -> int:
        """Count one request under `key` (a token's minute); the count so far."""
        ...  # pragma: no cover

    async def close(self) -> None: ...  # pragma: no cover


class MemoryCounter:
    """The counts of this process; a minute's keys are dropped once the next minute starts."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.minute = -1

    async def hit(self, key: str, window: int) -> int:
        if window != self.minute:
            self.counts.clear()
            self.minute = window
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]

    async def close(self) -> None:
        self.counts.clear()


class RedisCounter:
    """The counts in Redis, shared by every process. A client per event loop: a Redis
    connection belongs to the loop that opened it (STACK-NOTES trap 5)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.clients: dict[int, Redis] = {}

    def _client(self) -> Redis:
        loop = id(asyncio.get_running_loop())
        if loop not in self.clients:
            self.clients[loop] = Redis.from_url(self.url)
        return self.clients[loop]

    async def hit(self, key: str, window: int) -> int:
        async with self._client().pipeline(transaction=True) as pipe:
            # Kept two windows: a clock a little behind another process's still finds it.
            pipe.incr(KEY_PREFIX + key)
            pipe.expire(KEY_PREFIX + key, 2 * WINDOW)
            count, _ok = await pipe.execute()
        return int(count)

    async def close(self) -> None:
        """Close the running loop's client (those of loops gone are dropped with them)."""
        client = self.clients.pop(id(asyncio.get_running_loop()), None)
        self.clients.clear()
        if client is not None:
            await client.aclose()


class RateLimit:
    def __init__(self, per_minute: int, counter: Counter) -> None:
        self.per_minute = per_minute
        self.counter = counter

    async def check(self, token_id: UUID) -> None:
        """Count the request; ApiProblem 429 with Retry-After when the token is over its limit."""
        moment = timestamp()
        window = int(moment // WINDOW)
        count = await self.counter.hit(f"{token_id}:{window}", window)
        if count > self.per_minute:
            wait = max(1, math.ceil((window + 1) * WINDOW - moment))
            raise ApiProblem(
                429,
                headers={
                    "Retry-After": str(wait),
                    "RateLimit-Limit": str(self.per_minute),
                    "RateLimit-Remaining": "0",
                },
            )


def rate_limit_of(app: Any) -> RateLimit:
    """The app's limiter, made from its settings on the first API request."""
    state = app.state
    if "api_rate_limit" not in state:
        settings = state["settings"]
        counter: Counter = MemoryCounter()
        if settings.redis_url:
            counter = RedisCounter(settings.redis_url)
            app.on_shutdown.append(counter.close)
        state["api_rate_limit"] = RateLimit(settings.api_rate_per_minute, counter)
    return state["api_rate_limit"]  # type: ignore[no-any-return]
