"""Matching: the open slots ranked for a candidate, the candidates ranked for a slot.

The ranking runs in the database: one count and one page query (ORDER BY score LIMIT), whatever
the number of slots or candidates; the explanations are built in Python for the page's rows only,
from the columns the page query returned. Points of each part (the higher the better):

- occupation (0–40): the slot's KldB code among the candidate's desired occupations 40, among
  their vocational training or work experience 35; the same 3-digit group 30 / 25; the same
  2-digit main group ("field") 20 / 15; nothing in common 0. Every value is distinct, so the
  page can say which level matched.
- German (20 or below zero): no minimum, or the candidate's CEFR level at or above it, 20; below
  the minimum or unknown −40, −30 while the person attends a German course — such a candidate is
  ranked low but still shown, with a line saying so.
- municipality (15): the slot's municipality is among those the candidate can reach.
- dates (10): no earliest start, or early enough — a fixed slot by its first day, a flexible one
  by its last day less its duration.
- hours (5): no limit given, or at least the slot's hours a week.
- shift work (5): the slot needs no shift work, or the candidate can work shifts.

Ties: slots by their start date, candidates by their code. The sub-queries over the candidate's
occupations and municipalities (or over a slot's codes) are uncorrelated `IN (SELECT …)`, which
both engines evaluate once per query (PostgreSQL as a hashed sub-plan, SQLite as a transient
index) over the indexed prefix columns, instead of once per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.columns.combination import Combinable
from piccolo.querystring import QueryString

from portal.accounts.tables import OrgStatus
from portal.candidates.tables import Candidate, CandidateStatus
from portal.employers.tables import SlotStatus
from portal.i18n import _, format_date
from portal.pagination import Page, clamp, offset
from portal.placements.tables import OPEN_STATES

PER_PAGE = 20

# Points of an occupation match: (column of the prefix, desired, training or experience).
OCCUPATION_LEVELS = (
    ("occupation", 40, 35),
    ("occupation_group", 30, 25),
    ("occupation_main_group", 20, 15),
)
GERMAN_MET, GERMAN_BELOW, GERMAN_BELOW_IN_COURSE = 20, -40, -30
PLACE_POINTS, DATE_POINTS, HOURS_POINTS, SHIFT_POINTS = 15, 10, 5, 5
MAX_SCORE = 40 + GERMAN_MET + PLACE_POINTS + DATE_POINTS + HOURS_POINTS + SHIFT_POINTS

_OPEN_STATES_SQL = ", ".join(f"'{state.value}'" for state in sorted(OPEN_STATES))

# The facts of both sides that the explanations need, the same columns in both directions.
FACTS = """
    slot.id AS slot_id, slot.title, slot.kind, slot.employer AS employer_id,
    employer.name AS employer_name, slot.occupation, slot.occupation_group,
    slot.occupation_main_group, slot.municipality, slot.min_german, slot.start_date,
    slot.end_date, slot.flexible, slot.duration_days, slot.hours_per_week AS slot_hours,
    slot.shift_work AS slot_shift, slot.places,
    candidate.id AS candidate_id, candidate.code, candidate.german_level,
    candidate.german_in_course, candidate.earliest_start,
    candidate.hours_per_week AS candidate_hours, candidate.shift_work AS candidate_shift,
    candidate.permit_status
