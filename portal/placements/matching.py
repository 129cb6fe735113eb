"""Matching: the open slots ranked for a candidate, the candidates ranked for a slot.

The ranking runs in the database: one query (ORDER BY score LIMIT, the total as a window
count), whatever the number of slots or candidates; the explanations are built in Python for
the page's rows only, from the columns the page query returned. Points of each part (the higher
the better):

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

Ties: slots by their start date, then (like candidates) by id — not by a text column, whose
collation makes sorting tens of thousands of rows several times slower.

The fixed side's facts (the candidate's, or the slot's) are parameters of the query, so each
row costs a few comparisons of its own columns. Sub-queries are uncorrelated: `IN (SELECT …)`
over the candidate's occupations and municipalities, which both engines evaluate once per query
(PostgreSQL as a hashed sub-plan, SQLite as a transient index); for a slot's talent pool, the
candidate occupations of its main group (an indexed equality) grouped by candidate and joined
once. The facts the explanations need are joined to the page's rows only, after the LIMIT.
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

# The facts of both sides that the explanations need, joined to the page's rows only.
FACTS = """
    slot.title, slot.kind, slot.employer AS employer_id, employer.name AS employer_name,
    slot.occupation, slot.occupation_group, slot.occupation_main_group, slot.municipality,
    slot.min_german, slot.start_date, slot.end_date, slot.flexible, slot.duration_days,
    slot.hours_per_week AS slot_hours, slot.shift_work AS slot_shift, slot.places,
    candidate.code, candidate.german_level, candidate.german_in_course,
    candidate.earliest_start, candidate.hours_per_week AS candidate_hours,
    candidate.shift_work AS candidate_shift, candidate.permit_status
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


def _case(condition: str, points: int, *args: Any, otherwise: int = 0) -> QueryString:
    return QueryString(f"CASE WHEN {condition} THEN {points} ELSE {otherwise} END", *args)


# -- the parts of the score, against one candidate (the slots vary) ---------------------------
# The fixed side's facts are folded into the SQL as parameters, so that each row costs a few
# comparisons of its own columns.


def _slot_parts(candidate: Mapping[str, Any]) -> list[QueryString]:
    cid = candidate["id"]
    occupation = []
    args: list[Any] = []
    for column, desired, other in OCCUPATION_LEVELS:
        for kind, points in (("=", desired), ("<>", other)):
            occupation.append(
                f"WHEN slot.{column} IN (SELECT {column} FROM candidate_occupation "  # noqa: S608
                f"WHERE candidate = {{}} AND kind {kind} 'desired' AND {column} <> '') "
                f"THEN {points}"
            )
            args.append(cid)
    below = GERMAN_BELOW_IN_COURSE if candidate["german_in_course"] else GERMAN_BELOW
    if candidate["german_level"] is None:
        german = _case("slot.min_german IS NULL", GERMAN_MET, otherwise=below)
    else:
        german = _case(
            # CEFR codes sort in their order as text: A1 < A2 < B1 < B2 < C1 < C2.
            "slot.min_german IS NULL OR slot.min_german <= {}",
            GERMAN_MET,
            candidate["german_level"],
            otherwise=below,
        )
    earliest = candidate["earliest_start"]
    if earliest is None:
        dates = QueryString(str(DATE_POINTS))
    else:
        # A flexible slot runs `duration_days` somewhere in its window: its latest start is
        # the last day less the duration plus one.
        latest_start = (
            "slot.end_date - slot.duration_days + 1 >= {}"
            if _postgres()
            else "julianday(slot.end_date) - slot.duration_days + 1 >= julianday({})"
        )
        dates = _case(
            f"(slot.flexible AND {latest_start})"
            " OR (NOT slot.flexible AND slot.start_date >= {})",
            DATE_POINTS,
            earliest,
            earliest,
        )
    hours = candidate["hours_per_week"]
    return [
        QueryString("CASE " + " ".join(occupation) + " ELSE 0 END", *args),
        german,
        _case(
            "slot.municipality IN (SELECT municipality FROM candidate_municipality "
            "WHERE candidate = {})",
            PLACE_POINTS,
            cid,
        ),
        dates,
        QueryString(str(HOURS_POINTS))
        if hours is None
        else _case("slot.hours_per_week <= {}", HOURS_POINTS, hours),
        QueryString(str(SHIFT_POINTS))
        if candidate["shift_work"]
        else _case("slot.shift_work", 0, otherwise=SHIFT_POINTS),
        _case(
            f"slot.id IN (SELECT slot FROM placement WHERE candidate = {{}} "  # noqa: S608
            f"AND state IN ({_OPEN_STATES_SQL}))",
            1,
            cid,
        ),
    ]


