"""Bar charts drawn on the server as SVG, from the protected tables (exports.Table): horizontal
bars for the funnel and the breakdowns, columns over the months for the time series.

Accessible: `role="img"` with a title and a description, the data table beside every chart on
the page, and two series told apart by pattern (solid, hatched), not by colour alone. A
suppressed or not applicable figure draws no bar, only its sign. No script, no style attribute
(the Content-Security-Policy), no library from a CDN; printable as it is.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from portal.i18n import _
from portal.stats.exports import Figure, Table

WIDTH = 640
LABEL_WIDTH = 250
BAR = 12
GAP = 10
COLOURS = ("#1f4e79", "#b35c00")  # dark blue, dark orange: 4.5:1 against white


def bar_chart(
    chart_id: str, table: Table, rows: list[str] | None = None, columns: tuple[int, ...] = (0, 1)
) -> Markup:
    """One horizontal bar per cell of the `columns` (indexes), for the rows keyed `rows`
    (every row if None)."""
    picked = [
        (label, [cells[i] for i in columns])
        for key, (label, cells) in zip(table.keys, table.rows, strict=True)
        if rows is None or key in rows
    ]
    series = [table.columns[i] for i in columns]
    top = max((_amount(c) for _l, cells in picked for c in cells), default=0.0) or 1.0
    group = len(series) * BAR + GAP
    legend_height = 18 * len(series) + 8
    height = legend_height + len(picked) * group + GAP
    scale = (WIDTH - LABEL_WIDTH - 60) / top
    parts = _head(
        chart_id, table, series, height, _("Bars per row of the table beside it"), LABEL_WIDTH
    )
    fills = [COLOURS[0], f"url(#{chart_id}-hatch)"]
    y = legend_height
    for label, cells in picked:
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + len(series) * BAR / 2 + 4}" font-size="12" '
            f'text-anchor="end">{escape(_shorten(label))}</text>'
        )
        for i, cell in enumerate(cells):
            top_y = y + i * BAR
            width = round(_amount(cell) * scale, 1)
            if width:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{top_y}" width="{width}" height="{BAR - 2}" '
                    f'fill="{fills[i % 2]}" stroke="{COLOURS[i % 2]}"/>'
                )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 4}" y="{top_y + BAR - 3}" font-size="11">'
                f"{escape(cell.sign)}</text>"
            )
        y += group
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text above is escaped)


COLUMN_HEIGHT = 180


def column_chart(chart_id: str, table: Table, columns: tuple[int, ...] = (0, 1)) -> Markup:
    """The time series: one group of columns per row of `table` (the months, left to right,
    without the total row), one column per series in `columns` (indexes)."""
    picked = [
        (label, [cells[i] for i in columns])
        for key, (label, cells) in zip(table.keys, table.rows, strict=True)
        if key
    ]
    series = [table.columns[i] for i in columns]
    top = max((_amount(c) for _l, cells in picked for c in cells), default=0.0) or 1.0
    legend_height = 18 * len(series) + 8
    base = legend_height + 20 + COLUMN_HEIGHT  # the columns stand on this line
    height = base + 40
    step = (WIDTH - 20) / max(1, len(picked))
    bar = min(18.0, (step - 8) / len(series))
    scale = COLUMN_HEIGHT / top
    what = _("Columns per month of the table beside it")
    parts = _head(chart_id, table, series, height, what, 20)
    fills = [COLOURS[0], f"url(#{chart_id}-hatch)"]
    parts.append(f'<line x1="10" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#444444"/>')
    for n, (label, cells) in enumerate(picked):
        left = 10 + n * step + (step - bar * len(series)) / 2
        for i, cell in enumerate(cells):
            x = round(left + i * bar, 1)
            length = round(_amount(cell) * scale, 1)
            if length:
                parts.append(
                    f'<rect x="{x}" y="{base - length}" width="{bar - 2}" height="{length}" '
                    f'fill="{fills[i % 2]}" stroke="{COLOURS[i % 2]}"/>'
                )
            parts.append(
                f'<text x="{x + (bar - 2) / 2}" y="{base - length - 3}" font-size="10" '
                f'text-anchor="middle">{escape(cell.sign)}</text>'
            )
        middle = round(10 + n * step + step / 2, 1)
        month, _space, year = label.rpartition(" ")
        parts.append(
            f'<text x="{middle}" y="{base + 14}" font-size="10" text-anchor="middle">'
            f"{escape((month or label)[:3])}"
            f'<tspan x="{middle}" dy="12">{escape(year if month else "")}</tspan></text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text above is escaped)


def _head(
    chart_id: str, table: Table, series: list[str], height: float, what: str, legend_x: int
) -> list[str]:
    """The opening of a chart: the accessible title and description, the hatch pattern of the
    second series and the legend."""
    desc = escape(
        what
        + "; "
        + _("series: %(series)s.", series=", ".join(series))
        + " "
        + _("A suppressed figure (*) draws no bar.")
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stats-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(table.title)}</title>',
        f'<desc id="{chart_id}-desc">{desc}</desc>',
        "<defs>",
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{COLOURS[1]}"/></pattern>',
        "</defs>",
    ]
    fills = [COLOURS[0], f"url(#{chart_id}-hatch)"]
    for i, name in enumerate(series):
        top_y = 4 + 18 * i
        parts.append(
            f'<rect x="{legend_x}" y="{top_y}" width="14" height="12" fill="{fills[i % 2]}" '
            f'stroke="{COLOURS[i % 2]}"/>'
            f'<text x="{legend_x + 20}" y="{top_y + 10}" font-size="12">{escape(name)}</text>'
        )
    return parts


def _amount(cell: Figure) -> float:
    """The bar's length: the figure, or 0 for a suppressed, zero or missing one."""
    return float(cell.value) if isinstance(cell.value, int | float) and cell.value > 0 else 0.0


def _shorten(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