"""
PARTS = (
    "occupation_points",
    "german_points",
    "place_points",
    "date_points",
    "hours_points",
    "shift_points",
)
DATE_KEYS = ("start_date", "end_date", "earliest_start")
BOOL_KEYS = ("flexible", "german_in_course", "slot_shift", "candidate_shift", "proposed")
UUID_KEYS = ("slot_id", "candidate_id", "employer_id")


def _postgres() -> bool:
    return bool(Candidate._meta.db.engine_type == "postgres")


# -- the parts of the score -------------------------------------------------------------------


def _german() -> str:
    # CEFR codes sort in their order as text: A1 < A2 < B1 < B2 < C1 < C2.
    return f"""CASE WHEN slot.min_german IS NULL THEN {GERMAN_MET}
        WHEN candidate.german_level IS NOT NULL AND candidate.german_level >= slot.min_german
            THEN {GERMAN_MET}
        WHEN candidate.german_in_course THEN {GERMAN_BELOW_IN_COURSE}
        ELSE {GERMAN_BELOW} END"""


def _dates() -> str:
    # A flexible slot runs `duration_days` somewhere in its window: the latest possible start
    # is the last day less the duration plus one.
    if _postgres():
        flexible = "candidate.earliest_start + slot.duration_days - 1 <= slot.end_date"
    else:
        flexible = (
            "julianday(candidate.earliest_start) + slot.duration_days - 1"
            " <= julianday(slot.end_date)"
        )
    return f"""CASE WHEN candidate.earliest_start IS NULL THEN {DATE_POINTS}
        WHEN slot.flexible AND {flexible} THEN {DATE_POINTS}
        WHEN NOT slot.flexible AND candidate.earliest_start <= slot.start_date THEN {DATE_POINTS}
        ELSE 0 END"""


def _hours() -> str:
    return f"""CASE WHEN candidate.hours_per_week IS NULL
        OR candidate.hours_per_week >= slot.hours_per_week THEN {HOURS_POINTS} ELSE 0 END"""


def _shift() -> str:
    return f"CASE WHEN NOT slot.shift_work OR candidate.shift_work THEN {SHIFT_POINTS} ELSE 0 END"


def _occupation_for_candidate(candidate_id: UUID) -> QueryString:
    """Points of each slot against one candidate's occupations (sub-queries run once)."""
    cases = []
    args: list[Any] = []
    for column, desired, other in OCCUPATION_LEVELS:
        for kind, points in (("=", desired), ("<>", other)):
            cases.append(
                f"WHEN slot.{column} IN (SELECT {column} FROM candidate_occupation "  # noqa: S608
                f"WHERE candidate = {{}} AND kind {kind} 'desired' AND {column} <> '') "
                f"THEN {points}"
            )
            args.append(candidate_id)
    return QueryString("CASE " + " ".join(cases) + " ELSE 0 END", *args)


def _occupation_for_slot(slot: Mapping[str, Any]) -> QueryString:
    """Points of each candidate against one slot's codes (sub-queries run once)."""
    cases = []
    args: list[Any] = []
    for column, desired, other in OCCUPATION_LEVELS:
        if not slot[column]:
            continue
        for kind, points in (("=", desired), ("<>", other)):
            cases.append(
                "WHEN candidate.id IN (SELECT candidate FROM candidate_occupation "  # noqa: S608
                f"WHERE {column} = {{}} AND kind {kind} 'desired') THEN {points}"
            )
            args.append(slot[column])
    if not cases:
        return QueryString("0")
    return QueryString("CASE " + " ".join(cases) + " ELSE 0 END", *args)


def _parts(occupation: QueryString, place: QueryString, proposed: QueryString) -> QueryString:
    return QueryString(
        f"{FACTS}, {{}} AS occupation_points, ({_german()}) AS german_points, "
        f"CASE WHEN {{}} THEN {PLACE_POINTS} ELSE 0 END AS place_points, "
        f"({_dates()}) AS date_points, ({_hours()}) AS hours_points, "
        f"({_shift()}) AS shift_points, "
        "CASE WHEN {} THEN 1 ELSE 0 END AS proposed",
        occupation,
        place,
        proposed,
    )


# -- the two directions -----------------------------------------------------------------------


def _slot_visible(today: dt.date) -> QueryString:
    """Open, not over, of an approved employer (as search.services.visible)."""
    return QueryString(
        "slot.status = {} AND slot.end_date >= {} AND employer.status = {}",
        SlotStatus.open.value,
        today,
        OrgStatus.active.value,
    )


def _candidate_listed(where: Combinable | None) -> QueryString:
    """Active, not erased, with the consent in force: to show the profile (case workers, within
    `where`), or to be in the talent pool (employers, `where` None)."""
    scope = "show_profile" if where is not None else "talent_pool"
    return QueryString(
        "candidate.status = {} AND candidate.erased_at IS NULL AND EXISTS (SELECT 1 FROM consent "  # noqa: S608
        "WHERE consent.candidate = candidate.id AND consent.ended_at IS NULL "
        f"AND consent.{scope}) AND {{}}",
        CandidateStatus.active.value,
        where.querystring if where is not None else QueryString("1 = 1"),
    )


