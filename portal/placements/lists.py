"""The lists of placements: the case worker's "my placements" and the employer's inbox.

Every list is a constant number of queries whatever its length: a count and a page per list,
then one query each for what the rows need besides their own columns (the desired occupations
of the candidates on a page, the confirmed checklist items of a page, the follow-ups due).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from piccolo.columns import Boolean
from piccolo.columns.combination import Combinable
from piccolo.querystring import QueryString

from portal.auth import CurrentUser
from portal.auth.policy import case_worker_placements_where, own
from portal.candidates.tables import CandidateOccupation, OccupationKind
from portal.clock import now
from portal.employers.tables import SlotKind
from portal.i18n import N_, _, format_date
from portal.pagination import PER_PAGE, Page, clamp, offset, paginate
from portal.placements import checklist
from portal.placements.tables import (
    ChecklistItem,
    FollowUp,
    Origin,
    Placement,
    PlacementState,
)
from portal.placements.transitions import DECLINE_REASONS

S = PlacementState

# The lifecycle's order, for "the rest by state".
STATE_ORDER = [
    S.requested, S.proposed, S.accepted, S.preparing, S.in_progress, S.completed, S.outcome,
    S.aborted, S.declined, S.withdrawn,
]  # fmt: skip
# ORDER BY CASE placement.state WHEN 'requested' THEN 0 … END (the values are parameters).
_STATE_RANK = QueryString(
    "CASE placement.state " + "WHEN {} THEN {} " * len(STATE_ORDER) + "ELSE 99 END",
    *(value for rank, state in enumerate(STATE_ORDER) for value in (state.value, rank)),
)


def row_columns() -> list[Any]:
    """What a row of either list shows: the code, the slot, the employer, state and dates."""
    return [
        Placement.id,
        Placement.state,
        Placement.origin,
        Placement.note,
        Placement.created_at,
        Placement.state_changed_at,
        Placement.start_date,
        Placement.end_date,
        Placement.identity_released_at,
        Placement.outcome,
        Placement.slot.title.as_alias("slot_title"),
        Placement.slot.kind.as_alias("slot_kind"),
        Placement.slot.start_date.as_alias("slot_start"),
        Placement.slot.end_date.as_alias("slot_end"),
        Placement.employer.name.as_alias("employer_name"),
        Placement.candidate.code.as_alias("candidate_code"),
        Placement.candidate.german_level.as_alias("german_level"),
    ]


# -- the case worker's placements -------------------------------------------------------------


def case_worker_where(user: CurrentUser) -> Combinable:
    """The placements `user` is on the case worker's side of (`policy.placement_side`)."""
    return case_worker_placements_where(
        user,
        agency=Placement.agency,
        agency_shared=cast(Boolean, Placement.agency.caseload_shared),
        case_manager=Placement.case_manager,
        candidate_case_manager=Placement.candidate.case_manager,
    )


async def has_placement_on_slot(user: CurrentUser, slot_id: Any) -> bool:
    """Whether `user` is on the case worker's side of a placement at this slot (which lets them
    read the slot's details and contact person after it has left the open offers)."""
    return await Placement.exists().where(  # type: ignore[no-any-return]
        (Placement.slot == slot_id) & case_worker_where(user)
    )


@functools.cache
def checklist_incomplete() -> Combinable:
    """A placement lacking one of the items its slot's kind requires (checklist.required_items).

    Built once: the same condition every time (no dates, no user), and building its subselects
    cost the console's attention view more CPU than PostgreSQL's answer (STACK-NOTES 13)."""
    by_kind: Combinable | None = None
    for kind in SlotKind:
        missing: Combinable | None = None
        for item in checklist.required_items(kind):
            done = ChecklistItem.select(ChecklistItem.placement).where(ChecklistItem.item == item)
            lacking = Placement.id.not_in(done)
            missing = lacking if missing is None else missing | lacking
        if missing is not None:
            this_kind = (Placement.slot.kind == kind) & missing
            by_kind = this_kind if by_kind is None else by_kind | this_kind
    assert by_kind is not None  # noqa: S101
    return by_kind


def follow_ups_due(today: dt.date) -> Any:
    return FollowUp.select(FollowUp.placement).where(
        (FollowUp.due_on <= today) & FollowUp.result.is_null()
    )


def needs_action(today: dt.date) -> Combinable:
    """What waits for the case worker: a request to answer, an accepted candidate to release and
    date, a checklist to complete, an outcome to record, a follow-up due."""
    return (
        Placement.state.is_in([S.requested, S.accepted, S.completed])
        | ((Placement.state == S.preparing) & checklist_incomplete())
        | Placement.id.is_in(follow_ups_due(today))
    )


def parse_state(value: str | None) -> str:
    """The state filter from the URL; anything else is no filter."""
    return value if value in {state.value for state in S} else ""


