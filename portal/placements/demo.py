"""The demo's placements (`portal seed-demo`): every state of the lifecycle, with a story.

Made after the demo candidates (portal/candidates/demo.py) by the demo users of
portal/demo.py, through the state machine itself (`machine.create`, `machine.apply`,
`machine.release_identity`) and ChecklistItem rows as the checklist writes them, so that the
event rows, the audit and the outbox are real. Each step then moves its timestamps into the
past ("nominated eight days ago"), so that the worker finds a reminder, an evaluation and a
follow-up due. Four slots that lie in the past (or run now) are added for the internships that
have started: the slots of portal/demo.py all lie ahead.

Idempotent: a placement is looked up by its candidate's code and its slot's title and created
once; the history slots by employer and title. Notes and messages name no one (the PII guard's
rules): the employer learns a name only from the released identity.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from portal.accounts.tables import Organisation, User
from portal.auth import CurrentUser, load_user
from portal.auth.policy import EMPLOYER_ROLES
from portal.candidates.demo import DEMO_CANDIDATES
from portal.candidates.tables import Candidate, CandidateStatus
from portal.clock import TIMEZONE, now, today
from portal.demo import EMPLOYER_CONTACTS, EMPLOYER_MUNICIPALITIES
from portal.employers.tables import Slot, SlotKind, SlotStatus
from portal.notifications.tables import OutboxMessage
from portal.placements import agreement, capacity, machine
from portal.placements.effects import log_event
from portal.placements.loading import select_placement
from portal.placements.machine import Input
from portal.placements.tables import (
    AgreementConfirmation,
    AgreementParty,
    ChecklistItem,
    Evaluation,
    FollowUp,
    Message,
    Placement,
    PlacementEvent,
    PlacementState,
)
from portal.placements.transitions import EvaluationFields
from portal.reference.tables import Municipality, occupation_prefixes

METALLBAU = "Metallbau Schmidt GmbH"
LOGISTIK = "Logistik Nord GmbH & Co. KG"

# The demo users who act (portal.demo.USERS).
ACTORS = {
    "felix": "fallmanager@demo.portal.test",
    "berit": "beratung@demo.portal.test",
    "tanja": "teamleitung@demo.portal.test",
    "stefan": "chef@metallbau.demo.portal.test",
    "murat": "meister@metallbau.demo.portal.test",
    "lena": "personal@logistik.demo.portal.test",
}

# Slots for the internships that have begun: days count from today as in portal.demo.SLOTS;
# "final" is the status each is left in once its placements are made (open while they are).
HISTORY_SLOTS: list[dict[str, Any]] = [
    {
        "employer": METALLBAU,
        "title": "Praktikum Zerspanung an der Drehmaschine",
        "occupation": "24202",
        "kind": SlotKind.orientation_internship,
        "days": (-6, 14),
        "tasks": "Werkstücke einspannen, einfache Drehteile nach Zeichnung fertigen, messen.",
        "requirements": "Erfahrung an Werkzeugmaschinen hilft.",
        "min_german": "A2",
        "hours_per_week": 38,
        "places": 1,
        "safety_equipment": True,
        "hire_possible": True,
        "final": None,  # filled by its one placement
    },
    {
        "employer": METALLBAU,
        "title": "Orientierungspraktikum in der Werkstatt",
        "occupation": "24412",
        "kind": SlotKind.orientation_internship,
        "days": (-35, -8),
        "tasks": "Mitarbeit in der Werkstatt: Zuschnitt, Heften, Schleifen, Montagevorbereitung.",
        "min_german": "A2",
        "hours_per_week": 38,
        "places": 1,
        "safety_equipment": True,
        "hire_possible": True,
        "final": SlotStatus.closed,
    },
    {
        "employer": LOGISTIK,
        "title": "Praktikum Versand und Verpackung",
        "occupation": "51311",
        "kind": SlotKind.orientation_internship,
        "days": (-16, -1),
        "tasks": "Sendungen packen, etikettieren, Lieferscheine prüfen, Übergabe an den Versand.",
        "min_german": "A2",
        "hours_per_week": 38,
        "places": 2,
        "safety_equipment": True,
        "hire_possible": True,
        "final": SlotStatus.closed,
    },
    {
        "employer": LOGISTIK,
        "title": "Praktikum Lager und Kommissionierung (Frühjahr)",
        "occupation": "51311",
        "kind": SlotKind.orientation_internship,
        "days": (-125, -98),
        "tasks": "Ware annehmen, einlagern, kommissionieren mit dem Handscanner.",
        "min_german": "A2",
        "hours_per_week": 40,
        "places": 2,
        "safety_equipment": True,
        "hire_possible": True,
        "final": SlotStatus.closed,
    },
]

# The slots of portal.demo.SLOTS used below.
WELDING = "Orientierungspraktikum Schweißen (MAG)"
MEASURE = "Praktikum Metallbearbeitung: Sägen, Bohren, Entgraten"
WAREHOUSE = "Praktikum Lager und Kommissionierung"
TURNING, WORKSHOP, DISPATCH, SPRING = (slot["title"] for slot in HISTORY_SLOTS)


@dataclass(frozen=True)
class Step:
    """One thing a demo user did, `day` days from today (negative: in the past)."""

    day: int
    who: str  # a key of ACTORS
    # A transition of machine.TRANSITIONS, or "release", "checklist", "message", "prompt"
    # (the worker asked for the follow-up), "follow_up" (its result recorded), "agreement"
    # (the user's side confirmed the agreement online).
    action: str
    note: str = ""  # the note of a transition, or the message's text
    reason: str = ""
    dates: tuple[int, int] | None = None  # the internship's first and last day
    supervisor: str = ""
    evaluation: EvaluationFields | None = None
    outcome: str = ""
    # The outcome's date: three months before the day its first follow-up is due.
    follow_up_due: int = 0
    items: Mapping[str, str] = field(default_factory=dict)  # checklist item → value
    months: int = 0
    result: str = ""


@dataclass(frozen=True)
class Story:
    code: str  # the demo candidate's
    slot: str  # the slot's title
    steps: tuple[Step, ...]


METAL_INSURANCE = "BG Holz und Metall"
LOGISTICS_INSURANCE = "BG Handel und Warenlogistik (BGHW)"


def _checklist(insurance: str, briefing: int, **extra: str) -> dict[str, str]:
    return {
        "work_access": "not_needed_free",
        "insurance": insurance,
        "agreement": "confirmed",
        "safety_briefing": (today() + dt.timedelta(days=briefing)).isoformat(),
        **extra,
    }


def stories() -> list[Story]:
    """The demo placements, oldest first: one of them in every state of the lifecycle."""
    return [
        # Outcome: hired. The 3-month follow-up was due six days ago: still employed.
        Story("K-DEMN-24", SPRING, (
            Step(-119, "berit", "nominate",
                 note="Erfahrung im Kommissionieren, pünktlich und zuverlässig; Deutsch B2."),
            Step(-117, "lena", "accept"),
            Step(-117, "berit", "release"),
            Step(-116, "berit", "prepare", dates=(-113, -100), supervisor="Lena Lager"),
            Step(-115, "berit", "checklist", items=_checklist(LOGISTICS_INSURANCE, -113)),
            Step(-113, "lena", "start"),
            Step(-106, "lena", "message",
                 note="Die erste Woche lief sehr gut, das Team ist zufrieden."),
            Step(-99, "lena", "complete", evaluation=EvaluationFields(
                attendance="all",
                skills=["logistics.picking", "logistics.scanner", "logistics.packing"],
                work_habits=["punctuality", "reliability", "teamwork"],
                german_level="B2",
                recommendation="hire",
                comment="Arbeitet sorgfältig und schnell, kommt mit dem Handscanner gut zurecht.",
            )),
            Step(-98, "berit", "record_outcome", outcome="hired", follow_up_due=-6,
                 note="Unbefristete Stelle im Lager, Vollzeit."),
            Step(-6, "berit", "prompt", months=3),
            Step(-5, "berit", "follow_up", months=3, result="employed"),
        )),
        # Outcome: apprenticeship. The 3-month follow-up is due and not yet answered.
        Story("K-DEMF-24", SPRING, (
            Step(-140, "tanja", "nominate",
                 note="Staplerschein vorhanden, ein Jahr Erfahrung im Wareneingang."),
            Step(-138, "lena", "accept"),
            Step(-138, "tanja", "release"),
            Step(-130, "tanja", "prepare", dates=(-125, -106), supervisor="Lena Lager"),
            Step(-128, "tanja", "checklist", items=_checklist(LOGISTICS_INSURANCE, -125)),
            Step(-125, "lena", "start"),
            Step(-105, "lena", "complete", evaluation=EvaluationFields(
                attendance="mostly",
                skills=["logistics.forklift", "logistics.goods_in", "logistics.stocktaking"],
                work_habits=["safety_rules", "careful_work"],
                german_level="B1",
                recommendation="apprenticeship",
            )),
            Step(-100, "tanja", "record_outcome", outcome="apprenticeship", follow_up_due=-3,
                 note="Ausbildung zur Fachkraft für Lagerlogistik."),
        )),
        # Completed with an evaluation; the case manager has still to record what followed.
        Story("K-DEMA-24", WORKSHOP, (
            Step(-38, "felix", "nominate",
                 note="MAG-Schweißen und Schleifen, misst sicher mit dem Messschieber."),
            Step(-36, "stefan", "accept"),
            Step(-36, "felix", "release"),
            Step(-35, "felix", "prepare", dates=(-28, -10), supervisor="Murat Meister"),
            Step(-32, "felix", "checklist", items=_checklist(METAL_INSURANCE, -28)),
            Step(-28, "murat", "start"),
            Step(-9, "murat", "complete", evaluation=EvaluationFields(
                attendance="all",
                skills=["metal.mig_mag", "metal.grinding", "metal.measuring"],
                work_habits=["punctuality", "safety_rules", "asks_when_unsure"],
                german_level="B1",
                recommendation="further_internship",
                comment="Sauber geheftet und geschweißt; fragt nach, wenn etwas unklar ist.",
            )),
        )),
        # Aborted by mutual agreement after four days.
        Story("K-DEMJ-24", DISPATCH, (
            Step(-22, "berit", "nominate",
                 note="Sorgfältig, an Schichtarbeit gewöhnt, Hygieneschulung abgeschlossen."),
            Step(-21, "lena", "accept"),
            Step(-21, "berit", "release"),
            Step(-20, "berit", "prepare", dates=(-16, -3), supervisor="Lena Lager"),
            Step(-18, "berit", "checklist", items=_checklist(LOGISTICS_INSURANCE, -16)),
            Step(-16, "lena", "start"),
            Step(-12, "berit", "abort", reason="mutual",
                 note="Der Versand passte nicht; im Lager wird ein neuer Versuch vereinbart."),
        )),
        # In progress, its last day has passed: the employer's evaluation is due.
        Story("K-DEMB-24", DISPATCH, (
            Step(-19, "felix", "nominate",
                 note="Zwei Jahre Aushilfe im Versandlager, kennt den Handscanner."),
            Step(-18, "lena", "accept"),
            Step(-18, "felix", "release"),
            Step(-17, "felix", "prepare", dates=(-14, -2), supervisor="Lena Lager"),
            Step(-16, "felix", "checklist", items=_checklist(LOGISTICS_INSURANCE, -14)),
            Step(-14, "lena", "start"),
            Step(-1, "felix", "message",
                 note="Das Praktikum ist zu Ende. Bitte denken Sie an die Beurteilung."),
        )),
        # Withdrawn: the candidate took up the internship at the lathe instead.
        Story("K-DEMD-24", MEASURE, (
            Step(-12, "felix", "nominate",
                 note="Ausgebildeter Zerspanungsmechaniker mit langer Berufserfahrung."),
            Step(-9, "felix", "withdraw", reason="other_placement",
                 note="Ein Praktikum an der Drehmaschine hat sich ergeben."),
        )),
        # In progress and ready: the internship runs now.
        Story("K-DEMD-24", TURNING, (
            Step(-11, "felix", "nominate",
                 note="Ausgebildeter Zerspanungsmechaniker, sicher im Lesen von Zeichnungen."),
            Step(-10, "stefan", "accept"),
            Step(-10, "felix", "release"),
            Step(-9, "felix", "prepare", dates=(-6, 14), supervisor="Murat Meister"),
            Step(-8, "felix", "checklist", items=_checklist(METAL_INSURANCE, -6)),
            Step(-6, "murat", "start"),
            Step(-5, "murat", "message",
                 note="Der erste Tag lief gut, die Einweisung an der Drehmaschine ist erledigt."),
        )),
        # Preparing with a complete checklist (a measure under §45 SGB III: with approval).
        Story("K-DEMA-24", MEASURE, (
            Step(-8, "felix", "nominate",
                 note="Hat das Orientierungspraktikum in Ihrer Werkstatt abgeschlossen; "
                 "Empfehlung: ein weiteres Praktikum."),
            Step(-7, "stefan", "accept"),
            Step(-7, "felix", "release"),
            Step(-6, "felix", "prepare", dates=(7, 27), supervisor="Murat Meister"),
            Step(-5, "felix", "checklist", items=_checklist(
                METAL_INSURANCE, 7, work_access="not_needed_measure", approval="AZ 45-2026-118"
            )),
            Step(-4, "stefan", "message",
                 note="Arbeitskleidung und Sicherheitsschuhe liegen bereit."),
        )),
        # Declined: the profile does not fit the welding tasks.
        Story("K-DEMK-24", WELDING, (
            Step(-7, "berit", "nominate",
                 note="Staplerschein, Erfahrung im Lager, möchte Metallarbeit kennenlernen."),
            Step(-6, "stefan", "decline", reason="profile_mismatch",
                 note="Wir suchen Vorerfahrung mit Metall; im Lager passt das Profil besser."),
        )),
        # Preparing, the checklist partly confirmed; the agreement confirmed online by the
        # employer and the case manager, waiting for the intern's confirmation by link.
        Story("K-DEMJ-24", WAREHOUSE, (
            Step(-10, "berit", "nominate",
                 note="Ein neuer Versuch im Lager, in der Spätschicht, wie mit Ihnen besprochen."),
            Step(-9, "lena", "accept"),
            Step(-9, "berit", "release"),
            Step(-8, "berit", "prepare", dates=(10, 23), supervisor="Lena Lager"),
            Step(-7, "berit", "checklist", items={
                "work_access": "not_needed_free", "insurance": LOGISTICS_INSURANCE,
            }),
            Step(-7, "lena", "message",
                 note="Die Sicherheitsunterweisung machen wir am ersten Tag vor Schichtbeginn."),
            Step(-6, "lena", "agreement"),
            Step(-6, "berit", "agreement"),
            Step(-6, "berit", "message",
                 note="Gut. Die Vereinbarung haben wir beide bestätigt; die Praktikantin "
                 "bestätigt sie beim Termin im Büro über den QR-Code."),
        )),
        # Proposed eight days ago, not answered: the employer is reminded.
        Story("K-DEMH-24", WELDING, (
            Step(-8, "felix", "nominate",
                 note="Hat Tore und Geländer montiert, möchte eine Ausbildung im Metallbau."),
        )),
        # Accepted, identity released.
        Story("K-DEMK-24", WAREHOUSE, (
            Step(-5, "berit", "nominate",
                 note="Staplerschein, drei Jahre Lagerarbeit, Schichtarbeit möglich."),
            Step(-3, "lena", "accept"),
            Step(-3, "lena", "message",
                 note="Wir freuen uns. Kann die Person in der Spätschicht beginnen?"),
            Step(-2, "berit", "release"),
            Step(-2, "berit", "message",
                 note="Ja, die Spätschicht passt. Die Kontaktdaten sind jetzt freigegeben."),
        )),
        # Requested by the employer from the talent pool; the case manager has to answer.
        Story("K-DEMB-24", WAREHOUSE, (
            Step(-2, "lena", "request",
                 note="Das Profil passt zu unserer Spätschicht im Lager."),
        )),
        # Proposed yesterday.
        Story("K-DEMH-24", MEASURE, (
            Step(-1, "felix", "nominate",
                 note="Geschickt mit Handwerkzeug, im Anschluss an den Sprachkurs verfügbar."),
        )),
        # The first agency's (the team lead's team): an accepted nomination to release and date,
        # and a checklist begun before a start — so that the team lead's dashboard shows both.
        Story("K-DEMA-24", WELDING, (
            Step(-4, "felix", "nominate",
                 note="Schweißt sauber (MAG), möchte nach der Maßnahme weiter im Metallbau lernen."
                 ),
            Step(-2, "stefan", "accept"),
        )),
        Story("K-DEMH-24", WAREHOUSE, (
            Step(-6, "felix", "nominate",
                 note="Zuverlässig, möchte das Lager als zweite Richtung kennenlernen."),
            Step(-5, "lena", "accept"),
            Step(-5, "felix", "release"),
            Step(-4, "felix", "prepare", dates=(12, 25), supervisor="Lena Lager"),
            Step(-4, "felix", "checklist", items={"work_access": "not_needed_free"}),
        )),
    ]  # fmt: skip


def _moment(day: int, number: int) -> dt.datetime:
    """Step `number` of a story on `day`: from 9 o'clock local time, half an hour apart."""
    start = dt.datetime.combine(today() + dt.timedelta(days=day), dt.time(9), TIMEZONE)
    return (start + dt.timedelta(minutes=30 * number)).astimezone(dt.UTC)


