"""The statistics' summary: maintained with every placement event, rebuilt equal from them."""

from __future__ import annotations

import random

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates.privacy import erase_candidate
from portal.clock import today
from portal.placements.loading import select_placement
from portal.placements.preparation import record_follow_up
from portal.placements.tables import FollowUp
from portal.stats import summary
from portal.stats.tables import StatsSummary
from portal.storage import storage_from_settings
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import PATHS, make_placement
from tests.placements.session import as_user


def metric_totals() -> dict[tuple[str, str], int]:
    totals: dict[tuple[str, str], int] = {}
    for key, n in run(summary.stored()).items():
        totals[(key[1], key[2])] = totals.get((key[1], key[2]), 0) + n
    return totals


def random_history(seed: int) -> list[object]:
    """Placements in random states, for random candidates of two agencies at three employers."""
    rng = random.Random(seed)
    agencies = [make_org(OrgKind.case_management) for _ in range(2)]
    workers = [make_user(agency, Role.case_manager) for agency in agencies]
    employers = [make_org(OrgKind.employer) for _ in range(3)]
    bosses = [make_user(employer, Role.employer_admin) for employer in employers]
    candidates = []
    for i in range(6):
        candidate = make_candidate(agencies[i % 2], workers[i % 2], status="active")
        consent(candidate)
        candidates.append((candidate, workers[i % 2]))
    placements = []
    for _ in range(10):
        candidate, worker = rng.choice(candidates)
        e = rng.randrange(3)
        state = rng.choice(sorted(PATHS))
        placements.append(
            make_placement(
                state,
                slot=make_slot(employers[e], places=3),
                candidate=candidate,
                case_worker=worker,
                employer_user=bosses[e],
            )
        )
    return placements


@pytest.mark.parametrize("seed", [13, 2026])
def test_the_rebuild_equals_the_maintained_summary(app, seed):
    random_history(seed)
    before = run(summary.stored())
    assert sum(before.values()) >= 10
    rebuilt = run(summary.rebuild())
    assert rebuilt.equal, rebuilt
    assert run(summary.stored()) == before


def test_the_rebuild_restores_a_lost_summary_and_says_so(app, slot, candidate, alice, erik):
    make_placement("outcome", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik)
    before = run(summary.stored())
    run(StatsSummary.delete(force=True))
    rebuilt = run(summary.rebuild())
    assert not rebuilt.equal and rebuilt.differences == len(before)
    assert run(summary.stored()) == before
    assert run(summary.rebuild()).equal


def test_it_counts_each_stage_of_a_placement_once(app, slot, candidate, alice, erik):
    make_placement("outcome", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik)
    totals = metric_totals()
    for stage in ("nominated", "accepted", "started", "completed"):
        assert totals[(stage, "")] == 1
    assert totals[("outcome", "hired")] == 1
    # The waiting times are counted once per candidate.
    for duration in ("days_nomination", "days_internship", "days_hire"):
        assert totals[(duration, "")] == 1


def test_it_counts_the_first_nomination_of_a_candidate_only(app, employer, candidate, alice, erik):
    for _ in range(2):
        make_placement(
            "declined",
            slot=make_slot(employer),
            candidate=candidate,
            case_worker=alice,
            employer_user=erik,
        )
    totals = metric_totals()
    assert totals[("nominated", "")] == 2
    assert totals[("declined", "dates")] == 2
    assert totals[("days_nomination", "")] == 1


def test_it_counts_a_follow_up(client, slot, candidate, alice, erik):
    placement = make_placement(
        "outcome", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    run(FollowUp.update({FollowUp.due_on: today()}).where(FollowUp.placement == placement))
    row = run(select_placement(placement))
    run(record_follow_up(as_user(alice), row, 6, "employed", address=""))
    assert metric_totals()[("follow_up_6", "employed")] == 1
    assert run(summary.rebuild()).equal


def test_erasing_the_person_changes_no_figure(app, settings, slot, candidate, alice, erik):
    make_placement("outcome", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik)
    before = run(summary.stored())
    assert run(erase_candidate(candidate.id, storage_from_settings(settings))) is True
    assert run(summary.stored()) == before
    assert run(summary.rebuild()).equal


def test_it_keeps_no_identity(app, slot, candidate, alice, erik):
    make_placement("outcome", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik)
    columns = {column._meta.name for column in StatsSummary._meta.columns}
    assert not columns & {"candidate", "placement", "user", "case_manager", "code"}
