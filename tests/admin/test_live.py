"""Live updates: a change of a placement reaches the topics that show it, in-process or through
Redis pub/sub; the streams say only that something changed."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import redis

from portal import live
from portal.accounts.tables import OrgKind, Role
from portal.app import create_app
from tests.conftest import run
from tests.factories import csrf_token, login, make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement


def test_the_memory_hub_tells_the_listeners_of_a_topic_only():
    async def scenario() -> list[Any]:
        hub = live.MemoryHub()
        console, other = hub.listen("console"), hub.listen("employer:x")
        first = asyncio.ensure_future(console.__anext__())
        second = asyncio.ensure_future(other.__anext__())
        await asyncio.sleep(0)
        await hub.publish(["console"])
        got = await asyncio.wait_for(first, 1)
        await asyncio.sleep(0.01)
        heard_other = second.done()
        second.cancel()
        await console.aclose()
        return [got, heard_other]

    # On the worker's loop: a browser test before may leave a loop running in this thread.
    assert run(scenario()) == ["changed", False]


@pytest.mark.parametrize("url", ["/admin/live"])
def test_the_stream_opens_with_a_comment_and_says_nothing_else(client, operator, url):
    login(client, operator.email)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text.strip().splitlines() == [": connected", "retry: 3000"]


def test_employers_and_case_managers_get_no_console_stream(client):
    erik = make_user(make_org(OrgKind.employer), Role.employer_admin)
    login(client, erik.email)
    assert client.get("/admin/live").status_code == 403
    assert client.get("/nominations/live").status_code == 200


@pytest.fixture
def redis_settings(settings: Any, redis_url: str) -> Any:
    return settings.replace(redis_url=redis_url)


def test_a_change_is_published_through_redis_to_the_topics_that_show_it(redis_settings):
    from litestar.testing import TestClient

    app = create_app(redis_settings)
    employer = make_org(OrgKind.employer)
    agency = make_org(OrgKind.case_management)
    alice = make_user(agency, Role.case_manager)
    erik = make_user(employer, Role.employer_admin)
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    candidate = make_candidate(agency, alice, status="active")
    consent(candidate)
    placement = make_placement("proposed", slot=make_slot(employer), candidate=candidate,
                               case_worker=alice, employer_user=erik)  # fmt: skip
    subscriber = redis.Redis.from_url(redis_settings.redis_url).pubsub()
    topics = ["console", f"agency:{agency.id}", f"employer:{employer.id}"]
    subscriber.subscribe(*(live.CHANNEL_PREFIX + topic for topic in topics))
    with TestClient(app, base_url="http://testserver.local") as client:
        login(client, operator.email)
        data = {"_csrf_token": csrf_token(client)}
        url = f"/admin/placements/{placement}/flag"
        response = client.post(url, data=data, follow_redirects=False)
        assert response.status_code == 303
    heard: dict[str, str] = {}
    deadline = time.monotonic() + 2
    while len(heard) < 3 and time.monotonic() < deadline:
        message = subscriber.get_message(ignore_subscribe_messages=True, timeout=0.2)
        if message:
            heard[message["channel"].decode()] = message["data"].decode()
    subscriber.close()
    assert heard == {live.CHANNEL_PREFIX + topic: "changed" for topic in topics}