# -- the parts of the score, against one slot (the candidates vary) ---------------------------


def _occupation_points(slot: Mapping[str, Any], *, pool: bool) -> tuple[QueryString, QueryString]:
    """(a join, the points of the candidate's best occupation in the slot's field).

    Only candidate occupations of the slot's main group count (an indexed equality). For the
    talent pool they are grouped by candidate and joined once; for a caseload (a few thousand
    cases at most) a sub-query per case reads its two or three occupations by the indexed
    candidate column instead of grouping the whole field."""
    if not slot["occupation_main_group"]:
        return QueryString(""), QueryString("0")
    levels = [("occupation", 40, 35)]
    if slot["occupation_group"]:
        levels.append(("occupation_group", 30, 25))
    best = QueryString(
        "MAX(CASE "
        + " ".join(
            f"WHEN {column} = {{}} THEN CASE WHEN kind = 'desired' THEN {desired} ELSE {other} END"
            for column, desired, other in levels
        )
        + " ELSE CASE WHEN kind = 'desired' THEN 20 ELSE 15 END END)",
        *[slot[column] for column, _, _ in levels],
    )
    field = slot["occupation_main_group"]
    if not pool:
        return QueryString(""), QueryString(
            "COALESCE((SELECT {} FROM candidate_occupation WHERE "
            "candidate_occupation.candidate = candidate.id AND occupation_main_group = {}), 0)",
            best,
            field,
        )
    join = QueryString(
        "LEFT JOIN (SELECT candidate AS candidate_id, {} AS points FROM candidate_occupation "
        "WHERE occupation_main_group = {} GROUP BY candidate) best "
        "ON best.candidate_id = candidate.id",
        best,
        field,
    )
    return join, QueryString("COALESCE(best.points, 0)")


def _candidate_parts(slot: Mapping[str, Any], occupation: QueryString) -> list[QueryString]:
    required = slot["min_german"]
    if required is None:
        german = QueryString(str(GERMAN_MET))
    else:
        german = QueryString(
            f"CASE WHEN candidate.german_level >= {{}} THEN {GERMAN_MET} "
            f"WHEN candidate.german_in_course THEN {GERMAN_BELOW_IN_COURSE} "
            f"ELSE {GERMAN_BELOW} END",
            required,
        )
    latest_start = (
        slot["end_date"] - dt.timedelta(days=slot["duration_days"] - 1)
        if slot["flexible"]
        else slot["start_date"]
    )
    return [
        occupation,
        german,
        _case(
            "candidate.id IN (SELECT candidate FROM candidate_municipality "
            "WHERE municipality = {})",
            PLACE_POINTS,
            slot["municipality"],
        ),
        _case(
            "candidate.earliest_start IS NULL OR candidate.earliest_start <= {}",
            DATE_POINTS,
            latest_start,
        ),
        _case(
            "candidate.hours_per_week IS NULL OR candidate.hours_per_week >= {}",
            HOURS_POINTS,
            slot["hours_per_week"],
        ),
        _case("candidate.shift_work", SHIFT_POINTS)
        if slot["shift_work"]
        else QueryString(str(SHIFT_POINTS)),
        _case(
            f"candidate.id IN (SELECT candidate FROM placement WHERE slot = {{}} "  # noqa: S608
            f"AND state IN ({_OPEN_STATES_SQL}))",
            1,
            slot["id"],
        ),
    ]


