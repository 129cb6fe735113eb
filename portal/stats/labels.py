"""The labels of a breakdown's values, in the current language: occupations, municipalities,
programmes, the coded kinds and the months of the time series."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.accounts.labels import CHAMBER_LABELS, SIZE_CLASS_LABELS
from portal.employers.labels import SLOT_KIND_LABELS
from portal.i18n import _, format_date
from portal.reference.tables import Municipality, Occupation, Programme


async def labels_of(dimension: str, values: list[str]) -> list[tuple[str, str]]:
    """(value, label) of a breakdown's values, in the current language."""
    if dimension in ("area", "field"):
        names = {
            r["code"]: r["name"]
            for r in await Occupation.select(Occupation.code, Occupation.name).where(
                Occupation.code.is_in(values or ["-"])
            )
        }
        return [(v, f"{v} {names.get(v, '')}".strip()) for v in values]
    if dimension in ("municipality", "programme"):
        table: Any = Municipality if dimension == "municipality" else Programme
        ids = [int(v) for v in values if v.isdigit() and v != "0"]
        names = {
            str(r["id"]): r["name"]
            for r in await table.select(table.id, table.name).where(table.id.is_in(ids or [-1]))
        }
        missing = _("no programme") if dimension == "programme" else _("unknown")
        return [(v, names.get(v, missing)) for v in values]
    if dimension == "month":
        return [(v, _month_label(v)) for v in values]
    labels: Any = {
        "kind": SLOT_KIND_LABELS,
        "size": SIZE_CLASS_LABELS,
        "chamber": CHAMBER_LABELS,
    }[dimension]
    return [(v, _(labels[v]) if v in labels else _("unknown")) for v in values]


def _month_label(value: str) -> str:
    """ "2026-03" → "März 2026" (the value itself if it is not a month)."""
    try:
        first = dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        return value
    return format_date(first, "MMMM yyyy")
