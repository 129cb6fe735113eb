"""The demo district's past year, so that its statistics show figures and not only `*`.

About 150 fictional cases of the last twelve months whose identities the retention already
erased (closed, no identity, no documents), their placements at the demo employers and at six
more fictional companies, each with its event rows dated into the past. Nothing here is a
person: codes `K-HIST-…`, no identity, no free text. Idempotent (skipped when the history is
there) and relative to today, so the demo works on any day. `portal seed-demo` rebuilds the
statistics' summary from the events afterwards.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from portal.accounts.tables import Chamber, Organisation, OrgKind, OrgStatus, SizeClass
from portal.candidates.tables import Candidate, CandidateStatus
from portal.clock import TIMEZONE, now, today
from portal.db import writing
from portal.employers.tables import Slot, SlotKind, SlotStatus
from portal.placements.tables import Outcome, Placement, PlacementEvent, PlacementState
from portal.reference.tables import Municipality, Programme, occupation_prefixes

PREFIX = "K-HIST-"
CASES = 150
# Fictional companies of the district's past year: name, size, chamber, municipality, occupation.
COMPANIES = [
    ("Elektro Weber GmbH", SizeClass.small, Chamber.hwk, "Weststadt", "262"),
    ("Gartenbau Grünfeld", SizeClass.micro, Chamber.hwk, "Osterfeld", "121"),
    ("Spedition Südhausen AG", SizeClass.large, Chamber.ihk, "Südhausen", "513"),
    ("Seniorenzentrum Am Park gGmbH", SizeClass.medium, Chamber.none, "Musterstadt", "821"),
    ("Hotel Lindenhof", SizeClass.small, Chamber.ihk, "Nordheim", "633"),
    ("Gebäudereinigung Blitzblank GmbH", SizeClass.medium, Chamber.ihk, "Weststadt", "541"),
]
DEMO_EMPLOYERS = {
    "Metallbau Schmidt GmbH": "244",
    "Logistik Nord GmbH & Co. KG": "513",
}
KINDS = [SlotKind.orientation_internship, SlotKind.employer_measure, SlotKind.training_slot]
# How a past placement ended: (final state, weight), and the outcomes of the completed ones.
ENDINGS = [("outcome", 55), ("aborted", 12), ("declined", 18), ("withdrawn", 10), ("completed", 5)]
OUTCOMES = [
    (Outcome.hired, 30),
    (Outcome.apprenticeship, 22),
    (Outcome.entry_qualification, 10),
    (Outcome.further_internship, 10),
    (Outcome.mini_job, 6),
    (Outcome.coaching, 10),
    (Outcome.no_offer, 12),
]
ABORTS = ["attendance", "candidate_ended", "employer_ended", "mutual"]
DECLINES = ["no_capacity", "profile_mismatch", "german_level", "dates"]
WITHDRAWS = ["candidate_declined", "other_placement", "not_available"]


async def seed_history() -> int:
    """The past year's cases and placements (once, in one transaction: all of it or none, and
    on SQLite one connection for its ~6,000 statements instead of one each); how many cases
    were added."""
    async with writing(Candidate):
        if await Candidate.exists().where(Candidate.code.like(f"{PREFIX}%")):
            return 0
        return await _history()


async def _history() -> int:
    rng = random.Random(2026)  # the same history on every run  # noqa: S311
    municipalities = {
        row["name"]: row["id"]
        for row in await Municipality.select(Municipality._meta.primary_key, Municipality.name)
    }
    programmes = [row["id"] for row in await Programme.select(Programme._meta.primary_key)]
    agencies = [
        row["id"]
        for row in await Organisation.select(Organisation.id)
        .where(Organisation.kind == OrgKind.case_management)
        .order_by(Organisation.name)
    ]
    if not agencies or not municipalities:
        return 0
    slots = await _slots(rng, municipalities)
    day = today()
    for number in range(CASES):
        registered = day - dt.timedelta(days=rng.randint(40, 380))
        candidate_id = uuid.uuid4()
        await Candidate.insert(
            Candidate(
                id=candidate_id,
                code=f"{PREFIX}{number:03d}",
                organisation=agencies[number % len(agencies)],
                programme=rng.choice(programmes) if programmes and rng.random() < 0.85 else None,
                status=CandidateStatus.closed,
                created_at=_moment(registered, 9),
                updated_at=_moment(registered, 9),
                activated_at=_moment(registered + dt.timedelta(days=rng.randint(2, 14)), 10),
                closed_at=_moment(day, 8),
                erased_at=_moment(day, 8),
            )
        )
        nominated = registered + dt.timedelta(days=rng.randint(7, 40))
        for _attempt in range(rng.choice([1, 1, 1, 2])):
            if nominated >= day - dt.timedelta(days=3):
                break
            slot = rng.choice(slots)
            ending = _weighted(rng, ENDINGS)
            nominated = await _placement(rng, candidate_id, agencies, slot, nominated, ending)
    return CASES


async def _slots(rng: random.Random, municipalities: dict[str, int]) -> list[dict[str, Any]]:
    """A closed slot of the past year per company and kind (the companies made once)."""
    known = {
        row["name"]: row["id"]
        for row in await Organisation.select(Organisation.id, Organisation.name).where(
            Organisation.kind == OrgKind.employer
        )
    }
    employers: list[tuple[Any, str, int]] = []
    for name, size, chamber, place, occupation in COMPANIES:
        if name not in known:
            organisation = Organisation(
                kind=OrgKind.employer,
                name=name,
                status=OrgStatus.active,
                size_class=size,
                chamber=chamber,
                municipality=municipalities.get(place),
                city=place,
                decided_at=now(),
            )
            await organisation.save()
            known[name] = organisation.id
        employers.append((known[name], occupation, municipalities.get(place, 0)))
    for name, occupation in DEMO_EMPLOYERS.items():
        if name in known:
            employers.append((known[name], occupation, municipalities.get("Musterstadt", 0)))
    slots = []
    day = today()
    for employer, occupation, municipality_id in employers:
        for kind in KINDS:
            start = day - dt.timedelta(days=rng.randint(60, 300))
            values: dict[str, Any] = {
                "employer": employer,
                "title": "Praktikum (abgeschlossen)",
                "kind": kind,
                "occupation": occupation,
                **occupation_prefixes(occupation),
                "municipality": municipality_id,
                "start_date": start,
                "end_date": start + dt.timedelta(days=20),
                "flexible": True,
                "duration_days": 14,
                "hours_per_week": 30,
                "places": 4,
                "status": SlotStatus.closed,
                "published_at": _moment(start - dt.timedelta(days=20), 8),
            }
            slot = Slot(**values)
            await slot.save()
            slots.append({"id": slot.id, "employer": employer})
    return slots


async def _placement(
    rng: random.Random,
    candidate_id: uuid.UUID,
    agencies: list[Any],
    slot: dict[str, Any],
    nominated: dt.date,
    ending: str,
) -> dt.date:
    """One past placement with its event rows; the day after which the next one may start."""
    S = PlacementState
    steps: list[tuple[str, str, str, str, dt.date]] = []  # action, from, to, reason, day
    day = nominated
    steps.append(("nominate", "", S.proposed, "", day))
    outcome = None
    if ending == "declined":
        day += dt.timedelta(days=rng.randint(1, 8))
        steps.append(("decline", S.proposed, S.declined, rng.choice(DECLINES), day))
    else:
        day += dt.timedelta(days=rng.randint(1, 6))
        steps.append(("accept", S.proposed, S.accepted, "", day))
        day += dt.timedelta(days=rng.randint(1, 5))
        steps.append(("prepare", S.accepted, S.preparing, "", day))
        if ending == "withdrawn":
            day += dt.timedelta(days=rng.randint(1, 5))
            steps.append(("withdraw", S.preparing, S.withdrawn, rng.choice(WITHDRAWS), day))
        else:
            day += dt.timedelta(days=rng.randint(3, 12))
            steps.append(("start", S.preparing, S.in_progress, "", day))
            if ending == "aborted":
                day += dt.timedelta(days=rng.randint(2, 10))
                steps.append(("abort", S.in_progress, S.aborted, rng.choice(ABORTS), day))
            else:
                day += dt.timedelta(days=rng.randint(10, 28))
                steps.append(("complete", S.in_progress, S.completed, "", day))
                if ending == "outcome":
                    day += dt.timedelta(days=rng.randint(3, 20))
                    outcome = _weighted(rng, OUTCOMES)
                    steps.append(("record_outcome", S.completed, S.outcome, "", day))
    today_ = today()
    steps = [step for step in steps if step[4] < today_]
    last = steps[-1]
    placement_id = uuid.uuid4()
    await Placement.insert(
        Placement(
            id=placement_id,
            slot=slot["id"],
            employer=slot["employer"],
            candidate=candidate_id,
            agency=agencies[0],
            state=last[2],
            reason=last[3],
            created_at=_moment(nominated, 10),
            updated_at=_moment(last[4], 11),
            state_changed_at=_moment(last[4], 11),
            outcome=outcome if last[2] == S.outcome else None,
            outcome_on=last[4] if last[2] == S.outcome else None,
        )
    )
    await PlacementEvent.insert(
        *(
            PlacementEvent(
                placement=placement_id,
                action=action,
                from_state=source,
                to_state=target,
                reason=reason,
                created_at=_moment(when, 10 + i),
            )
            for i, (action, source, target, reason, when) in enumerate(steps)
        )
    )
    employed = outcome in (Outcome.hired, Outcome.apprenticeship, Outcome.entry_qualification)
    for months, after in ((3, 92), (6, 183)):
        if outcome is None or last[4] + dt.timedelta(days=after) >= today_:
            break
        employed = employed and rng.random() < 0.85
        await PlacementEvent.insert(
            PlacementEvent(
                placement=placement_id,
                action=f"follow_up.{months}",
                reason="employed" if employed else "not_employed",
                created_at=_moment(last[4] + dt.timedelta(days=after), 9),
            )
        )
    return day + dt.timedelta(days=rng.randint(5, 30))


def _weighted(rng: random.Random, choices: list[tuple[Any, int]]) -> Any:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), TIMEZONE).astimezone(dt.UTC)
