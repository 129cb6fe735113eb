"""The pipeline board of the console: every placement by state, pseudonymised, filtered.

One column per lifecycle state; a card shows the candidate's code (never an identity), the slot,
the employer, the case-management organisation and the case worker (staff, not a candidate),
the start date and the days in the state, marked past the state's ageing limit
(reference/limits.py). The same filter gives the list view and the CSV export.

Every view is a constant number of queries whatever the number of placements: one count per
state (grouped), the first page of every column (one query), a further page of a column, one
page for the list; the filter's short lists one query
each, the names chosen in its pickers one (board_choices.py). The filter itself is in
board_filter.py. Who sees which placements is the policy's (`console_placements_where`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from piccolo.columns.combination import Combinable
from piccolo.query.functions.aggregate import Count
from piccolo.querystring import QueryString

from portal.admin.board_filter import SORTS, BoardFilter, text_match
from portal.auth import CurrentUser
from portal.auth.policy import console_placements_where
from portal.clock import now, today
from portal.pagination import PER_PAGE, Page, clamp, offset, page_number
from portal.placements.lists import checklist_incomplete, follow_ups_due
from portal.placements.tables import Placement, PlacementState
from portal.reference.limits import Limits

S = PlacementState

# The board's columns, in the lifecycle's order; the closed ones behind a toggle.
OPEN_COLUMNS = (
    S.requested, S.proposed, S.accepted, S.preparing, S.in_progress, S.completed, S.outcome,
)  # fmt: skip
CLOSED_COLUMNS = (S.declined, S.withdrawn, S.aborted)
STATE_VALUES = frozenset(state.value for state in S)
# Cards per column page ("more" loads the next page of that column alone); the board's seven
# columns render 70 cards at most.
PER_COLUMN = 10
EXPORT_LIMIT = 50_000


def ageing_cutoffs(limits: Limits, moment: dt.datetime) -> dict[str, dt.datetime]:
    """State → the last moment a placement may have entered it without being marked as aged."""
    cutoffs = {}
    for state in S:
        days = limits.ageing_days(state.value)
        if days is not None:
            cutoffs[state.value] = moment - dt.timedelta(days=days)
    return cutoffs


def aged_where(cutoffs: Mapping[str, dt.datetime]) -> Combinable:
    """Past its state's ageing limit."""
    condition: Combinable | None = None
    for state, cutoff in cutoffs.items():
        this = (Placement.state == state) & (Placement.state_changed_at < cutoff)
        condition = this if condition is None else condition | this
    assert condition is not None  # noqa: S101
    return condition


# Preparations starting this soon with an incomplete checklist need attention.
CHECKLIST_DAYS = 7


def need_where(need: str, limits: Limits, moment: dt.datetime, day: dt.date) -> Combinable:
    """The placements of one item of the attention list."""
    if need == "unanswered":
        # Nominations (and requests) unanswered past the reminder limit.
        cutoff = moment - dt.timedelta(days=limits.reminder_days)
        return Placement.state.is_in([S.proposed, S.requested]) & (
            Placement.state_changed_at < cutoff
        )
    if need == "no_start":
        return (Placement.state == S.accepted) & Placement.start_date.is_null()
    if need == "checklist":
        return (
            (Placement.state == S.preparing)
            & (Placement.start_date <= day + dt.timedelta(days=CHECKLIST_DAYS))
            & checklist_incomplete()
        )
    if need == "evaluation":
        # The internship's last day has passed and the employer has not completed it.
        return (Placement.state == S.in_progress) & (Placement.end_date < day)
    assert need == "follow_up"  # noqa: S101
    return Placement.id.is_in(follow_ups_due(day - dt.timedelta(days=1)))


