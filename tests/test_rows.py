"""The typed rows (PlacementRow, CandidateRow, SlotRow) say what the loaders really return:
the same keys, and values of the declared types, on the engine the suite runs on."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from jinja2 import meta, nodes

from portal import events
from portal.accounts.tables import OrgKind, Role
from portal.candidates.access import load_candidate
from portal.candidates.routes import Overview
from portal.candidates.rows import CandidateRow
from portal.candidates.tables import CandidateStatus
from portal.employers.rows import SlotRow
from portal.employers.slots import PLACEMENT_COUNTS, slot_of
from portal.placements import subscriptions
from portal.placements.detail import PlacementPage
from portal.placements.loading import load_placement, lock_placement
from portal.placements.rows import PlacementRow
from portal.templating import create_environment
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.placements.session import as_user


def conforms(value: Any, hint: Any) -> bool:
    """Whether `value` is of the declared type (a date is not a datetime, an int not a bool)."""
    if get_origin(hint) in (Union, types.UnionType):
        return any(conforms(value, arg) for arg in get_args(hint))
    if hint is type(None):
        return value is None
    if hint is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def mismatches(row: Mapping[str, Any], declared: Any) -> dict[str, str]:
    hints = get_type_hints(declared)
    return {
        key: f"{type(value).__name__} is not {hints[key]}"
        for key, value in row.items()
        if key in hints and not conforms(value, hints[key])
    }


@pytest.fixture
def people() -> dict[str, Any]:
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    alice = make_user(agency, Role.case_manager, name="Alice Fallmanagerin")
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    erik = make_user(employer, Role.employer_admin, name="Erik Werkstatt")
    candidate = make_candidate(
        agency, alice, occupations=("24412",), status=CandidateStatus.active, hours_per_week=30
    )
    consent(candidate)
    return {"alice": alice, "erik": erik, "candidate": candidate, "slot": make_slot(employer)}


def test_a_placement_row_has_the_declared_keys_and_types(app: Any, people: dict[str, Any]) -> None:
    # "outcome" is the end of the longest path: most of the nullable columns are filled.
    placement_id = make_placement(
        "outcome",
        slot=people["slot"],
        candidate=people["candidate"],
        case_worker=people["alice"],
        employer_user=people["erik"],
    )
    loaded = run(load_placement(as_user(people["alice"]), placement_id))
    locked = run(lock_placement(placement_id))
    assert locked is not None
    for row in (loaded, locked):
        assert set(row) == set(PlacementRow.__required_keys__)
        assert not PlacementRow.__optional_keys__
        assert mismatches(row, PlacementRow) == {}
    assert loaded["outcome_on"] is not None and loaded["started_at"] is not None


def test_a_candidate_row_has_the_declared_keys_and_types(app: Any, people: dict[str, Any]) -> None:
    row = run(load_candidate(as_user(people["alice"]), people["candidate"].id))
    assert set(row) == set(CandidateRow.__required_keys__)
    assert not CandidateRow.__optional_keys__
    assert mismatches(row, CandidateRow) == {}


def test_a_slot_row_has_the_declared_keys_and_types(app: Any, people: dict[str, Any]) -> None:
    subscriptions.subscribe()
    row = run(slot_of(as_user(people["erik"]), people["slot"].id))
    assert row is not None
    assert set(row) == set(SlotRow.__required_keys__) | set(SlotRow.__optional_keys__)
    assert SlotRow.__optional_keys__ == {"proposed", "accepted", "running"}
    assert mismatches(row, SlotRow) == {}


async def nothing_to_count() -> list[Any]:
    return []


def test_a_slot_row_has_only_the_required_keys_when_nobody_counts(
    app: Any, people: dict[str, Any]
) -> None:
    # The event must be heard, but what a subscriber adds is its own affair.
    events.unsubscribe(PLACEMENT_COUNTS, subscriptions.slot_counts)
    events.subscribe(PLACEMENT_COUNTS, nothing_to_count)
    try:
        row = run(slot_of(as_user(people["erik"]), people["slot"].id))
    finally:
        events.unsubscribe(PLACEMENT_COUNTS, nothing_to_count)
        subscriptions.subscribe()
    assert row is not None
    assert set(row) == set(SlotRow.__required_keys__)
    assert mismatches(row, SlotRow) == {}


def read_names(template: str) -> set[str]:
    """The variables `template` reads from its context: beyond the environment's globals, the
    app's (url_for, csrf_token) and the names it sets or imports itself. (Macros imported
    `with context` may read more; they are not looked into.)"""
    env = create_environment()
    assert env.loader is not None
    tree = env.parse(env.loader.get_source(env, template)[0])
    own = {
        name.name
        for node in tree.find_all((nodes.Assign, nodes.AssignBlock))
        for name in [node.target, *node.target.find_all(nodes.Name)]
        if isinstance(name, nodes.Name)
    }
    own |= {
        name if isinstance(name, str) else name[1]
        for node in tree.find_all(nodes.FromImport)
        for name in node.names
    }
    return meta.find_undeclared_variables(tree) - own - set(env.globals) - {"url_for", "csrf_token"}


@pytest.mark.parametrize(
    ("template", "declared"),
    [("placements/detail.html", PlacementPage), ("candidates/detail.html", Overview)],
)
def test_a_page_reads_only_the_declared_variables(template: str, declared: Any) -> None:
    assert read_names(template) <= set(get_type_hints(declared))