# The placement's timestamps a step may set: moved to the step's moment when it did.
TIMESTAMPS = (
    "created_at",
    "updated_at",
    "state_changed_at",
    "answered_at",
    "started_at",
    "ended_at",
    "identity_released_at",
    "outcome_recorded_at",
)


async def _backdate(placement_id: UUID, when: dt.datetime, since: dt.datetime) -> None:
    """What the last step wrote at the real time (from `since` on) now says `when`."""
    await PlacementEvent.update({PlacementEvent.created_at: when}).where(
        (PlacementEvent.placement == placement_id) & (PlacementEvent.created_at >= since)
    )
    await Evaluation.update({Evaluation.written_at: when}).where(
        (Evaluation.placement == placement_id) & (Evaluation.written_at >= since)
    )
    await AgreementConfirmation.update({AgreementConfirmation.confirmed_at: when}).where(
        (AgreementConfirmation.placement == placement_id)
        & (AgreementConfirmation.confirmed_at >= since)
    )
    row = (
        await Placement.select(*(getattr(Placement, name) for name in TIMESTAMPS))
        .where(Placement.id == placement_id)
        .first()
    )
    assert row is not None  # noqa: S101
    values = {
        getattr(Placement, name): when
        for name in TIMESTAMPS
        if row[name] is not None and row[name] >= since
    }
    if values:
        await Placement.update(values).where(Placement.id == placement_id)


