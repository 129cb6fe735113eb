"""Disclosure control: the one module every statistical output goes through.

The rules follow the Bundesagentur für Arbeit's statistics (Statistik der BA, "Geheimhaltung"):

- primary suppression: a count of 1 .. threshold-1 people is shown as `*`; a true zero as `–`
  (never suppressed, so a zero is never confused with a suppressed cell);
- dominance: a cell to which fewer than `min_employers` employers contribute, or one employer
  more than `dominance_percent` %, is suppressed too (it would tell about one company);
- secondary suppression: where a total and its parts are published, the difference reveals the
  suppressed parts. For every linked group (a total = the sum of its parts, across all tables
  of one view), as long as a group has exactly one suppressed cell, or its suppressed parts add
  up to less than the threshold while its total is published, the smallest positive published
  cell of the group is suppressed as well; repeated until no group changes. No group is then left
  from which one suppressed cell could be recomputed, or a difference of 1 or 2 read;
- rates and medians only where the denominator reaches `min_denominator` and neither the
  numerator nor the denominator is suppressed.

`rules(settings)` is the one place the figures come from (threshold 3 at least, set in the
console).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from portal.i18n import N_
from portal.reference.limits import load_limits
from portal.settings import Settings

SUPPRESSED = "*"
ZERO = "–"
NOT_SHOWN = "."  # a rate or median whose denominator is too small or suppressed
NOT_APPLICABLE = "x"  # the figure does not exist for this breakdown

# The legend printed with every output (page, chart, CSV, spreadsheet, JSON).
LEGEND: dict[str, str] = {
    SUPPRESSED: N_(
        "suppressed: fewer than %(threshold)s people, fewer than %(employers)s employers or one "
        "employer more than %(share)s %%, or a cell that would let one of these be recomputed"
    ),
    ZERO: N_("nothing (a true zero)"),
    NOT_SHOWN: N_("rate or median not shown: fewer than %(minimum)s cases, or a suppressed count"),
    NOT_APPLICABLE: N_("does not apply to this breakdown"),
}


@dataclass(frozen=True)
class Rules:
    threshold: int = 3
    min_employers: int = 3
    dominance_percent: int = 85
    min_denominator: int = 10


async def rules(settings: Settings) -> Rules:
    """The rules in force: the one function every output asks. The threshold is the operating
    limit the operator sets in the console (reference/limits.py; at least 3, STATS_THRESHOLD
    until one is saved); the other rules come from the settings (which validate them)."""
    limits = await load_limits(settings)
    return Rules(
        threshold=limits.statistics_threshold,
        dominance_percent=settings.stats_dominance_percent,
        min_denominator=settings.stats_min_denominator,
    )


@dataclass(frozen=True)
class Cell:
    """A count before protection; `employers`: how many employers contribute to it (None: not
    counted by employer) and `top`: the largest single employer's contribution."""

    value: int
    employers: int | None = None
    top: int = 0