# Employers' answers to nominations this recent are news to the case worker.
ANSWERS_DAYS = 14


def _answered(today: dt.date) -> Combinable:
    since = now() - dt.timedelta(days=ANSWERS_DAYS)
    return (Placement.origin == Origin.nomination) & (Placement.answered_at >= since)


# What waits for the case worker, each a section of their home page (home/case_work.py) and a
# filter of their list, so that a section's "all …" link shows just that section's placements.
NEEDS: dict[str, Callable[[dt.date], Combinable]] = {
    "requests": lambda today: Placement.state == S.requested,
    "answers": _answered,
    "accepted": lambda today: Placement.state == S.accepted,
    "checklist": lambda today: (Placement.state == S.preparing) & checklist_incomplete(),
    # An outcome to record after completion, or a follow-up due.
    "closing": lambda today: (
        (Placement.state == S.completed) | Placement.id.is_in(follow_ups_due(today))
    ),
}
NEED_LABELS: dict[str, str] = {
    "requests": N_("Requests from employers"),
    "answers": N_("Answers of the last 14 days"),
    "accepted": N_("Accepted: release and dates"),
    "checklist": N_("Checklist incomplete before the start"),
    "closing": N_("Outcome or follow-up due"),
}


def parse_need(value: str | None) -> str:
    """The to-do filter from the URL (a key of NEEDS); anything else is no filter."""
    return value if value in NEEDS else ""


async def my_placements(
    user: CurrentUser, *, state: str, number: int, today: dt.date, need: str = ""
) -> Page:
    """The case worker's placements, those needing their action first (oldest waiting first),
    then the rest by state (newest change first): two counts and at most two page queries."""
    base = [case_worker_where(user)]
    if state:
        base.append(Placement.state == state)
    if need:
        base.append(NEEDS[need](today))
    urgent = needs_action(today)
    waiting = await _count([*base, urgent])
    rest = await _count([*base, _negate(urgent)])
    number = clamp(number, waiting + rest)
    start, end = offset(number), offset(number) + PER_PAGE
    rows: list[dict[str, Any]] = []
    if start < waiting:
        query = _select([*base, urgent]).order_by(Placement.state_changed_at)
        found = await query.order_by(Placement.id).limit(min(end, waiting) - start).offset(start)
        rows += [{**row, "needs_action": True} for row in found]
    if end > waiting:
        query = _select([*base, _negate(urgent)]).order_by(_STATE_RANK)
        query = query.order_by(Placement.state_changed_at, ascending=False).order_by(Placement.id)
        found = await query.limit(end - max(start, waiting)).offset(max(start - waiting, 0))
        rows += [{**row, "needs_action": False} for row in found]
    await add_follow_ups(rows, today)
    for row in rows:
        row["next"] = next_step(row)
    filters = {"state": state, "need": need}
    return Page(rows=rows, number=number, total=waiting + rest, filters=filters)


def _negate(condition: Combinable) -> Combinable:
    """NOT (condition), which Piccolo has no operator for; the placement's id is never null."""
    return Placement.id.not_in(Placement.select(Placement.id).where(condition))


def _select(conditions: Iterable[Combinable]) -> Any:
    query = Placement.select(*row_columns())
    for condition in conditions:
        query = query.where(condition)
    return query


async def _count(conditions: Iterable[Combinable]) -> int:
    query = Placement.count()
    for condition in conditions:
        query = query.where(condition)
    return await query


async def add_follow_ups(rows: list[dict[str, Any]], today: dt.date) -> None:
    """The months of the follow-up due of each outcome row (one query for the page)."""
    ids = [row["id"] for row in rows if row["state"] == S.outcome]
    due: dict[str, int] = {}
    if ids:
        found = await FollowUp.select(FollowUp.placement, FollowUp.months).where(
            FollowUp.placement.is_in(ids) & (FollowUp.due_on <= today) & FollowUp.result.is_null()
        )
        for follow_up in found:
            due.setdefault(str(follow_up["placement"]), follow_up["months"])
    for row in rows:
        row["follow_up_due"] = due.get(str(row["id"]))


def next_step(row: Mapping[str, Any]) -> str:
    """What the case worker does next with the placement, in a few words."""
    state = S(row["state"])
    if state == S.requested:
        return _("Confirm or decline the employer's request")
    if state == S.proposed:
        return _("Waiting for the employer's answer")
    if state == S.accepted:
        if row["identity_released_at"] is None:
            return _("Release name and contact, then fix the dates")
        return _("Fix the dates")
    if state == S.preparing:
        if row["needs_action"]:
            return _("Complete the start checklist")
        return _("Ready to start on %(date)s", date=_date(row["start_date"]))
    if state == S.in_progress:
        return _("Internship running until %(date)s", date=_date(row["end_date"]))
    if state == S.completed:
        return _("Record the outcome")
    if state == S.outcome and row.get("follow_up_due"):
        return _("Record the follow-up after %(n)s months", n=row["follow_up_due"])
    return _("Nothing to do")


