"""The demo district's statistics: a past year of events, so that figures show, not only `*`."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.candidates.demo import seed_candidates
from portal.candidates.tables import Candidate, CandidateIdentity
from portal.clock import today
from portal.demo import DEMO_PASSWORD, seed
from portal.placements.demo import seed_placements
from portal.stats import summary
from portal.stats.demo import PREFIX, seed_history
from tests.conftest import run
from tests.factories import login


@pytest.fixture
def seeded(app, settings):
    async def demo():
        async with Candidate._meta.db.transaction():
            await seed()
            await seed_candidates(settings)
        await seed_placements()
        added = await seed_history()
        await summary.rebuild()
        return added

    return run(demo())


def last_year() -> str:
    end = today()
    return f"period=custom&start={(end - dt.timedelta(days=364)).isoformat()}&end={end.isoformat()}"


def signs(client, url):
    data = client.get(url).json()
    return [c["sign"] for t in data["tables"] for r in t["rows"] for c in r["cells"]]


def test_the_demo_dashboard_shows_figures(client, seeded):
    assert seeded > 100
    login(client, "controlling@landkreis.demo.portal.test", DEMO_PASSWORD)
    # The last twelve months (a calendar year is empty on the first of January).
    year = signs(client, f"/statistics/figures.json?{last_year()}")
    numbers = [s for s in year if s.isdigit()]
    assert len(numbers) >= 30, year
    assert "*" in year  # and the small cells are still suppressed
    page = client.get("/statistics?period=quarter&by=municipality")
    assert page.status_code == 200 and 'data-sign="*"' in page.text
    # A chamber sees its members' figures (the demo's seeding is slow: one test for all).
    client.cookies.clear()
    login(client, "statistik@ihk.demo.portal.test", DEMO_PASSWORD)
    members = signs(client, f"/statistics/figures.json?{last_year()}")
    assert any(s.isdigit() and int(s) >= 3 for s in members)
    # The history holds no identity, and is made once.
    history = run(Candidate.select(Candidate.id).where(Candidate.code.like(f"{PREFIX}%")))
    assert len(history) == seeded
    ids = [row["id"] for row in history]
    assert run(CandidateIdentity.count().where(CandidateIdentity.candidate.is_in(ids))) == 0
    assert run(seed_history()) == 0
    assert run(summary.rebuild(write=False)).equal