async def _ranked(
    source: QueryString, parts: QueryString, ties: str, *, number: int, total: int
) -> list[dict[str, Any]]:
    """The page `number` of `source` by score, with the names of what it refers to."""
    # Only constants and column names are formatted into the SQL; values are parameters.
    query = QueryString(
        f"""SELECT ranked.*, o5.name AS occupation_name, o3.name AS group_name,
            o2.name AS main_group_name, m.name AS municipality_name
        FROM (
            SELECT parts.*, ({" + ".join(f"parts.{p}" for p in PARTS)}) AS score
            FROM (SELECT {{}} {{}}) parts
            ORDER BY score DESC, {ties} LIMIT {{}} OFFSET {{}}
        ) ranked
        LEFT JOIN occupation o5 ON o5.code = ranked.occupation
        LEFT JOIN occupation o3 ON o3.code = ranked.occupation_group
        LEFT JOIN occupation o2 ON o2.code = ranked.occupation_main_group
        LEFT JOIN municipality m ON m.id = ranked.municipality
        ORDER BY ranked.score DESC, {ties.replace("parts.", "ranked.")}""",  # noqa: S608
        parts,
        source,
        PER_PAGE,
        offset(clamp(number, total, PER_PAGE), PER_PAGE),
    )
    return [_typed(row) for row in await Candidate.raw("{}", query)]


async def _count(source: QueryString) -> int:
    rows = await Candidate.raw("SELECT COUNT(*) AS n {}", source)
    return int(rows[0]["n"])


async def slots_for_candidate(candidate_id: UUID, *, today: dt.date, number: int) -> Page:
    """A page of the open slots ranked for the candidate: one count and one page query."""
    count_source = QueryString(
        "FROM slot JOIN organisation employer ON employer.id = slot.employer WHERE {}",
        _slot_visible(today),
    )
    source = QueryString(
        "FROM slot JOIN organisation employer ON employer.id = slot.employer "
        "CROSS JOIN candidate WHERE candidate.id = {} AND {}",
        candidate_id,
        _slot_visible(today),
    )
    parts = _parts(
        _occupation_for_candidate(candidate_id),
        QueryString(
            "slot.municipality IN (SELECT municipality FROM candidate_municipality "
            "WHERE candidate = {})",
            candidate_id,
        ),
        QueryString(
            f"slot.id IN (SELECT slot FROM placement WHERE candidate = {{}} "  # noqa: S608
            f"AND state IN ({_OPEN_STATES_SQL}))",
            candidate_id,
        ),
    )
    total = await _count(count_source)
    rows = await _ranked(
        source, parts, "parts.start_date, parts.slot_id", number=number, total=total
    )
    return _page(rows, number, total, today)


async def candidates_for_slot(
    slot: Mapping[str, Any], *, where: Combinable | None, today: dt.date, number: int
) -> Page:
    """A page of candidates ranked for `slot` (a Slot row): within `where` with the consent to
    show the profile (a case worker's caseload), or, `where` None, the talent pool."""
    listed = _candidate_listed(where)
    count_source = QueryString("FROM candidate WHERE {}", listed)
    source = QueryString(
        "FROM candidate CROSS JOIN slot JOIN organisation employer ON employer.id = slot.employer "
        "WHERE slot.id = {} AND {}",
        slot["id"],
        listed,
    )
    parts = _parts(
        _occupation_for_slot(slot),
        QueryString(
            "candidate.id IN (SELECT candidate FROM candidate_municipality "
            "WHERE municipality = {})",
            slot["municipality"],
        ),
        QueryString(
            f"candidate.id IN (SELECT candidate FROM placement WHERE slot = {{}} "  # noqa: S608
            f"AND state IN ({_OPEN_STATES_SQL}))",
            slot["id"],
        ),
    )
    total = await _count(count_source)
    rows = await _ranked(
        source, parts, "parts.code, parts.candidate_id", number=number, total=total
    )
    return _page(rows, number, total, today)


def _page(rows: list[dict[str, Any]], number: int, total: int, today: dt.date) -> Page:
    for row in rows:
        row["reasons"] = explain(row, today)
    return Page(rows=rows, number=clamp(number, total, PER_PAGE), total=total, per_page=PER_PAGE)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """SQLite returns computed and derived columns untyped: dates as text, booleans as 0/1."""
    for key in DATE_KEYS:
        if isinstance(row.get(key), str):
            row[key] = dt.date.fromisoformat(row[key])
    for key in BOOL_KEYS:
        row[key] = bool(row.get(key))
    for key in UUID_KEYS:
        if row.get(key) is not None and not isinstance(row[key], UUID):
            row[key] = UUID(str(row[key]))
    return row