async def _history_slots() -> dict[tuple[str, str], UUID]:
    """The history slots (created once, open until their placements are made)."""
    employers = {
        row["name"]: row
        for row in await Organisation.select(
            Organisation.id, Organisation.name, Organisation.municipality
        ).where(Organisation.name.is_in([METALLBAU, LOGISTIK]))
    }
    places = {
        row["name"]: row["id"]
        for row in await Municipality.select(Municipality._meta.primary_key, Municipality.name)
    }
    first_day = today()
    for spec in HISTORY_SLOTS:
        employer = employers[spec["employer"]]
        if await Slot.exists().where(
            (Slot.employer == employer["id"]) & (Slot.title == spec["title"])
        ):
            continue
        start, end = (first_day + dt.timedelta(days=offset) for offset in spec["days"])
        published = _moment(spec["days"][0] - 30, 0)
        name, phone, email = EMPLOYER_CONTACTS[spec["employer"]]
        values: dict[str, Any] = {
            **{k: v for k, v in spec.items() if k not in ("employer", "days", "final")},
            **occupation_prefixes(spec["occupation"]),
        }
        await Slot(
            **values,
            employer=employer["id"],
            municipality=employer["municipality"]
            or places[EMPLOYER_MUNICIPALITIES[spec["employer"]]],
            status=SlotStatus.open,
            start_date=start,
            end_date=end,
            duration_days=(end - start).days + 1,
            contact_name=name,
            contact_phone=phone,
            contact_email=email,
            created_at=published,
            updated_at=published,
            published_at=published,
        ).save()
    return {
        (row["employer.name"], row["title"]): row["id"]
        for row in await Slot.select(Slot.id, Slot.title, Slot.employer.name).where(
            Slot.employer.name.is_in([METALLBAU, LOGISTIK])
        )
    }


