"""Live updates: "something changed here" to the browsers that show it (server-sent events).

A change of a placement is announced by the placements (`PLACEMENT_CHANGED`, portal.events);
the app collects the announcements of a request and, once the request is done (its transaction
committed), publishes one message per topic to the hub: "console" (the operator's board and
attention list), "agency:<id>" (a team lead's board), "employer:<id>" (an employer's inbox).
The browsers subscribed to a topic re-fetch what they show (static/js/live.js).

A message says only that something changed — no id, no code, no name — so a stream reveals
nothing to a reader beyond its own topic. The hub is in-process (one worker) or Redis pub/sub
when REDIS_URL is set (several workers, each with its own subscribers).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import AsyncIterator, Iterable
from typing import Any, Protocol

from litestar.response import ServerSentEvent, ServerSentEventMessage
from redis.asyncio import Redis

from portal.events import Event

# Announced with placement_id= after a placement was created or changed (inside its
# transaction); nobody listening (the worker, the command line) is fine.
PLACEMENT_CHANGED = Event("placement.changed", must_be_heard=False)
CHANNEL_PREFIX = "portal:live:"
MESSAGE = "changed"
# A stream sends a comment this often, so that a closed connection is noticed.
KEEPALIVE_SECONDS = 15.0

# The placements changed during the current request (set by the app around each request).
_changed: contextvars.ContextVar[set[Any] | None] = contextvars.ContextVar(
    "live_changed", default=None
)


class Hub(Protocol):
    async def publish(self, topics: Iterable[str]) -> None: ...

    def listen(self, topic: str) -> AsyncIterator[str | None]: ...

    async def close(self) -> None: ...


class MemoryHub:
    """Subscribers of this process: one queue each."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[str]]] = {}

    async def publish(self, topics: Iterable[str]) -> None:
        for topic in topics:
            for queue in list(self._queues.get(topic, ())):
                queue.put_nowait(MESSAGE)

    async def listen(self, topic: str) -> AsyncIterator[str | None]:
        """Each message of `topic`; None every KEEPALIVE_SECONDS without one."""
        queue: asyncio.Queue[str] = asyncio.Queue()
        self._queues.setdefault(topic, set()).add(queue)
        try:
            while True:
                try:
                    yield await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield None
        finally:
            self._queues[topic].discard(queue)

    async def close(self) -> None:
        self._queues.clear()


class RedisHub:
    """Redis pub/sub: every worker's subscribers hear every worker's changes."""

    def __init__(self, url: str) -> None:
        self._redis = Redis.from_url(url)

    async def publish(self, topics: Iterable[str]) -> None:
        for topic in topics:
            await self._redis.publish(CHANNEL_PREFIX + topic, MESSAGE)

    async def listen(self, topic: str) -> AsyncIterator[str | None]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(CHANNEL_PREFIX + topic)
        try:
            while True:
                message = await pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=KEEPALIVE_SECONDS
                )
                yield MESSAGE if message is not None else None
        finally:
            with contextlib.suppress(Exception):
                await pubsub.unsubscribe()
                await pubsub.aclose()

    async def close(self) -> None:
        await self._redis.aclose()


def create_hub(redis_url: str) -> Hub:
    return RedisHub(redis_url) if redis_url else MemoryHub()


def stream(hub: Hub, topic: str, seconds: int) -> ServerSentEvent:
    """The server-sent events of `topic` for `seconds`: "placement" on each change, a comment
    to keep the connection alive; the browser reconnects by itself after `retry` ms."""

    async def events() -> AsyncIterator[ServerSentEventMessage]:
        yield ServerSentEventMessage(comment="connected", data=None, retry=3000)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        if seconds == 0:
            return
        async for message in hub.listen(topic):
            if loop.time() >= deadline:
                return
            if message is None:
                yield ServerSentEventMessage(comment="keep-alive", data=None)
            else:
                yield ServerSentEventMessage(event="placement", data=message)

    return ServerSentEvent(events(), headers={"Cache-Control": "no-store"})


# -- collecting a request's changes ------------------------------------------------------------


def start_collecting() -> contextvars.Token[set[Any] | None]:
    return _changed.set(set())


def collected(token: contextvars.Token[set[Any] | None]) -> set[Any]:
    found = _changed.get() or set()
    _changed.reset(token)
    return found


async def note_change(placement_id: Any) -> None:
    """PLACEMENT_CHANGED's handler: remember the placement for the end of the request."""
    changed = _changed.get()
    if changed is not None:
        changed.add(placement_id)