# -- why --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One line of a match's explanation: which part, whether it is met, in words."""

    part: str
    met: bool
    text: str


def explain(row: Mapping[str, Any], today: dt.date) -> list[Reason]:
    """Why this slot and this candidate fit (or do not), one line per part of the score."""
    reasons = [
        _explain_occupation(row),
        _explain_german(row),
        _explain_place(row),
        _explain_dates(row, today),
        _explain_hours(row),
    ]
    if row["slot_shift"]:
        reasons.append(
            Reason("shift", True, _("Shift work possible"))
            if row["candidate_shift"]
            else Reason("shift", False, _("No shift work, the slot needs it"))
        )
    return reasons


def _explain_occupation(row: Mapping[str, Any]) -> Reason:
    points = row["occupation_points"]
    code, name = row["occupation"], row.get("occupation_name") or ""
    group, group_name = row["occupation_group"], row.get("group_name") or ""
    field, field_name = row["occupation_main_group"], row.get("main_group_name") or ""
    texts = {
        40: _("Occupation matches %(code)s (%(name)s)", code=code, name=name),
        35: _("Training or experience in %(code)s (%(name)s)", code=code, name=name),
        30: _(
            "Desired occupation in the same group %(code)s (%(name)s)",
            code=group,
            name=group_name,
        ),
        25: _(
            "Training or experience in the same group %(code)s (%(name)s)",
            code=group,
            name=group_name,
        ),
        20: _(
            "Desired occupation in the same field %(code)s (%(name)s)",
            code=field,
            name=field_name,
        ),
        15: _(
            "Training or experience in the same field %(code)s (%(name)s)",
            code=field,
            name=field_name,
        ),
    }
    if points in texts:
        return Reason("occupation", True, texts[points])
    return Reason(
        "occupation",
        False,
        _("No occupation in the field %(code)s (%(name)s)", code=field, name=field_name),
    )


def _explain_german(row: Mapping[str, Any]) -> Reason:
    level, required = row["german_level"], row["min_german"]
    if row["german_points"] == GERMAN_MET:
        if required is None:
            return Reason("german", True, _("No German level required"))
        return Reason(
            "german",
            True,
            _("German %(level)s ≥ %(required)s required", level=level, required=required),
        )
    if level is None:
        text = _("German level unknown, %(required)s required", required=required)
    else:
        text = _("German %(level)s < %(required)s required", level=level, required=required)
    if row["german_in_course"]:
        text = _("%(text)s (in a German course)", text=text)
    return Reason("german", False, text)


def _explain_place(row: Mapping[str, Any]) -> Reason:
    place = row.get("municipality_name") or ""
    if row["place_points"]:
        return Reason("place", True, _("%(place)s reachable", place=place))
    return Reason("place", False, _("%(place)s not among the reachable places", place=place))


def _explain_dates(row: Mapping[str, Any], today: dt.date) -> Reason:
    earliest = row["earliest_start"]
    if row["date_points"]:
        if earliest is None or earliest <= today:
            return Reason("dates", True, _("Available now"))
        return Reason("dates", True, _("Available from %(date)s", date=format_date(earliest)))
    if row["flexible"]:
        text = _(
            "Available only from %(date)s, the slot's period ends %(end)s",
            date=format_date(earliest),
            end=format_date(row["end_date"]),
        )
    else:
        text = _(
            "Available only from %(date)s, the internship starts %(start)s",
            date=format_date(earliest),
            start=format_date(row["start_date"]),
        )
    return Reason("dates", False, text)


def _explain_hours(row: Mapping[str, Any]) -> Reason:
    hours = row["slot_hours"]
    if row["hours_points"]:
        return Reason("hours", True, _("%(hours)s hours a week possible", hours=hours))
    return Reason(
        "hours",
        False,
        _(
            "Only %(possible)s of %(hours)s hours a week possible",
            possible=row["candidate_hours"],
            hours=hours,
        ),
    )
