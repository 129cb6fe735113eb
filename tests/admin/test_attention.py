"""Needs attention, the console's home: counts, the oldest case, links; constant queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.accounts.tables import OrgKind, OrgStatus, Role
from portal.clock import today
from portal.placements.tables import FollowUp, Placement
from tests.admin.board_data import bulk_placements
from tests.conftest import run
from tests.factories import login, make_org, make_slot, make_user


@pytest.fixture
def district():
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    return {
        "employer": employer,
        "agency": agency,
        "alice": make_user(agency, Role.case_manager, name="Alice Fallmanagerin"),
        "slot": make_slot(employer, places=50),
    }


def _set(ids, **values):
    run(Placement.update({getattr(Placement, k): v for k, v in values.items()}).where(
        Placement.id.is_in(ids)))  # fmt: skip


def row_of(html, key):
    found = re.search(rf'id="attention-{key}".*?</tr>', html, re.S)
    assert found, key
    return found.group(0)


def count_of(html, key):
    return int(re.search(r'attention__count">(\d+)<', row_of(html, key)).group(1))


def test_it_counts_what_waits_too_long_with_the_oldest_age(client, operator, district):
    d = district
    add = lambda n, **kw: bulk_placements(  # noqa: E731
        n, slot=d["slot"], agency=d["agency"], case_worker=d["alice"], **kw
    )
    add(3, days_ago=9)  # unanswered past the 5-day reminder limit
    add(1, days_ago=2)  # not yet
    add(2, states=("accepted",), days_ago=4)
    soon = add(1, states=("preparing",))
    _set(soon, start_date=today() + dt.timedelta(days=3), end_date=today() + dt.timedelta(days=9))
    later = add(1, states=("preparing",))
    _set(later, start_date=today() + dt.timedelta(days=20))
    ended = add(1, states=("in_progress",))
    _set(ended, end_date=today() - dt.timedelta(days=1))
    done = add(1, states=("outcome",))
    run(FollowUp.insert(FollowUp(placement=done[0], months=3,
                                 due_on=today() - dt.timedelta(days=2))))  # fmt: skip
    make_slot(d["employer"], start_date=today() + dt.timedelta(days=1),
              end_date=today() + dt.timedelta(days=10))  # fmt: skip
    make_org(OrgKind.employer, name="Neue Firma", status=OrgStatus.pending)
    login(client, operator.email)
    response = client.get("/admin")
    assert response.status_code == 200
    html = response.text
    assert count_of(html, "unanswered") == 3 and "9 Tage" in row_of(html, "unanswered")
    assert count_of(html, "no_start") == 2 and "4 Tage" in row_of(html, "no_start")
    assert count_of(html, "checklist") == 1
    assert count_of(html, "evaluation") == 1
    assert count_of(html, "follow_up") == 1
    assert count_of(html, "slots") == 1
    assert count_of(html, "response") == 1 and "Metallbau Kassel GmbH" in row_of(html, "response")
    assert count_of(html, "approvals") == 1
    assert 'href="/admin/placements?need=unanswered"' in row_of(html, "unanswered")
    board = client.get("/admin/placements?need=unanswered")
    assert board.text.count('<li class="board-card') == 3


def test_only_operator_admins_see_it(client, district):
    login(client, district["alice"].email)
    assert client.get("/admin").status_code == 403


def test_it_runs_the_same_number_of_queries_for_10_and_200_placements(
    client, operator, district, queries
):
    d = district
    login(client, operator.email)
    counted = []
    for n in (10, 190):
        bulk_placements(n, slot=d["slot"], agency=d["agency"], case_worker=d["alice"],
                        states=("proposed", "accepted", "preparing", "in_progress"),
                        days_ago=10)  # fmt: skip
        queries.clear()
        assert client.get("/admin").status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1]
