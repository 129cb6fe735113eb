"""The periods of the statistics: a month, a quarter, a year or a custom range of days, and
the period before each (the comparison)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, year, custom
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        if self.kind == "month":
            end = self.start - dt.timedelta(days=1)
            return Period("month", end.replace(day=1), end)
        if self.kind == "quarter":
            end = self.start - dt.timedelta(days=1)
            return Period("quarter", dt.date(end.year, end.month - 2, 1), end)
        if self.kind == "year":
            return Period(
                "year", dt.date(self.start.year - 1, 1, 1), dt.date(self.start.year - 1, 12, 31)
            )
        end = self.start - dt.timedelta(days=1)
        return Period("custom", end - dt.timedelta(days=self.days - 1), end)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return self.start.strftime("%m/%Y")
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1}/{self.start.year}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.strftime('%d.%m.%Y')}–{self.end.strftime('%d.%m.%Y')}"


def period_of(kind: str, on: dt.date) -> Period:
    """The month, quarter or year that holds `on`."""
    if kind == "quarter":
        first = dt.date(on.year, (on.month - 1) // 3 * 3 + 1, 1)
        last_month = first.month + 2
        return Period("quarter", first, _month_end(on.year, last_month))
    if kind == "year":
        return Period("year", dt.date(on.year, 1, 1), dt.date(on.year, 12, 31))
    return Period("month", on.replace(day=1), _month_end(on.year, on.month))


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
