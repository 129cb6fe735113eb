"""The statistics pages and exports: aggregates only, every figure through disclosure.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from litestar import Response, Router, get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from portal.accounts.tables import Organisation
from portal.auth import statistics_viewer
from portal.auth.policy import StatsScope, statistics_scopes
from portal.clock import today
from portal.i18n import N_, _
from portal.stats import disclosure, exports
from portal.stats.figures import DIMENSIONS, Period, View, period_of, view
from portal.templating import page
from portal.web import AnyRequest, user_of

PERIOD_KINDS: dict[str, str] = {
    "month": N_("Month"),
    "quarter": N_("Quarter"),
    "year": N_("Year"),
    "custom": N_("Custom range"),
}
SCOPE_LABELS: dict[str, str] = {
    StatsScope.members: N_("Our member employers"),
    StatsScope.district: N_("The whole district"),
}
# A custom range is at most this long (a rebuild-sized query is not a page view).
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Choice:
    """What the viewer asked for, checked; `errors` say what was not understood."""

    period: Period
    scope: StatsScope
    by: str
    errors: dict[str, str]
    query: dict[str, str]


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def choice(request: AnyRequest) -> Choice:
    """The period, scope and breakdown from the query; anything malformed falls back to the
    default (this month, the default scope, by occupational area) with a message."""
    q = request.query_params
    errors: dict[str, str] = {}
    scopes = statistics_scopes(user_of(request))
    kind = q.get("period", "month")
    if kind not in PERIOD_KINDS:
        errors["period"] = _("Please choose a month, a quarter, a year or a custom range.")
        kind = "month"
    on = _date(q.get("on", "")) if q.get("on") else today()
    if on is None or not dt.date(2000, 1, 1) <= on <= dt.date(2100, 12, 31):
        errors["on"] = _("Please enter a date as YYYY-MM-DD.")
        on = today()
    if kind == "custom":
        start, end = _date(q.get("start", "")), _date(q.get("end", ""))
        if start is None or end is None or end < start or (end - start).days >= MAX_DAYS:
            errors["start"] = _(
                "Please enter a start and an end date (YYYY-MM-DD), the end not before the "
                "start, at most three years apart."
            )
            period = period_of("month", today())
        else:
            period = Period("custom", start, end)
    else:
        period = period_of(kind, on)
    scope_raw = q.get("scope", scopes[0].value)
    scope = next((s for s in scopes if s.value == scope_raw), None)
    if scope is None:
        errors["scope"] = _("Please choose one of the offered views.")
        scope = scopes[0]
    by = q.get("by", "area")
    if by not in DIMENSIONS:
        errors["by"] = _("Please choose one of the offered breakdowns.")
        by = "area"
    query = {"period": period.kind, "on": on.isoformat(), "scope": scope.value, "by": by}
    if period.kind == "custom":
        query |= {"start": period.start.isoformat(), "end": period.end.isoformat()}
    return Choice(period, scope, by, errors, query)


async def _chamber_of(request: AnyRequest) -> str | None:
    row = (
        await Organisation.select(Organisation.chamber)
        .where(Organisation.id == user_of(request).organisation_id)
        .first()
    )
    return row["chamber"] if row else None


async def views(request: AnyRequest) -> tuple[Choice, View, View]:
    """The asked view and the one of the period before it, protected the same way."""
    chosen = choice(request)
    rules = disclosure.rules(request.app.state.settings)
    chamber = await _chamber_of(request)
    current = await view(chosen.period, chosen.scope, chamber, rules)
    previous = await view(chosen.period.previous(), chosen.scope, chamber, rules)
    return chosen, current, previous


def _filename(current: View, extension: str) -> str:
    period = f"{current.period.start.isoformat()}_{current.period.end.isoformat()}"
    return f"statistik_{period}.{extension}"


@get("/", name="stats:dashboard", guards=[statistics_viewer])
async def dashboard(request: HTMXRequest) -> Template:
    chosen, current, previous = await views(request)
    found = exports.tables(current, previous)
    shown = [t for t in found if not t.id.startswith("by_") or t.id == f"by_{chosen.by}"]
    user = user_of(request)
    return page(
        "stats/dashboard.html",
        choice=chosen,
        view=current,
        previous=previous,
        tables=shown,
        legend=exports.legend(current.rules),
        period_kinds={k: _(v) for k, v in PERIOD_KINDS.items()},
        scopes={s.value: _(SCOPE_LABELS[s]) for s in statistics_scopes(user)},
        dimensions={k: _(label) for k, (label, _sql) in DIMENSIONS.items()},
        query=chosen.query,
    )


@get("/figures.csv", name="stats:csv", guards=[statistics_viewer])
async def export_csv(request: AnyRequest) -> Response[str]:
    _chosen, current, previous = await views(request)
    body = exports.as_csv(current, exports.tables(current, previous))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(current, "csv")}"'},
    )


@get("/figures.xlsx", name="stats:xlsx", guards=[statistics_viewer])
async def export_xlsx(request: AnyRequest) -> Response[bytes]:
    _chosen, current, previous = await views(request)
    body = exports.as_xlsx(current, exports.tables(current, previous))
    return Response(
        body,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_filename(current, "xlsx")}"'},
    )


@get("/figures.json", name="stats:json", guards=[statistics_viewer])
async def export_json(request: AnyRequest) -> dict[str, Any]:
    _chosen, current, previous = await views(request)
    return exports.as_json(current, exports.tables(current, previous))


router = Router(
    path="/statistics",
    route_handlers=[dashboard, export_csv, export_xlsx, export_json],
)
