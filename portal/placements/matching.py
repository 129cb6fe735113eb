"""Matching: the open slots ranked for a candidate, the candidates ranked for a slot.

The ranking runs in the database: one query (ORDER BY score LIMIT, the total as a window
count), whatever the number of slots or candidates; the explanations are built in Python for
the page's rows only, from the columns the page query returned. The score's parts are in
`matching_score.py`, the explanations in `matching_reasons.py`.

Ties: slots by their start date, then (like candidates) by id — not by a text column, whose
collation makes sorting tens of thousands of rows several times slower.

The facts the explanations need are joined to the page's rows only, after the LIMIT.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from piccolo.columns.combination import Combinable
from piccolo.querystring import QueryString

from portal.accounts.tables import OrgStatus
from portal.candidates.tables import Candidate, CandidateStatus
from portal.employers.tables import SlotStatus
from portal.pagination import Page, clamp, offset
from portal.placements.matching_reasons import explain
from portal.placements.matching_score import (
    PARTS,
    candidate_parts,
    occupation_points,
    select_parts,
    slot_parts,
)

PER_PAGE = 20

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
DATE_KEYS = ("start_date", "end_date", "earliest_start")
BOOL_KEYS = ("flexible", "german_in_course", "slot_shift", "candidate_shift", "proposed")
UUID_KEYS = ("slot_id", "candidate_id", "employer_id")


# -- the two directions -----------------------------------------------------------------------


def _slot_visible(today: dt.date) -> QueryString:
    """Open, not begun (fixed dates) or over (flexible), of an approved employer (as
    search.services.visible)."""
    return QueryString(
        "slot.status = {} AND slot.end_date >= {} AND (slot.flexible OR slot.start_date >= {}) "
        "AND employer.status = {}",
        SlotStatus.open.value,
        today,
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
        select_parts(slot_parts(candidate)),
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
    join, occupation = occupation_points(slot, pool=where is None)
    inner = QueryString(
        "SELECT candidate.id AS candidate_id, {}, COUNT(*) OVER () AS total "
        "FROM candidate {} WHERE {}",
        select_parts(candidate_parts(slot, occupation)),
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