@dataclass(frozen=True)
class Published:
    """A count after protection: `value` None when suppressed; `why` says by which rule."""

    value: int | None
    why: str = ""  # "", "primary", "dominance", "secondary"

    @property
    def sign(self) -> str:
        if self.value is None:
            return SUPPRESSED
        return ZERO if self.value == 0 else str(self.value)

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Group:
    """A linked group: `total` is the sum of `parts` (a row, a column, a margin of a table)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def primary(cell: Cell, r: Rules) -> str:
    """Why `cell` is suppressed on its own ("" if it is not)."""
    if 0 < cell.value < r.threshold:
        return "primary"
    if cell.value > 0 and cell.employers is not None:
        if cell.employers < r.min_employers:
            return "dominance"
        if cell.top * 100 > cell.value * r.dominance_percent:
            return "dominance"
    return ""


def protect(
    cells: Mapping[Hashable, Cell], groups: Iterable[Group], r: Rules
) -> dict[Hashable, Published]:
    """Every cell of one view, protected: primary, dominance, then secondary suppression."""
    why = {key: primary(cell, r) for key, cell in cells.items()}
    linked = [g for g in groups if g.total in cells and all(p in cells for p in g.parts)]
    # A worklist: after a cell is suppressed, only the groups it belongs to are looked at
    # again, until no group reveals anything (the same fixed point as sweeping every group).
    member_of: dict[Hashable, list[int]] = {}
    for index, group in enumerate(linked):
        for key in (group.total, *group.parts):
            member_of.setdefault(key, []).append(index)
    queue = deque(range(len(linked)))
    queued = set(queue)
    while queue:
        index = queue.popleft()
        queued.discard(index)
        extra = _secondary(linked[index], cells, why, r)
        if extra is None:
            continue
        why[extra] = "secondary"
        for again in (index, *member_of[extra]):
            if again not in queued:
                queue.append(again)
                queued.add(again)
    return {
        key: Published(None if why[key] else cell.value, why[key]) for key, cell in cells.items()
    }


def _secondary(
    group: Group, cells: Mapping[Hashable, Cell], why: Mapping[Hashable, str], r: Rules
) -> Hashable | None:
    """The cell to suppress next in `group`, or None when the group reveals nothing."""
    members = (group.total, *group.parts)
    hidden = [key for key in members if why[key]]
    if not hidden:
        return None
    hidden_parts = [key for key in group.parts if why[key]]
    total_published = not why[group.total]
    reveals = len(hidden) == 1 or (
        total_published and sum(cells[key].value for key in hidden_parts) < r.threshold
    )
    if not reveals:
        return None
    # The smallest positive published cell, the parts before the total (a total is the
    # figure people look for first); a zero is never suppressed.
    candidates = [key for key in (*group.parts, group.total) if not why[key] and cells[key].value]
    if not candidates:
        return None
    return min(candidates, key=lambda key: (cells[key].value, key == group.total))


# -- rates and medians ------------------------------------------------------------------------


def rate(numerator: Published, denominator: Published, r: Rules) -> float | None:
    """numerator / denominator in per cent, or None (shown as NOT_SHOWN) where it may not be."""
    if numerator.value is None or denominator.value is None:
        return None
    if denominator.value < r.min_denominator:
        return None
    return 100.0 * numerator.value / denominator.value


def median(histogram: Mapping[int, int], r: Rules) -> float | None:
    """The median of the values counted in `histogram` (value → how many), or None where fewer
    than `min_denominator` values are counted."""
    n = sum(histogram.values())
    if n < r.min_denominator:
        return None
    ordered = sorted(histogram.items())

    def nth(i: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if i < seen:
                return value
        raise AssertionError("unreachable")

    return (nth((n - 1) // 2) + nth(n // 2)) / 2


def format_rate(value: float | None) -> str:
    return NOT_SHOWN if value is None else f"{value:.1f} %".replace(".", ",")


def format_days(value: float | None) -> str:
    if value is None:
        return NOT_SHOWN
    return (f"{value:.1f}".replace(".", ",")).removesuffix(",0")


def suppressed_keys(published: Mapping[Hashable, Published]) -> set[Hashable]:
    return {key for key, cell in published.items() if cell.suppressed}


def table_groups(rows: Sequence[Hashable], columns: Sequence[Hashable]) -> list[Group]:
    """The groups of a table with margins: cells (row, column), the row "total" and the column
    "total" (each row sums to its total, each column to its total, the totals to the grand)."""
    groups = [Group((row, "total"), tuple((row, c) for c in columns)) for row in rows]
    groups += [Group(("total", c), tuple((row, c) for row in rows)) for c in columns]
    groups.append(Group(("total", "total"), tuple(("total", c) for c in columns)))
    groups.append(Group(("total", "total"), tuple((row, "total") for row in rows)))
    return groups
