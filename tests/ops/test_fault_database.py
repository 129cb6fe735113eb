"""PostgreSQL gone in the middle of a run of transitions (issue 14): the app answers a clean
503 page, recovers by itself once the database is back, and no transition is left half done.

The app reaches PostgreSQL through a proxy of the test (tests/ops/faults.py): cutting it is a
server restart as the app sees it (every connection dropped, new ones refused), without touching
the machine's PostgreSQL, which other runs use.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest
from litestar.testing import TestClient

from portal.app import create_app
from portal.placements.tables import Placement, PlacementEvent
from tests.conftest import ENGINE, run
from tests.factories import csrf_token, login
from tests.ops.faults import PgProxy, broken_invariants, make_world

pytestmark = pytest.mark.skipif(ENGINE != "postgres", reason="PostgreSQL only")

UNAVAILABLE = "Ein Teil des Portals ist gerade nicht erreichbar."


def through(proxy: PgProxy, url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.replace(
        f"{parts.hostname}:{parts.port or 5432}", f"127.0.0.1:{proxy.port}"
    )
    return urlunsplit(parts._replace(netloc=netloc))


def accept(client, placement_id):
    return client.post(
        f"/placements/{placement_id}/transition/accept",
        data={"_csrf_token": csrf_token(client)},
    )


def state(placement_id):
    return run(Placement.select(Placement.state).where(Placement.id == placement_id).first())[
        "state"
    ]


def events(placement_id):
    return run(PlacementEvent.count().where(PlacementEvent.placement == placement_id))


@pytest.fixture
def proxy():
    with PgProxy() as running:
        yield running


def test_it_answers_503_while_the_database_is_gone_and_recovers(app, settings, proxy):
    # `app` first: the world is made in the worker's database (tests/README.md).
    world = make_world(4, 4)
    [first, second, third, fourth] = world.placements
    app = create_app(settings.replace(database_url=through(proxy, settings.database_url)))
    with TestClient(app, base_url="http://testserver.local") as client:
        login(client, world.employer_user.email)
        assert accept(client, first).status_code == 200

        proxy.cut()
        response = accept(client, second)
        page = client.get(f"/placements/{third}")
        ready = client.get("/readyz")
        health = client.get("/healthz")

        proxy.restore()
        retried = accept(client, second)
        after = accept(client, third)
    assert response.status_code == 503
    assert UNAVAILABLE in response.text
    assert page.status_code == 503 and UNAVAILABLE in page.text
    assert ready.status_code == 503 and ready.json()["failing"] == ["database"]
    assert health.status_code == 200
    assert (retried.status_code, after.status_code) == (200, 200)
    assert [state(p) for p in world.placements] == ["accepted", "accepted", "accepted", "proposed"]
    assert broken_invariants() == []
    assert fourth


def test_it_leaves_no_half_done_transition_when_the_commit_is_cut(app, settings, proxy):
    world = make_world(2, 2)
    [first, second] = world.placements
    app = create_app(settings.replace(database_url=through(proxy, settings.database_url)))
    with TestClient(app, base_url="http://testserver.local") as client:
        login(client, world.employer_user.email)
        before = events(first)
        proxy.cut_at_commit()
        response = accept(client, first)
        assert proxy.commits_cut == 1
        # The transaction never committed: the state, its event and its mails are not there.
        assert (state(first), events(first)) == ("proposed", before)
        assert accept(client, first).status_code == 200
        assert accept(client, second).status_code == 200
    assert response.status_code == 503
    assert UNAVAILABLE in response.text
    assert (state(first), events(first)) == ("accepted", before + 1)
    assert broken_invariants() == []
