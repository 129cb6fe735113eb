"""Disclosure control (portal/stats/disclosure.py), property-based: for random tables with
margins, no published cell and no difference of published cells along a row, a column or a
total reveals a count below the threshold, and a true zero is never suppressed."""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.reference.limits import save_limit
from portal.settings import Settings
from portal.stats import disclosure as d
from tests.conftest import run

# Bounded, so that the suite stays within its budget.
BOUNDED = settings(max_examples=200, deadline=1000)

# Mostly small counts (the ones that matter), some zeros, some large.
count = st.one_of(st.integers(0, 4), st.integers(0, 40))


def check(
    cells: Mapping[Hashable, d.Cell],
    groups: list[d.Group],
    published: Mapping[Hashable, d.Published],
    r: d.Rules,
) -> None:
    for key, cell in cells.items():
        shown = published[key]
        if shown.value is not None:
            assert shown.value == cell.value
            assert not 0 < shown.value < r.threshold, key
        if cell.value == 0:
            assert shown.value == 0 and shown.sign == d.ZERO, key
        if shown.suppressed:
            assert shown.sign == d.SUPPRESSED
    for group in groups:
        members = (group.total, *group.parts)
        hidden = [key for key in members if published[key].suppressed]
        assert len(hidden) != 1, f"{group}: one suppressed cell can be recomputed"
        if hidden and not published[group.total].suppressed:
            difference = published[group.total].value - sum(
                published[p].value for p in group.parts if not published[p].suppressed
            )
            assert difference >= r.threshold, f"{group}: the difference reveals {difference}"


@st.composite
def tables(draw):
    """A table of counts with its row, column and grand totals."""
    rows = list(range(draw(st.integers(1, 6))))
    columns = [f"c{i}" for i in range(draw(st.integers(1, 5)))]
    inner = {(row, c): draw(count) for row in rows for c in columns}
    cells = {key: d.Cell(value) for key, value in inner.items()}
    for row in rows:
        cells[(row, "total")] = d.Cell(sum(inner[(row, c)] for c in columns))
    for c in columns:
        cells[("total", c)] = d.Cell(sum(inner[(row, c)] for row in rows))
    cells[("total", "total")] = d.Cell(sum(inner.values()))
    return cells, d.table_groups(rows, columns)


@st.composite
def linked_views(draw):
    """A funnel (a total per stage) and several breakdowns of it, linked by the stage totals,
    with a stage split into reasons (aborted by reason) in every breakdown too."""
    stages = ["nominated", "started", "aborted"]
    reasons = ["attendance", "mutual"]
    dimensions = {f"dim{i}": draw(st.integers(1, 4)) for i in range(draw(st.integers(1, 3)))}
    # The finest level: for each stage (the aborted ones by reason) and each value of every
    # dimension... dimensions partition the same people differently, so draw per dimension.
    cells: dict[Hashable, d.Cell] = {}
    groups: list[d.Group] = []
    base = {s: draw(count) for s in ("nominated", "started")}
    base |= {f"aborted.{r}": draw(count) for r in reasons}
    for stage, value in base.items():
        cells[(stage, "total")] = d.Cell(value)
    cells[("aborted", "total")] = d.Cell(sum(base[f"aborted.{r}"] for r in reasons))
    groups.append(d.Group(("aborted", "total"), tuple((f"aborted.{r}", "total") for r in reasons)))
    for dim, size in dimensions.items():
        for stage, value in base.items():
            split = _split(draw, value, size)
            for i, part in enumerate(split):
                cells[(stage, f"{dim}={i}")] = d.Cell(part)
            groups.append(
                d.Group((stage, "total"), tuple((stage, f"{dim}={i}") for i in range(size)))
            )
        for i in range(size):
            parts = tuple((f"aborted.{r}", f"{dim}={i}") for r in reasons)
            cells[("aborted", f"{dim}={i}")] = d.Cell(sum(cells[p].value for p in parts))
            groups.append(d.Group(("aborted", f"{dim}={i}"), parts))
        groups.append(
            d.Group(("aborted", "total"), tuple(("aborted", f"{dim}={i}") for i in range(size)))
        )
    assert all(stage in stages or stage.startswith("aborted.") for stage, _v in cells)
    return cells, groups


def _split(draw, value: int, size: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, value), min_size=size - 1, max_size=size - 1)))
    edges = [0, *cuts, value]
    return [edges[i + 1] - edges[i] for i in range(size)]


@BOUNDED
@given(tables(), st.integers(3, 6))
def test_it_reveals_no_small_count_in_a_table_with_margins(table, threshold):
    cells, groups = table
    r = d.Rules(threshold=threshold)
    check(cells, groups, d.protect(cells, groups, r), r)


@BOUNDED
@given(linked_views())
def test_it_reveals_no_small_count_across_the_linked_tables_of_a_view(view):
    cells, groups = view
    r = d.Rules()
    check(cells, groups, d.protect(cells, groups, r), r)


@BOUNDED
@given(tables())
def test_it_is_the_same_for_the_same_view(table):
    cells, groups = table
    r = d.Rules()
    assert d.protect(cells, groups, r) == d.protect(dict(reversed(cells.items())), groups, r)


@BOUNDED
@given(
    st.integers(0, 200),
    st.integers(0, 10),
    st.integers(0, 200),
)
def test_it_suppresses_a_cell_a_few_employers_or_one_employer_dominate(value, employers, top):
    top = min(top, value)
    r = d.Rules()
    why = d.primary(d.Cell(value, employers=employers, top=top), r)
    if value == 0:
        assert why == ""
    elif value < 3:
        assert why == "primary"
    elif employers < 3 or top > 0.85 * value:
        assert why == "dominance"
    else:
        assert why == ""


@BOUNDED
@given(st.dictionaries(st.integers(0, 400), st.integers(1, 5), max_size=30))
def test_a_median_only_from_enough_cases(histogram):
    values = [value for value, n in histogram.items() for _i in range(n)]
    got = d.median(histogram, d.Rules())
    if len(values) < 10:
        assert got is None
    else:
        assert got == statistics.median(values)


def test_a_rate_only_where_the_denominator_reaches_the_minimum():
    r = d.Rules()
    assert d.rate(d.Published(5), d.Published(10), r) == 50.0
    assert d.rate(d.Published(5), d.Published(9), r) is None
    assert d.rate(d.Published(None, "primary"), d.Published(40), r) is None
    assert d.rate(d.Published(5), d.Published(None, "secondary"), r) is None


def test_the_rules_come_from_the_settings_and_the_console(app):
    settings = Settings(stats_threshold=5, stats_dominance_percent=70, stats_min_denominator=20)
    r = run(d.rules(settings))
    assert (r.threshold, r.dominance_percent, r.min_denominator) == (5, 70, 20)
    assert run(d.rules(Settings())) == d.Rules()
    # The operator raises the threshold in the console: every output follows.
    run(save_limit("statistics_threshold", 7, actor_id=None, actor_organisation_id=None))
    assert run(d.rules(settings)).threshold == 7


@pytest.mark.parametrize(("value", "sign"), [(0, "–"), (None, "*"), (7, "7")])
def test_the_signs(value, sign):
    assert d.Published(value).sign == sign