async def _step(
    story_placement: UUID | None,
    step: Step,
    user: CurrentUser,
    when: dt.datetime,
    *,
    slot_id: UUID,
    candidate_id: UUID,
) -> UUID:
    """Do one step as `user`; the placement's id."""
    if step.action in ("nominate", "request"):
        return await machine.create(
            user, step.action, slot_id=slot_id, candidate_id=candidate_id, note=step.note
        )
    placement_id = story_placement
    assert placement_id is not None  # noqa: S101
    if step.action == "release":
        await machine.release_identity(user, placement_id, address="")
    elif step.action == "checklist":
        for item, value in step.items.items():
            await ChecklistItem.insert(
                ChecklistItem(
                    placement=placement_id,
                    item=item,
                    value=value,
                    confirmed_by=user.id,
                    confirmed_at=when,
                )
            )
            await log_event(placement_id, f"checklist.{item}", user, moment=when)
    elif step.action == "agreement":
        row = await select_placement(placement_id)
        assert row is not None  # noqa: S101
        party = (
            AgreementParty.employer if user.role in EMPLOYER_ROLES else AgreementParty.case_worker
        )
        digest = agreement.text_digest(await agreement.terms(row))
        await agreement.confirm(row, party, digest, user=user)
    elif step.action == "message":
        await Message.insert(
            Message(
                placement=placement_id,
                author=user.id,
                author_organisation=user.organisation_id,
                body=step.note,
                created_at=when,
            )
        )
    elif step.action == "prompt":
        await FollowUp.update({FollowUp.prompted_at: when}).where(
            (FollowUp.placement == placement_id) & (FollowUp.months == step.months)
        )
    elif step.action == "follow_up":
        await FollowUp.update(
            {
                FollowUp.result: step.result,
                FollowUp.recorded_by: user.id,
                FollowUp.recorded_at: when,
            }
        ).where((FollowUp.placement == placement_id) & (FollowUp.months == step.months))
        await log_event(
            placement_id, f"follow_up.{step.months}", user, reason=step.result, moment=when
        )
    else:
        first, last = step.dates or (None, None)
        day = today()
        outcome_on = (
            machine.add_months(day + dt.timedelta(days=step.follow_up_due), -3)
            if step.follow_up_due
            else None
        )
        await machine.apply(
            user,
            placement_id,
            step.action,
            Input(
                reason=step.reason,
                note=step.note,
                start_date=None if first is None else day + dt.timedelta(days=first),
                end_date=None if last is None else day + dt.timedelta(days=last),
                supervisor=step.supervisor,
                evaluation=step.evaluation,
                outcome=step.outcome,
                outcome_on=outcome_on,
            ),
        )
    return placement_id


