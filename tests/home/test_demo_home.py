"""The demo district fills every section of the dashboards, for some demo account of the
role (issue 15: a section empty in the demo shows nothing of what it is for).

The stories are spread over the accounts: the metal workshop has a nomination waiting, an
intern starting within a week and a slot about to expire (demo.SLOTS, "Schnupperpraktikum"),
the warehouse an evaluation due; both agencies have an accepted placement and an incomplete
checklist, so that the team lead of the first sees every section filled too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from portal.candidates.demo import seed_candidates
from portal.candidates.tables import Candidate
from portal.demo import DEMO_PASSWORD, seed
from portal.placements.demo import seed_placements
from tests.conftest import run
from tests.factories import login
from tests.home.rows import section

ROLES = {
    "employer": (
        ("chef@metallbau.demo.portal.test", "personal@logistik.demo.portal.test"),
        ("waiting", "starting", "evaluations", "ending"),
    ),
    "case worker": (
        ("fallmanager@demo.portal.test", "beratung@demo.portal.test",
         "teamleitung@demo.portal.test"),
        ("requests", "answers", "accepted", "checklist", "closing", "cases"),
    ),
}  # fmt: skip


@pytest.fixture
def seeded(app: Any, settings: Any) -> None:
    async def demo() -> None:
        async with Candidate._meta.db.transaction():
            await seed()
            await seed_candidates(settings)
        await seed_placements()

    run(demo())


def filled(text: str, key: str) -> bool:
    html = section(text, key)
    return bool(html) and not re.search(r'class="todo__count">0<', html)


def test_the_team_lead_sees_every_section_filled(client: Any, seeded: None) -> None:
    login(client, "teamleitung@demo.portal.test", DEMO_PASSWORD)
    text = client.get("/").text
    assert [key for key in ROLES["case worker"][1] if not filled(text, key)] == []


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_section_has_something_in_the_demo(client: Any, seeded: None, role: str) -> None:
    accounts, keys = ROLES[role]
    found: set[str] = set()
    for email in accounts:
        login(client, email, DEMO_PASSWORD)
        text = client.get("/").text
        found |= {key for key in keys if filled(text, key)}
        client.cookies.clear()
    assert sorted(set(keys) - found) == []
