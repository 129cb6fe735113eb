"""The demo's placements: every state, made through the machine, dated into the past, once."""

import datetime as dt

import pytest

from portal.audit import chain
from portal.audit.tables import AuditEvent
from portal.candidates.demo import DEMO_CANDIDATES, seed_candidates
from portal.candidates.pii import find_personal_data
from portal.candidates.tables import Candidate, CandidateIdentity
from portal.clock import now, today
from portal.demo import seed
from portal.employers.tables import Slot
from portal.notifications.tables import OutboxMessage
from portal.placements.demo import seed_placements, summary
from portal.placements.tables import (
    HOLDING_STATES,
    ChecklistItem,
    Evaluation,
    FollowUp,
    Message,
    Placement,
    PlacementEvent,
    PlacementState,
)
from tests.conftest import run
from tests.factories import vault

S = PlacementState


@pytest.fixture
def seeded(app, settings):
    async def demo():
        # One transaction (one connection) for the district and its candidates: faster.
        async with Candidate._meta.db.transaction():
            await seed()
            await seed_candidates(settings)
        return await seed_placements()

    return run(demo())


def placements(*conditions):
    query = Placement.select(
        *Placement.all_columns(),
        Placement.candidate.code.as_alias("code"),
        Placement.slot.title.as_alias("slot_title"),
        Placement.slot.start_date.as_alias("slot_start"),
        Placement.slot.end_date.as_alias("slot_end"),
        Placement.slot.places.as_alias("places"),
    )
    return run(query.where(*conditions) if conditions else query)


def table_counts():
    tables = (Placement, PlacementEvent, ChecklistItem, Evaluation, FollowUp, Message, Slot)
    return [run(table.count()) for table in (*tables, OutboxMessage, AuditEvent)]


def test_every_state_has_a_placement(seeded):
    rows = placements()
    states = [row["state"] for row in rows]
    assert {state.value for state in S} <= set(states)
    assert seeded == {state.value: states.count(state.value) for state in S}
    assert states.count("proposed") == 2 and states.count("preparing") == 2
    assert summary(seeded).startswith("1 requested, 2 proposed, 1 accepted")
    # Every step through the machine: an event per change, and its audit row.
    events = run(PlacementEvent.count())
    assert events >= 3 * len(rows)
    assert run(AuditEvent.count().where(AuditEvent.record_type == "placement")) == events


def test_the_story_leaves_something_due_for_each_side(seeded):
    moment, day = now(), today()
    # A nomination unanswered for more than five days (the reminder), and one from yesterday.
    ages = sorted(
        (moment - row["state_changed_at"]).days for row in placements(Placement.state == S.proposed)
    )
    assert ages[0] < 5 < ages[-1]
    # The identity released on the accepted placement.
    (accepted,) = placements(Placement.state == S.accepted)
    assert accepted["identity_released_at"] is not None
    # One internship running, one past its last day (its evaluation due).
    running = placements(Placement.state == S.in_progress)
    assert sorted(row["end_date"] < day for row in running) == [False, True]
    # Preparing: one checklist partly, one fully confirmed (with the §45 approval).
    prepared = placements(Placement.state == S.preparing)
    items = sorted(
        run(ChecklistItem.count().where(ChecklistItem.placement == row["id"])) for row in prepared
    )
    assert items == [2, 5]
    for state in (S.declined, S.withdrawn, S.aborted):
        assert all(row["reason"] for row in placements(Placement.state == state))
    (completed,) = placements(Placement.state == S.completed)
    assert run(Evaluation.exists().where(Evaluation.placement == completed["id"]))
    assert completed["ended_at"] < moment - dt.timedelta(days=7)


def test_the_outcomes_have_their_follow_ups(seeded):
    outcomes = {row["outcome"]: row for row in placements(Placement.state == S.outcome)}
    assert set(outcomes) == {"hired", "apprenticeship"}
    hired = run(
        FollowUp.select()
        .where(FollowUp.placement == outcomes["hired"]["id"])
        .order_by(FollowUp.months)
    )
    assert [(row["months"], row["result"]) for row in hired] == [(3, "employed"), (6, None)]
    assert hired[0]["due_on"] < today() < hired[1]["due_on"]
    assert hired[0]["recorded_by"] is not None
    # The apprenticeship's first follow-up is due and unanswered: the worker asks for it.
    (due,) = run(
        FollowUp.select().where(
            (FollowUp.placement == outcomes["apprenticeship"]["id"]) & (FollowUp.months == 3)
        )
    )
    assert due["due_on"] <= today() and due["result"] is None and due["prompted_at"] is None


def test_no_note_or_message_names_a_candidate(seeded):
    opened = vault()
    names = {}
    for row in run(
        CandidateIdentity.select(*CandidateIdentity.all_columns(), CandidateIdentity.candidate)
    ):
        person = opened.open_identity(row, record_id=row["id"])
        names[row["candidate"]] = [person.given_names, person.family_name]
    by_placement = {row["id"]: row["candidate"] for row in placements()}
    texts = [
        (row["placement"], row["note"])
        for row in run(PlacementEvent.select(PlacementEvent.placement, PlacementEvent.note))
    ] + [(row["placement"], row["body"]) for row in run(Message.select())]
    texts += [(row["id"], row["note"]) for row in placements()]
    assert sum(1 for _id, text in texts if text) > 20
    every_name = [name for pair in names.values() for name in pair]
    for placement_id, text in texts:
        assert not any(name.lower() in text.lower() for name in every_name), text
        own = names.get(by_placement[placement_id], [])
        assert find_personal_data(text, names=own) == [], text


def test_the_dates_lie_in_the_slots_and_no_slot_holds_too_many(seeded):
    took_a_place = HOLDING_STATES | {S.completed, S.aborted, S.outcome}
    held: dict = {}
    for row in placements():
        if row["start_date"] is not None:
            assert row["slot_start"] <= row["start_date"] <= row["end_date"] <= row["slot_end"]
        if row["state"] in took_a_place:
            held.setdefault(row["slot"], []).append(row)
        else:
            assert row["start_date"] is None
    for rows in held.values():
        assert len(rows) <= rows[0]["places"], [row["slot_title"] for row in rows]


def test_the_seeding_runs_once_and_its_mail_counts_as_sent(seeded, settings):
    statuses = {spec["code"]: spec["status"] for spec in DEMO_CANDIDATES}
    assert {row["code"]: row["status"] for row in run(Candidate.select())} == statuses
    assert run(OutboxMessage.count()) > 10
    assert not run(OutboxMessage.exists().where(OutboxMessage.sent_at.is_null()))
    before = table_counts()
    assert run(seed_placements()) == seeded
    assert table_counts() == before
    assert {row["code"]: row["status"] for row in run(Candidate.select())} == statuses


def test_the_demo_audit_log_is_one_unbroken_chain(seeded):
    # Every entry of the story went through the audit log's chain (nothing back-dated there).
    result = run(chain.verify())
    assert result.ok and result.rows == run(AuditEvent.count()) > 50
