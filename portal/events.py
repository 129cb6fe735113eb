"""In-process events: a lower layer announces what happened, a higher one acts on it.

Dependencies run one way (the layers contract in pyproject.toml): the candidates may not
import the placements, yet withdrawing consent must withdraw the open placements and erasing
a person must blank their free text. So the candidates announce (`await
announce(CONSENT_WITHDRAWN, …)`) and the placements subscribe
(portal/placements/subscriptions.py). A lower layer that needs something read from above (the
employers' evaluations on a profile) asks with `collect`, and every subscriber answers.

Handlers are awaited one after the other, in the announcer's task and inside its transaction:
what they write commits or rolls back with the announcer's change, and an exception of a
handler reaches the announcer. An event that must be heard raises NobodyListening when
nothing subscribed — a process that forgot to load the subscriptions (every entry point calls
`portal.placements.subscriptions.subscribe()`) must not erase a person and silently keep their
placements' notes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class Event:
    """An event is declared by the module that announces it; `name` is for people and logs."""

    name: str
    must_be_heard: bool = True


class NobodyListening(RuntimeError):
    """An event that must be heard was announced, but nothing subscribed to it."""


_handlers: dict[Event, list[Handler]] = {}


def subscribe(event: Event, handler: Handler) -> None:
    """Call `handler(**payload)` on every announcement of `event`; subscribing twice is once."""
    handlers = _handlers.setdefault(event, [])
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(event: Event, handler: Handler) -> None:
    handlers = _handlers.get(event, [])
    if handler in handlers:
        handlers.remove(handler)


def subscribers(event: Event) -> list[Handler]:
    return list(_handlers.get(event, []))


def _listening(event: Event) -> list[Handler]:
    handlers = subscribers(event)
    if not handlers and event.must_be_heard:
        raise NobodyListening(
            f"nothing subscribed to {event.name!r}: load the subscriptions at start-up"
        )
    return handlers


async def announce(event: Event, **payload: Any) -> None:
    """Run every handler of `event`, in the order they subscribed, in the caller's transaction."""
    for handler in _listening(event):
        await handler(**payload)


async def collect(event: Event, **payload: Any) -> list[Any]:
    """Every handler's answer to `event`, in the order they subscribed."""
    return [await handler(**payload) for handler in _listening(event)]
