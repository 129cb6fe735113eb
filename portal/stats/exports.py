"""The tables of a view, and their CSV, spreadsheet and JSON forms.

Every output is drawn from `tables(view, previous)`: the same protected cells, the same signs,
the same legend. The page shows the same tables (one breakdown at a time).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from portal.files import csv_cell
from portal.i18n import _
from portal.stats import disclosure as d
from portal.stats.figures import (
    BREAKDOWN_COLUMNS,
    DIMENSIONS,
    EMPLOYER_ROWS,
    MEDIANS,
    RATES,
    STAGES,
    View,
)


@dataclass(frozen=True)
class Figure:
    """One cell as every output shows it: `sign` the text, `value` the number (None when
    suppressed, not shown or not applicable)."""

    sign: str
    value: float | int | None

    @classmethod
    def count(cls, published: d.Published) -> Figure:
        return cls(published.sign, published.value)

    @classmethod
    def rate(cls, value: float | None) -> Figure:
        return cls(d.format_rate(value), None if value is None else round(value, 1))

    @classmethod
    def days(cls, value: float | None) -> Figure:
        return cls(d.format_days(value), value)


NOT_APPLICABLE = Figure(d.NOT_APPLICABLE, None)


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Figure]]] = field(default_factory=list)
    # The stage or value behind each row (for the charts): row label → key.
    keys: list[str] = field(default_factory=list)


def tables(view: View, previous: View) -> list[Table]:
    """The funnel, the rates, the medians, the employers' figures and every breakdown."""
    periods = [view.period.label, previous.period.label]
    funnel = Table("funnel", _("Funnel"), periods)
    for stage, label in STAGES.items():
        cells = [
            Figure.count(v.get(stage)) if v.applies(stage, "total") else NOT_APPLICABLE
            for v in (view, previous)
        ]
        funnel.rows.append((_(label), cells))
        funnel.keys.append(stage)
    rates = Table("rates", _("Conversion rates"), periods)
    for label, numerator, denominator in RATES:
        rates.rows.append(
            (_(label), [Figure.rate(v.rate(numerator, denominator)) for v in (view, previous)])
        )
        rates.keys.append(numerator)
    medians = Table("medians", _("Median waiting times (days)"), periods)
    for metric, label in MEDIANS.items():
        medians.rows.append((_(label), [Figure.days(v.median(metric)) for v in (view, previous)]))
        medians.keys.append(metric)
    employers = Table("employers", _("Employers and slots"), periods)
    for key, label in EMPLOYER_ROWS.items():
        employers.rows.append(
            (_(label), [Figure.count(v.employer_rows[key]) for v in (view, previous)])
        )
        employers.keys.append(key)
    found = [funnel, rates, medians, employers]
    columns = [_(STAGES[stage]) for stage in BREAKDOWN_COLUMNS]
    for dimension, (label, _sql) in DIMENSIONS.items():
        table = Table(f"by_{dimension}", _("By %(dimension)s", dimension=_(label)), columns)
        for value, value_label in view.values[dimension]:
            table.rows.append(
                (
                    value_label,
                    [Figure.count(view.get(s, dimension, value)) for s in BREAKDOWN_COLUMNS],
                )
            )
            table.keys.append(value)
        table.rows.append((_("Total"), [Figure.count(view.get(s)) for s in BREAKDOWN_COLUMNS]))
        table.keys.append("")
        found.append(table)
    return found


def legend(rules: d.Rules) -> list[tuple[str, str]]:
    values = {
        "threshold": rules.threshold,
        "employers": rules.min_employers,
        "share": rules.dominance_percent,
        "minimum": rules.min_denominator,
    }
    return [(sign, _(text) % values) for sign, text in d.LEGEND.items()]


def title(view: View) -> str:
    return _("Placement statistics %(period)s", period=view.period.label)


# -- the formats ------------------------------------------------------------------------------


def as_csv(view: View, found: list[Table]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([title(view)])
    for table in found:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(["", *table.columns])
        for label, cells in table.rows:
            writer.writerow([csv_cell(label), *(cell.sign for cell in cells)])
    writer.writerow([])
    for sign, text in legend(view.rules):
        writer.writerow([sign, text])
    return out.getvalue()


def as_xlsx(view: View, found: list[Table]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Statistics")[:31]
    sheet.append([title(view)])
    sheet["A1"].font = Font(bold=True)
    for table in found:
        sheet.append([])
        sheet.append([table.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append(["", *table.columns])
        for label, cells in table.rows:
            # Counts as numbers (so they can be summed); every sign as its text.
            sheet.append(
                [
                    # A name typed in the console ("=…") is text, never a formula.
                    csv_cell(label),
                    *(c.value if isinstance(c.value, int) and c.value else c.sign for c in cells),
                ]
            )
    sheet.append([])
    for sign, text in legend(view.rules):
        sheet.append([sign, text])
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_json(view: View, found: list[Table]) -> dict[str, Any]:
    return {
        "title": title(view),
        "period": {"start": view.period.start.isoformat(), "end": view.period.end.isoformat()},
        "scope": view.scope.value,
        "rules": {
            "threshold": view.rules.threshold,
            "min_employers": view.rules.min_employers,
            "dominance_percent": view.rules.dominance_percent,
            "min_denominator": view.rules.min_denominator,
        },
        "legend": dict(legend(view.rules)),
        "tables": [
            {
                "id": table.id,
                "title": table.title,
                "columns": table.columns,
                "rows": [
                    {
                        "label": label,
                        # A suppressed cell has no value, a true zero has 0: never confused.
                        "cells": [{"sign": c.sign, "value": c.value} for c in cells],
                    }
                    for label, cells in table.rows
                ],
            }
            for table in found
        ],
    }