async def seed_placements() -> dict[str, int]:
    """The demo placements (created once); the number of demo placements per state.

    One transaction: the demo has all of its placements or none (and one connection serves
    the few thousand statements, instead of one connection each).
    """
    async with capacity.placement_transaction():
        await _seed()
        codes = [spec["code"] for spec in DEMO_CANDIDATES]
        rows = await Placement.select(Placement.state).where(Placement.candidate.code.is_in(codes))
    counted = Counter(row["state"] for row in rows)
    return {state.value: counted[state.value] for state in PlacementState}


async def _seed() -> None:
    started = now()
    codes = [spec["code"] for spec in DEMO_CANDIDATES]
    candidates = {
        row["code"]: row
        for row in await Candidate.select(Candidate.id, Candidate.code, Candidate.status).where(
            Candidate.code.is_in(codes)
        )
    }
    slots = await _history_slots()
    titles = {title: slot_id for (_employer, title), slot_id in slots.items()}
    done = {
        (row["candidate.code"], row["slot.title"])
        for row in await Placement.select(Placement.candidate.code, Placement.slot.title).where(
            Placement.candidate.code.is_in(codes)
        )
    }
    todo = [story for story in stories() if (story.code, story.slot) not in done]
    if not todo:
        return
    users: dict[str, CurrentUser] = {}
    for key, email in ACTORS.items():
        user_id = await User.select(User.id).where(User.email == email).first()
        found = await load_user(str(user_id["id"]), None) if user_id else None
        assert found is not None, email  # noqa: S101 (portal.demo.seed made them)
        users[key] = found
    # The machine nominates active cases only: the placed and the closed cases of the stories
    # are active while their history is written, and get their status back afterwards.
    resting = {story.code for story in todo} - {
        code for code, row in candidates.items() if row["status"] == CandidateStatus.active
    }
    if resting:
        await Candidate.update({Candidate.status: CandidateStatus.active}).where(
            Candidate.code.is_in(sorted(resting))
        )
    created: set[str] = set()
    for story in todo:
        placement_id: UUID | None = None
        for number, step in enumerate(story.steps):
            since = now()
            when = _moment(step.day, number)
            placement_id = await _step(
                placement_id,
                step,
                users[step.who],
                when,
                slot_id=titles[story.slot],
                candidate_id=candidates[story.code]["id"],
            )
            created.add(str(placement_id))
            await _backdate(placement_id, when, since)
    for code in resting:
        await Candidate.update({Candidate.status: candidates[code]["status"]}).where(
            Candidate.code == code
        )
    # The history slots are over (or full): closed as their employer would have.
    for spec in HISTORY_SLOTS:
        if spec["final"] is not None:
            await Slot.update({Slot.status: spec["final"]}).where(
                (Slot.id == slots[(spec["employer"], spec["title"])])
                & Slot.status.is_in([SlotStatus.open, SlotStatus.filled])
            )
    await _mark_sent(created, started)


async def _mark_sent(placement_ids: set[str], since: dt.datetime) -> None:
    """The seeding's e-mails count as sent (sent_at = now): a story of weeks and months would
    otherwise reach the console all at once at the worker's first start. What the worker
    finds due itself (a reminder, an evaluation, a follow-up) it still sends."""
    if not placement_ids:
        return
    rows = (
        await OutboxMessage.select(OutboxMessage.id, OutboxMessage.context)
        .where(OutboxMessage.sent_at.is_null() & (OutboxMessage.created_at >= since))
        .output(load_json=True)
    )
    ids = [
        row["id"]
        for row in rows
        if isinstance(row["context"], dict)
        and str(row["context"].get("placement_id")) in placement_ids
    ]
    if ids:
        await OutboxMessage.update({OutboxMessage.sent_at: now()}).where(
            OutboxMessage.id.is_in(ids)
        )


def summary(counts: Mapping[str, int]) -> str:
    """ "2 proposed, 1 requested, …" for the command's output (states with placements)."""
    return ", ".join(
        f"{number} {state.replace('_', ' ')}" for state, number in counts.items() if number
    )
