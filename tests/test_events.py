"""The in-process event registry (portal/events.py): announce, collect, and the fail-safe."""

from __future__ import annotations

from typing import Any

import pytest

from portal import events
from portal.events import Event, NobodyListening
from tests.conftest import run


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[Event, Any]:
    """An empty registry for this test; the process's own subscriptions are back afterwards."""
    empty: dict[Event, Any] = {}
    monkeypatch.setattr(events, "_handlers", empty)
    return empty


def test_it_raises_when_nobody_hears_an_event_that_must_be_heard(registry):
    with pytest.raises(NobodyListening, match=r"candidate\.erased"):
        run(events.announce(Event("candidate.erased"), candidate_id=1))


def test_it_raises_when_nobody_answers_a_question_that_must_be_answered(registry):
    with pytest.raises(NobodyListening):
        run(events.collect(Event("slots.placement_counts")))


def test_an_event_that_need_not_be_heard_passes_unheard(registry):
    optional = Event("page.viewed", must_be_heard=False)
    run(events.announce(optional))
    assert run(events.collect(optional)) == []


def test_it_runs_every_handler_in_the_order_they_subscribed(registry):
    heard: list[tuple[str, Any]] = []
    happened = Event("something.happened")

    async def first(**payload: Any) -> None:
        heard.append(("first", payload))

    async def second(**payload: Any) -> None:
        heard.append(("second", payload))

    events.subscribe(happened, first)
    events.subscribe(happened, second)
    run(events.announce(happened, candidate_id=7))
    assert heard == [("first", {"candidate_id": 7}), ("second", {"candidate_id": 7})]


def test_subscribing_twice_is_subscribing_once(registry):
    heard: list[int] = []
    happened = Event("something.happened")

    async def handler(**payload: Any) -> None:
        heard.append(1)

    events.subscribe(happened, handler)
    events.subscribe(happened, handler)
    run(events.announce(happened))
    assert heard == [1]
    events.unsubscribe(happened, handler)
    assert events.subscribers(happened) == []


def test_collect_gathers_every_answer(registry):
    asked = Event("something.asked")

    async def one(*, n: int) -> int:
        return n

    async def other(*, n: int) -> int:
        return n * 10

    events.subscribe(asked, one)
    events.subscribe(asked, other)
    assert run(events.collect(asked, n=3)) == [3, 30]


def test_a_failing_handler_reaches_the_announcer_and_stops_the_others(registry):
    heard: list[str] = []
    happened = Event("something.happened")

    async def failing(**payload: Any) -> None:
        raise ValueError("no")

    async def later(**payload: Any) -> None:
        heard.append("later")

    events.subscribe(happened, failing)
    events.subscribe(happened, later)
    with pytest.raises(ValueError, match="no"):
        run(events.announce(happened))
    assert heard == []
