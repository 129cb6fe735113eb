"""One page of a list: a count query, then a page query — two queries whatever the list's size."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from piccolo.columns.combination import Combinable
from piccolo.query.methods.select import Select
from piccolo.table import Table

PER_PAGE = 25
MAX_PAGE = 100_000


def page_number(raw: str | None) -> int:
    """The page asked for in the URL; anything odd is the first page."""
    raw = raw or ""
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_PAGE else 1


def clamp(number: int, total: int, per_page: int = PER_PAGE) -> int:
    """A page past the end shows the last one (count first, then fetch the page)."""
    return min(max(number, 1), max(1, math.ceil(total / per_page)))


def offset(number: int, per_page: int = PER_PAGE) -> int:
    return (number - 1) * per_page


@dataclass(frozen=True)
class Page:
    """What templates/macros/ui.html `pagination` shows; `query(n)` keeps the filters."""

    rows: list[dict[str, Any]]
    number: int
    total: int
    filters: Mapping[str, str] = field(default_factory=dict)
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def query(self, number: int) -> str:
        params = {name: value for name, value in self.filters.items() if value}
        return urlencode({**params, "page": number})


async def paginate(
    table: type[Table],
    query: Select,
    conditions: Iterable[Combinable],
    *,
    number: int,
    order_by: Sequence[tuple[Any, bool]],
    filters: Mapping[str, str] | None = None,
) -> Page:
    """Count the matching rows, then fetch page `number` (clamped) in the given order.

    Two queries whatever the list's size; the primary key breaks ties, so that pages never
    overlap or skip rows. The conditions are joined with AND.
    """
    count = table.count()
    for condition in conditions:
        count = count.where(condition)
        query = query.where(condition)
    total = await count
    number = clamp(number, total)
    for column, ascending in order_by:
        query = query.order_by(column, ascending=ascending)
    query = query.order_by(table._meta.primary_key).limit(PER_PAGE).offset(offset(number))
    return Page(rows=await query, number=number, total=total, filters=dict(filters or {}))
