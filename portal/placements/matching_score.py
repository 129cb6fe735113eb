"""The score of a match as SQL: its parts against one candidate (the slots vary) or one slot.

Points of each part (the higher the better):

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

The fixed side's facts (the candidate's, or the slot's) are parameters of the query, so each
row costs a few comparisons of its own columns. Sub-queries are uncorrelated: `IN (SELECT …)`
over the candidate's occupations and municipalities, which both engines evaluate once per query
(PostgreSQL as a hashed sub-plan, SQLite as a transient index); for a slot's talent pool, the
candidate occupations of its main group (an indexed equality) grouped by candidate and joined
once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from piccolo.querystring import QueryString

from portal.candidates.tables import Candidate
from portal.placements.tables import OPEN_STATES

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

PARTS = (
    "occupation_points",
    "german_points",
    "place_points",
    "date_points",
    "hours_points",
    "shift_points",
)


def _postgres() -> bool:
    return bool(Candidate._meta.db.engine_type == "postgres")


def _case(condition: str, points: int, *args: Any, otherwise: int = 0) -> QueryString:
    return QueryString(f"CASE WHEN {condition} THEN {points} ELSE {otherwise} END", *args)


# -- the parts of the score, against one candidate (the slots vary) ---------------------------
# The fixed side's facts are folded into the SQL as parameters, so that each row costs a few
# comparisons of its own columns.


def slot_parts(candidate: Mapping[str, Any]) -> list[QueryString]:
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


def occupation_points(slot: Mapping[str, Any], *, pool: bool) -> tuple[QueryString, QueryString]:
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


def candidate_parts(slot: Mapping[str, Any], occupation: QueryString) -> list[QueryString]:
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


def select_parts(parts: list[QueryString]) -> QueryString:
    names = [*PARTS, "proposed"]
    template = ", ".join(f"{{}} AS {name}" for name in names)
    return QueryString(template, *parts)