def conditions(
    user: CurrentUser, f: BoardFilter, cutoffs: Mapping[str, dt.datetime], limits: Limits
) -> list[Combinable]:
    """The filter as query conditions, inside what the policy lets `user` see."""
    found: list[Combinable] = []
    scope = console_placements_where(user, agency=Placement.agency)
    if scope is not None:
        found.append(scope)
    if f.programme:
        found.append(Placement.candidate.programme == int(f.programme))
    if f.municipality:
        found.append(Placement.slot.municipality == int(f.municipality))
    if f.field:
        found.append(Placement.slot.occupation_area == f.field)
    if f.employer:
        found.append(Placement.employer == UUID(f.employer))
    if f.agency:
        found.append(Placement.agency == UUID(f.agency))
    if f.case_worker:
        found.append(Placement.case_manager == UUID(f.case_worker))
    if f.period:
        found.append(Placement.created_at >= now() - dt.timedelta(days=int(f.period)))
    if f.attention:
        found.append(Placement.flagged_at.is_not_null() | aged_where(cutoffs))
    if f.need:
        found.append(need_where(f.need, limits, now(), today()))
    if f.employer_query:
        found.append(text_match((Placement.employer.name,), f.employer_query))
    if f.agency_query:
        found.append(text_match((Placement.agency.name,), f.agency_query))
    if f.case_worker_query:
        found.append(text_match((Placement.case_manager.display_name,), f.case_worker_query))
    if f.q:
        found.append(
            text_match(
                (Placement.candidate.code, Placement.slot.title, Placement.employer.name,
                 Placement.agency.name),
                f.q,
            )
        )  # fmt: skip
    return found


def _card_columns() -> list[Any]:
    """What a card (and a row of the list and the export) shows: codes, names of organisations
    and of the staff handling it — never a candidate's identity."""
    return [
        Placement.id,
        Placement.state,
        Placement.state_changed_at,
        Placement.created_at,
        Placement.start_date,
        Placement.end_date,
        Placement.flagged_at,
        Placement.operator_reminded_at,
        Placement.candidate.code.as_alias("candidate_code"),
        Placement.slot.title.as_alias("slot_title"),
        Placement.slot.occupation.as_alias("occupation_code"),
        Placement.slot.occupation.name.as_alias("occupation_name"),  # type: ignore[union-attr]
        Placement.employer.name.as_alias("employer_name"),
        Placement.agency.name.as_alias("agency_name"),
        Placement.case_manager.display_name.as_alias("case_worker_name"),
    ]


_card_column_cache: list[Any] = []


def card_columns() -> list[Any]:
    """`_card_columns`, built once: following foreign keys (Placement.slot.occupation.name)
    costs Piccolo more CPU than the query itself (STACK-NOTES 13), on every column of a page."""
    if not _card_column_cache:
        _card_column_cache.extend(_card_columns())
    return list(_card_column_cache)


def where_all(query: Any, found: Iterable[Combinable]) -> Any:
    for condition in found:
        query = query.where(condition)
    return query


class Card(dict[str, Any]):
    """A card's row, whose values a template reads as attributes (`card.state`) at the speed of
    an attribute: the dict is its own instance `__dict__`. Jinja2 tries an attribute first; a
    plain dict (or a `__getattr__` falling back to the keys) makes that a failed lookup, on 20
    values of 70 cards a page. No key of a card is named like a dict method."""

    def __init__(self, row: dict[str, Any]) -> None:
        super().__init__(row)
        self.__dict__ = self


def decorate(
    rows: list[dict[str, Any]], limits: Limits, moment: dt.datetime
) -> list[dict[str, Any]]:
    """Days in the state and the ageing mark of each card."""
    cards: list[dict[str, Any]] = []
    for row in rows:
        card = Card(row)
        days = max(0, (moment - card["state_changed_at"]).days)
        limit = limits.ageing_days(card["state"])
        card["days"] = days
        card["aged"] = limit is not None and days > limit
        cards.append(card)
    return cards


@dataclass
class Column:
    state: str
    total: int
    number: int
    cards: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PER_COLUMN))


async def counts(found: list[Combinable]) -> dict[str, int]:
    """State → the number of placements matching the filter (one grouped query)."""
    query = where_all(Placement.select(Placement.state, Count(alias="n")), found)
    rows = await query.group_by(Placement.state)
    return {row["state"]: row["n"] for row in rows}