def _select_parts(parts: list[QueryString]) -> QueryString:
    names = [*PARTS, "proposed"]
    template = ", ".join(f"{{}} AS {name}" for name in names)
    return QueryString(template, *parts)


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
    inner: QueryString, ties: str, outer: QueryString, *, number: int
) -> list[dict[str, Any]]:
    """Page `number` of `inner` (ids, parts and sort keys) by score; the facts of the page's
    rows joined afterwards by `outer`, with the names of the occupations and the municipality.

    `inner` carries the total as a window count: neither engine merges a sub-query with a
    window function into the outer query, so the rows are filtered (consent, status) and
    counted once, then only the best page is kept (PostgreSQL: a top-N heap sort)."""
    query = QueryString(
        f"""SELECT ranked.*, {FACTS}, o5.name AS occupation_name, o3.name AS group_name,
            o2.name AS main_group_name, m.name AS municipality_name
        FROM (
            SELECT parts.*, ({" + ".join(f"parts.{p}" for p in PARTS)}) AS score
            FROM ({{}}) parts
            ORDER BY score DESC, {ties} LIMIT {{}} OFFSET {{}}
        ) ranked
        {{}}
        JOIN organisation employer ON employer.id = slot.employer
        LEFT JOIN occupation o5 ON o5.code = slot.occupation
        LEFT JOIN occupation o3 ON o3.code = slot.occupation_group
        LEFT JOIN occupation o2 ON o2.code = slot.occupation_main_group
        LEFT JOIN municipality m ON m.id = slot.municipality
        ORDER BY ranked.score DESC, {ties.replace("parts.", "ranked.")}""",  # noqa: S608
        inner,
        PER_PAGE,
        offset(number, PER_PAGE),
        outer,
    )
    return [_typed(row) for row in await Candidate.raw("{}", query)]


async def _page_of(
    inner: QueryString, ties: str, outer: QueryString, count: QueryString, number: int
) -> tuple[list[dict[str, Any]], int, int]:
    """(rows, total, page number) in one query; a page past the end counts and shows the last."""
    rows = await _ranked(inner, ties, outer, number=number)
    if rows or number == 1:
        return rows, int(rows[0]["total"]) if rows else 0, number
    total = int((await Candidate.raw("SELECT COUNT(*) AS n {}", count))[0]["n"])
    if total == 0:
        return [], 0, 1
    number = clamp(number, total, PER_PAGE)
    return await _ranked(inner, ties, outer, number=number), total, number


async def slots_for_candidate(candidate: Mapping[str, Any], *, today: dt.date, number: int) -> Page:
    """A page of the open slots ranked for `candidate` (a Candidate row): one query, whatever the
    number of slots."""
    source = QueryString(
        "FROM slot JOIN organisation employer ON employer.id = slot.employer WHERE {}",
        _slot_visible(today),
    )
    inner = QueryString(
        "SELECT slot.id AS slot_id, slot.start_date AS rank_start, {}, "
        "COUNT(*) OVER () AS total {}",
        _select_parts(_slot_parts(candidate)),
        source,
    )
    outer = QueryString(
        "JOIN slot ON slot.id = ranked.slot_id JOIN candidate ON candidate.id = {}",
        candidate["id"],
    )
    rows, total, number = await _page_of(
        inner, "parts.rank_start, parts.slot_id", outer, source, number
    )
    for row in rows:
        row["candidate_id"] = candidate["id"]
    return _page(rows, number, total, today)


async def candidates_for_slot(
    slot: Mapping[str, Any], *, where: Combinable | None, today: dt.date, number: int
) -> Page:
    """A page of candidates ranked for `slot` (a Slot row): within `where` with the consent to
    show the profile (a case worker's caseload), or, `where` None, the talent pool. One query,
    whatever the number of candidates."""
    listed = _candidate_listed(where)
    join, occupation = _occupation_points(slot, pool=where is None)
    inner = QueryString(
        "SELECT candidate.id AS candidate_id, {}, COUNT(*) OVER () AS total "
        "FROM candidate {} WHERE {}",
        _select_parts(_candidate_parts(slot, occupation)),
        join,
        listed,
    )
    outer = QueryString(
        "JOIN candidate ON candidate.id = ranked.candidate_id JOIN slot ON slot.id = {}",
        slot["id"],
    )
    rows, total, number = await _page_of(
        inner,
        "parts.candidate_id",
        outer,
        QueryString("FROM candidate WHERE {}", listed),
        number,
    )
    for row in rows:
        row["slot_id"] = slot["id"]
    return _page(rows, number, total, today)


def _page(rows: list[dict[str, Any]], number: int, total: int, today: dt.date) -> Page:
    for row in rows:
        row["reasons"] = explain(row, today)
    return Page(rows=rows, number=number, total=total, per_page=PER_PAGE)


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
