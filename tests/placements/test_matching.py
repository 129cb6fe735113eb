"""Matching in the database: the ranking of both directions and why each result fits."""

from __future__ import annotations

from typing import Any

import pytest

from portal.candidates.access import caseload_where
from portal.candidates.tables import Candidate
from portal.clock import today
from portal.employers.tables import Slot
from portal.i18n import format_date, set_language
from portal.placements import matching
from tests.conftest import run
from tests.factories import make_municipality
from tests.placements.matching_factories import days, offer, person
from tests.placements.session import as_user


@pytest.fixture(autouse=True)
def english() -> Any:
    """The explanations in English (German is the default; the views test it)."""
    set_language("en")
    yield
    set_language("de")


def candidate_row(candidate: Any) -> dict[str, Any]:
    return run(Candidate.select().where(Candidate.id == candidate.id).first())


def ranked(candidate: Any) -> list[dict[str, Any]]:
    row = candidate_row(candidate)
    return run(matching.slots_for_candidate(row, today=today(), number=1)).rows


def why(candidate: Any, part: str) -> dict[str, tuple[bool, str]]:
    """Slot title → (met, text) of the explanation's `part`."""
    found = {}
    for row in ranked(candidate):
        lines = [reason for reason in row["reasons"] if reason.part == part]
        found[row["title"]] = (lines[0].met, lines[0].text) if lines else None
    return found


def test_it_ranks_slots_by_occupation_level_desired_before_experience(
    app: Any, employer: Any, agency: Any, alice: Any
) -> None:
    candidate = person(agency, alice, desired=("24412",), experience=("51311",))
    for title, code in [
        ("field, experience", "51201"),
        ("nothing", "62102"),
        ("code, desired", "24412"),
        ("group, experience", "51312"),
        ("field, desired", "24202"),
        ("code, experience", "51311"),
        ("group, desired", "24422"),
    ]:
        offer(employer, title, occupation=code)

    rows = ranked(candidate)

    assert [row["title"] for row in rows] == [
        "code, desired",
        "code, experience",
        "group, desired",
        "group, experience",
        "field, desired",
        "field, experience",
        "nothing",
    ]
    lines = why(candidate, "occupation")
    assert lines["code, desired"] == (
        True,
        "Occupation matches 24412 (Berufe im Metallbau – fachlich ausgerichtete Tätigkeiten)",
    )
    assert lines["code, experience"][1].startswith("Training or experience in 51311 (")
    assert lines["group, desired"] == (
        True,
        "Desired occupation in the same group 244 (Metallbau und Schweißtechnik)",
    )
    assert lines["field, experience"][1].startswith("Training or experience in the same field 51")
    assert lines["nothing"] == (
        False,
        "No occupation in the field 62 (Verkaufsberufe)",
    )


def test_it_explains_german_against_the_minimum_and_ranks_below_low(
    app: Any, employer: Any, agency: Any, alice: Any
) -> None:
    candidate = person(agency, alice, german_level="B1")
    offer(employer, "none")
    offer(employer, "A2", min_german="A2")
    offer(employer, "C1", min_german="C1")

    assert [row["title"] for row in ranked(candidate)][-1] == "C1"
    assert why(candidate, "german") == {
        "none": (True, "No German level required"),
        "A2": (True, "German B1 ≥ A2 required"),
        "C1": (False, "German B1 < C1 required"),
    }


def test_it_notes_a_german_course_and_an_unknown_level(
    app: Any, employer: Any, agency: Any, alice: Any
) -> None:
    learner = person(agency, alice, german_level="A1", german_in_course=True)
    unknown = person(agency, alice)
    offer(employer, "B1", min_german="B1")

    assert why(learner, "german")["B1"] == (
        False,
        "German A1 < B1 required (in a German course)",
    )
    assert why(unknown, "german")["B1"] == (False, "German level unknown, B1 required")
    # The course softens the penalty: the learner ranks above a candidate without one.
    assert ranked(learner)[0]["score"] > ranked(unknown)[0]["score"]


def test_it_explains_whether_the_municipality_is_reachable(
    app: Any, employer: Any, agency: Any, alice: Any
) -> None:
    kassel = make_municipality("Kassel")
    candidate = person(agency, alice, places=(kassel,))
    offer(employer, "elsewhere", municipality=make_municipality("Fulda").id)
    offer(employer, "Kassel", municipality=kassel.id)

    assert [row["title"] for row in ranked(candidate)] == ["Kassel", "elsewhere"]
    assert why(candidate, "place") == {
        "Kassel": (True, "Kassel reachable"),
        "elsewhere": (False, "Fulda not among the reachable places"),
    }