async def column(
    state: str,
    found: list[Combinable],
    *,
    total: int,
    number: int,
    limits: Limits,
    moment: dt.datetime,
) -> Column:
    """One page of a column, longest waiting first (one query; none for an empty column)."""
    number = clamp(number, total, PER_COLUMN)
    if not total:
        return Column(state, 0, 1)
    query = where_all(Placement.select(*card_columns()), [*found, Placement.state == state])
    rows = await (
        query.order_by(Placement.state_changed_at)
        .order_by(Placement.id)
        .limit(PER_COLUMN)
        .offset(offset(number, PER_COLUMN))
    )
    return Column(state, total, number, decorate(rows, limits, moment))


def columns_of(f: BoardFilter) -> tuple[PlacementState, ...]:
    return OPEN_COLUMNS + (CLOSED_COLUMNS if f.closed else ())


async def first_pages(
    found: list[Combinable], states: list[str], limits: Limits, moment: dt.datetime
) -> dict[str, list[dict[str, Any]]]:
    """State → the first page of its column, for every state of `states` in one query: the
    ids of each column's first PER_COLUMN (one small select per state, each an index range on
    (state, state_changed_at)), and the cards of those ids. Building the card's fifteen joined
    columns once instead of once per column is what saves (STACK-NOTES 13: Piccolo's query
    building cost more CPU than PostgreSQL's answer), and it is one round trip instead of 7."""
    firsts = [
        where_all(Placement.select(Placement.id), [*found, Placement.state == state])
        .order_by(Placement.state_changed_at)
        .order_by(Placement.id)
        .limit(PER_COLUMN)
        .querystrings[0]
        for state in states
    ]
    # Each select with its ORDER BY and LIMIT wrapped (SQLite allows neither in a UNION member).
    ids = QueryString(
        " UNION ALL ".join("SELECT first.id FROM ({}) AS first" for _ in firsts), *firsts
    )
    rows = await (
        Placement.select(*card_columns())
        .where(Placement.id.is_in(ids))
        .order_by(Placement.state_changed_at)
        .order_by(Placement.id)
    )
    pages: dict[str, list[dict[str, Any]]] = {state: [] for state in states}
    for card in decorate(rows, limits, moment):
        pages[card["state"]].append(card)
    return pages


async def board(user: CurrentUser, f: BoardFilter, limits: Limits) -> list[Column]:
    """Every column's first page: one count, then one query for the cards of every column."""
    moment = now()
    found = conditions(user, f, ageing_cutoffs(limits, moment), limits)
    totals = await counts(found)
    states = [s.value for s in columns_of(f)]
    shown = [state for state in states if totals.get(state)]
    pages = await first_pages(found, shown, limits, moment) if shown else {}
    return [Column(state, totals.get(state, 0), 1, pages.get(state, [])) for state in states]


async def one_column(
    user: CurrentUser, f: BoardFilter, state: str, number: int, limits: Limits
) -> Column:
    """A page of one column (its fragment): its count and its page."""
    moment = now()
    found = conditions(user, f, ageing_cutoffs(limits, moment), limits)
    totals = await counts([*found, Placement.state == state])
    return await column(
        state, found, total=totals.get(state, 0), number=number, limits=limits, moment=moment
    )


async def listing(user: CurrentUser, f: BoardFilter, number: int, limits: Limits) -> Page:
    """The list view: the filter's placements (closed ones with the toggle), sorted, paged."""
    moment = now()
    found = conditions(user, f, ageing_cutoffs(limits, moment), limits)
    if not f.closed:
        found.append(Placement.state.is_in([s.value for s in OPEN_COLUMNS]))
    total = await where_all(Placement.count(), found)
    number = clamp(number, total)
    column_, ascending = SORTS.get(f.sort, SORTS["days"])
    if f.desc:
        ascending = not ascending
    query = where_all(Placement.select(*card_columns()), found).order_by(
        column_, ascending=ascending
    )
    rows = await query.order_by(Placement.id).limit(PER_PAGE).offset(offset(number))
    return Page(rows=decorate(rows, limits, moment), number=number, total=total, filters=f.params())


def page_of(params: Mapping[str, str]) -> int:
    return page_number(params.get("page", ""))
