"""One page of a list: a count query, then a page query — two queries whatever the list's size."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

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