def _date(value: dt.date | None) -> str:
    return format_date(value) if value else "–"


# -- the employer's inbox ---------------------------------------------------------------------

NEW = (S.proposed, S.requested)
INTERNS = (S.accepted, S.preparing, S.in_progress)
# Earlier placements: answered no, withdrawn, ended — reachable from the inbox, newest first.
CLOSED = (S.declined, S.withdrawn, S.completed, S.aborted, S.outcome)
SECTIONS = ("new", "interns", "due", "closed")


def section_where(user: CurrentUser, section: str, today: dt.date) -> list[Combinable]:
    mine: list[Combinable] = [own(user, Placement.employer)]
    if section == "new":
        return [*mine, Placement.state.is_in(list(NEW))]
    if section == "interns":
        return [*mine, Placement.state.is_in(list(INTERNS))]
    if section == "closed":
        return [*mine, Placement.state.is_in(list(CLOSED))]
    return [*mine, Placement.state == S.in_progress, Placement.end_date <= today]


SECTION_ORDER: dict[str, list[tuple[Any, bool]]] = {
    "new": [(Placement.created_at, False)],
    "interns": [(Placement.start_date, True), (Placement.slot.start_date, True)],
    "due": [(Placement.end_date, True)],
    "closed": [(Placement.state_changed_at, False)],
}


async def inbox(
    user: CurrentUser, *, today: dt.date, only: str = "", number: int = 1
) -> dict[str, Page]:
    """The employer's three sections (or only one, paginated): a count and a page each, then
    one query for the desired occupations and one for the checklists of all rows."""
    pages: dict[str, Page] = {}
    for section in SECTIONS:
        if only and section != only:
            continue
        pages[section] = await paginate(
            Placement,
            Placement.select(*row_columns()),
            section_where(user, section, today),
            number=number if only else 1,
            order_by=SECTION_ORDER[section],
            filters={"section": section},
        )
    rows = [row for page in pages.values() for row in page.rows]
    await add_occupations([row for row in rows if row["state"] in NEW])
    await add_readiness([row for row in rows if row["state"] in INTERNS])
    return pages


async def inbox_counts(user: CurrentUser, *, today: dt.date) -> dict[str, int]:
    """How many placements each section of the inbox holds (one count per section), for the
    headings after a decision changed them."""
    counts: dict[str, int] = {}
    for section in SECTIONS:
        conditions = section_where(user, section, today)
        query = Placement.count()
        for condition in conditions:
            query = query.where(condition)
        counts[section] = await query
    return counts


async def inbox_row(user: CurrentUser, placement_id: Any) -> dict[str, Any] | None:
    """One row of the inbox (after a decision), with its summary and readiness."""
    row = await (
        Placement.select(*row_columns())
        .where((Placement.id == placement_id) & own(user, Placement.employer))
        .first()
    )
    if row is not None:
        await add_occupations([row])
        await add_readiness([row])
    return row


async def add_occupations(rows: list[dict[str, Any]]) -> None:
    """The desired occupations of the rows' candidates (one query), as "code name" labels."""
    if not rows:
        return
    candidates = {row["candidate_code"] for row in rows}
    found = (
        await CandidateOccupation.select(
            CandidateOccupation.candidate.code.as_alias("code"),
            CandidateOccupation.occupation.code.as_alias("occupation"),
            CandidateOccupation.occupation.name.as_alias("name"),
        )
        .where(
            CandidateOccupation.candidate.code.is_in(list(candidates))
            & (CandidateOccupation.kind == OccupationKind.desired)
        )
        .order_by(CandidateOccupation.occupation)
    )
    by_code: dict[str, list[str]] = defaultdict(list)
    for occupation in found:
        by_code[occupation["code"]].append(f"{occupation['occupation']} {occupation['name']}")
    for row in rows:
        row["occupations"] = by_code.get(row["candidate_code"], [])


async def add_readiness(rows: list[dict[str, Any]]) -> None:
    """Whether each row's start checklist is complete (one query for all rows)."""
    if not rows:
        return
    found = await ChecklistItem.select(ChecklistItem.placement, ChecklistItem.item).where(
        ChecklistItem.placement.is_in([row["id"] for row in rows])
    )
    done: dict[str, set[str]] = defaultdict(set)
    for item in found:
        done[str(item["placement"])].add(item["item"])
    for row in rows:
        required = checklist.required_items(row["slot_kind"])
        row["ready"] = all(item in done[str(row["id"])] for item in required)


def decline_reasons() -> list[tuple[str, str]]:
    return [(code, _(label)) for code, label in DECLINE_REASONS.items()]