def test_it_explains_the_dates_of_fixed_and_flexible_slots(
    app: Any, employer: Any, agency: Any, alice: Any
) -> None:
    candidate = person(agency, alice, earliest_start=days(40))
    offer(employer, "fixed, too early", start_date=days(30), end_date=days(43))
    offer(employer, "fixed, later", start_date=days(50), end_date=days(63))
    window = {"flexible": True, "duration_days": 14, "start_date": days(30)}
    offer(employer, "window, room", end_date=days(60), **window)
    offer(employer, "window, too short", end_date=days(45), **window)
    anytime = person(agency, alice)

    lines = why(candidate, "dates")

    available = f"Available from {format_date(days(40))}"
    assert lines["fixed, later"] == (True, available)
    assert lines["window, room"] == (True, available)
    assert lines["fixed, too early"] == (
        False,
        f"Available only from {format_date(days(40))}, "
        f"the internship starts {format_date(days(30))}",
    )
    assert lines["window, too short"][0] is False
    assert why(anytime, "dates")["fixed, too early"] == (True, "Available now")


def test_it_explains_the_hours(app: Any, employer: Any, agency: Any, alice: Any) -> None:
    candidate = person(agency, alice, hours_per_week=20)
    offer(employer, "35", hours_per_week=35)
    offer(employer, "20", hours_per_week=20)

    assert [row["title"] for row in ranked(candidate)] == ["20", "35"]
    assert why(candidate, "hours") == {
        "20": (True, "20 hours a week possible"),
        "35": (False, "Only 20 of 35 hours a week possible"),
    }


def test_it_explains_shift_work_only_where_the_slot_needs_it(
    app: Any, employer: Any, agency: Any, alice: Any
) -> None:
    day_worker = person(agency, alice)
    shift_worker = person(agency, alice, shift_work=True)
    offer(employer, "shifts", shift_work=True)
    offer(employer, "days")

    assert why(day_worker, "shift") == {
        "days": None,
        "shifts": (False, "No shift work, the slot needs it"),
    }
    assert why(shift_worker, "shift")["shifts"] == (True, "Shift work possible")
    assert [row["title"] for row in ranked(day_worker)] == ["days", "shifts"]


def test_it_lists_only_open_current_slots_of_approved_employers(
    app: Any, employer: Any, agency: Any, alice: Any
) -> None:
    from portal.accounts.tables import OrgStatus
    from tests.factories import make_org

    candidate = person(agency, alice)
    offer(employer, "open")
    offer(employer, "draft", status="draft")
    offer(employer, "over", start_date=days(-20), end_date=days(-1))
    offer(make_org(name="Wartend GmbH", status=OrgStatus.pending), "pending employer")

    page = run(matching.slots_for_candidate(candidate_row(candidate), today=today(), number=1))

    assert page.total == 1
    assert [row["title"] for row in page.rows] == ["open"]


def test_it_ranks_the_caseload_for_a_slot_with_consent_to_show_the_profile(
    app: Any, employer: Any, agency: Any, alice: Any, bob: Any, team_lead: Any
) -> None:
    slot = offer(employer, "Schweißen", min_german="A2")
    good = person(agency, alice, german_level="B1", code="K-GOOD-01")
    weak = person(agency, alice, desired=("62102",), code="K-WEAK-01")
    person(agency, alice, scopes={"show_profile": False}, code="K-NOSHOW-1")
    person(agency, alice, status="paused", code="K-PAUSE-01")
    colleagues = person(agency, bob, code="K-BOBS-001")
    row = run(Slot.select().where(Slot.id == slot.id).first())

    def codes(user: Any) -> list[str]:
        where = caseload_where(as_user(user), shared=False)
        page = run(matching.candidates_for_slot(row, where=where, today=today(), number=1))
        return [found["code"] for found in page.rows]

    assert codes(alice) == [good.code, weak.code]
    assert codes(bob) == [colleagues.code]
    assert codes(team_lead) == [good.code, colleagues.code, weak.code]


def test_it_pages_the_ranking_and_shows_the_last_page_for_one_past_the_end(
    app: Any, employer: Any, agency: Any, alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "PER_PAGE", 2)
    candidate = candidate_row(person(agency, alice))
    for n in range(3):
        offer(employer, f"Platz {n}", start_date=days(30 + n))

    def page(number: int) -> Any:
        return run(matching.slots_for_candidate(candidate, today=today(), number=number))

    first, past = page(1), page(9)

    assert (first.total, first.pages, [r["title"] for r in first.rows]) == (
        3,
        2,
        ["Platz 0", "Platz 1"],
    )
    assert (past.number, past.total, [r["title"] for r in past.rows]) == (2, 3, ["Platz 2"])
