"""What the placements do when the layers below announce something (portal/events.py).

The candidates and the employers never import the placements; they announce, and these
handlers run inside the announcer's transaction. `subscribe()` is called by every entry point
(create_app, the cli, the worker, the tests' app): the events that must be heard raise
otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from piccolo.querystring import QueryString

from portal import events
from portal.auth import CurrentUser
from portal.candidates import competences as c
from portal.candidates.consent import CONSENT_WITHDRAWN
from portal.candidates.privacy import CANDIDATE_ERASED
from portal.candidates.profile import OBSERVED_IN_INTERNSHIP, json_list
from portal.employers.slots import PLACEMENT_COUNTS
from portal.employers.tables import Slot
from portal.i18n import _
from portal.placements.forms import ATTENDANCE, RECOMMENDATIONS
from portal.placements.machine import Input, apply
from portal.placements.tables import (
    Evaluation,
    Message,
    Placement,
    PlacementEvent,
    PlacementState,
)
from portal.reference.services import occupation_label

# Not yet started: withdrawn when the person withdraws consent or is erased.
NOT_STARTED = [
    PlacementState.requested,
    PlacementState.proposed,
    PlacementState.accepted,
    PlacementState.preparing,
]


async def withdraw_open_nominations(*, user: CurrentUser, candidate_id: UUID, address: str) -> None:
    """Withdrawn consent withdraws the candidate's open nominations (PRODUCT.md section 3).

    Every placement not yet started (requested, proposed, accepted, preparing) is withdrawn by
    the portal itself (reason "consent_withdrawn"), its employer told by e-mail. It runs inside
    withdraw_consent's transaction: the machine's transaction joins it (Piccolo nests a
    transaction into the running one on both engines), so the withdrawal of the consent and of
    the nominations commit together. A running internship goes on; its end is recorded as usual.
    """
    placement_ids = await (
        Placement.select(Placement.id)
        .where((Placement.candidate == candidate_id) & Placement.state.is_in(NOT_STARTED))
        .order_by(Placement.created_at)
        .output(as_list=True)
    )
    for placement_id in placement_ids:
        await apply(
            None, placement_id, "withdraw", Input(reason="consent_withdrawn"), address=address
        )


async def erase_placements(*, candidate_id: UUID, address: str) -> None:
    """The candidate's placements: the ones not yet started are withdrawn by the portal (the
    employers told), and the free text on every one is blanked — the notes, the conversation
    (which may name the person after the release) and the outcome's note. The states, dates and
    codes stay for the statistics; the employer no longer sees an identity (erased_at)."""
    placements = await Placement.select(Placement.id, Placement.state).where(
        Placement.candidate == candidate_id
    )
    if not placements:
        return
    for placement in placements:
        if placement["state"] in NOT_STARTED:
            await apply(
                None, placement["id"], "withdraw", Input(reason="not_available"), address=address
            )
    ids = [placement["id"] for placement in placements]
    await Message.update({Message.body: "", Message.erased: True}).where(
        Message.placement.is_in(ids)
    )
    await PlacementEvent.update({PlacementEvent.note: ""}).where(
        PlacementEvent.placement.is_in(ids)
    )
    await Placement.update({Placement.note: "", Placement.outcome_note: ""}).where(
        Placement.id.is_in(ids)
    )
    await Evaluation.update({Evaluation.comment: ""}).where(Evaluation.placement.is_in(ids))


async def evaluations_of(candidate_id: UUID) -> list[dict[str, Any]]:
    """The employers' evaluations of the candidate's internships, newest first (one query)."""
    slot: Any = Evaluation.placement.slot  # type: ignore[attr-defined]
    return await (  # type: ignore[no-any-return]
        Evaluation.select(
            Evaluation.attendance,
            Evaluation.skills,
            Evaluation.work_habits,
            Evaluation.german_level,
            Evaluation.recommendation,
            Evaluation.written_at,
            slot.occupation.as_alias("occupation"),
            slot.occupation.name.as_alias("occupation_name"),
        )
        .where(Evaluation.candidate == candidate_id)
        .order_by(Evaluation.written_at, ascending=False)
    )


def observed(evaluations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ "Observed in internship": the evaluations' structured parts, on the summary's scale.

    Not the employer's comment (written for the case manager, not for other employers) and not
    the employer's name: month, occupation and what was observed.
    """
    return [
        {
            "month": e["written_at"],
            "occupation": occupation_label(e["occupation"], e["occupation_name"]),
            "attendance": _label(ATTENDANCE, e["attendance"]),
            "skills": [_(c.SKILLS[code][1]) for code in json_list(e["skills"]) if code in c.SKILLS],
            "work_habits": [
                _(c.WORK_HABITS[code])
                for code in json_list(e["work_habits"])
                if code in c.WORK_HABITS
            ],
            "german_level": e["german_level"] or "",
            "recommendation": _label(RECOMMENDATIONS, e["recommendation"]),
        }
        for e in evaluations
    ]


def _label(labels: Mapping[str, str], code: str | None) -> str:
    """The translated label of `code`, or "" for none or a code no longer in the catalogue."""
    return _(labels[code]) if code is not None and code in labels else ""


async def observed_in_internship(*, candidate_id: UUID) -> list[dict[str, Any]]:
    return observed(await evaluations_of(candidate_id))


# The dashboard's counts of placements per slot: column alias → the states counted.
SLOT_COUNTS: dict[str, tuple[PlacementState, ...]] = {
    # Waiting for an answer: nominated by a case manager, or asked for by the employer.
    "proposed": (PlacementState.proposed, PlacementState.requested),
    # Accepted, and being prepared (dates fixed, checklist).
    "accepted": (PlacementState.accepted, PlacementState.preparing),
    "running": (PlacementState.in_progress,),
}


async def slot_counts() -> list[QueryString]:
    """Proposed, accepted and running placements per slot (SLOT_COUNTS), as columns of a query
    of Slot.

    One correlated subquery per count inside the slots' query (as admin.services._unconfirmed
    does), over the placement's indexed slot and state, so that the dashboard stays at one
    count and one page query however many slots it shows.
    """
    # Table names come from our own models, never from input; the states are parameters.
    placement, slot = Placement._meta.tablename, Slot._meta.tablename
    counts = []
    for name, states in SLOT_COUNTS.items():
        marks = ", ".join("{}" for _state in states)
        sql = (
            f'(SELECT COUNT(*) FROM "{placement}" WHERE "{placement}"."slot" = '  # noqa: S608
            f'"{slot}"."id" AND "{placement}"."state" IN ({marks}))'
        )
        counts.append(QueryString(sql, *(state.value for state in states)).as_alias(name))
    return counts


def subscribe() -> None:
    """Subscribe the placements to the events below them (safe to call more than once)."""
    events.subscribe(CONSENT_WITHDRAWN, withdraw_open_nominations)
    events.subscribe(CANDIDATE_ERASED, erase_placements)
    events.subscribe(OBSERVED_IN_INTERNSHIP, observed_in_internship)
    events.subscribe(PLACEMENT_COUNTS, slot_counts)
