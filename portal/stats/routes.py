"""The statistics pages and exports: aggregates only, every figure through disclosure.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Response, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.accounts.tables import Organisation
from portal.auth import PUBLIC, operator_admin, statistics_viewer
from portal.auth.policy import StatsScope, statistics_scopes
from portal.clock import now, today
from portal.i18n import N_, _
from portal.middleware import READS_ONLY
from portal.stats import disclosure, exports
from portal.stats.charts import bar_chart, column_chart
from portal.stats.figures import (
    BREAKDOWN_COLUMNS,
    DIMENSIONS,
    SPLITS,
    STAGES,
    View,
    view,
)
from portal.stats.periods import Period, period_of
from portal.stats.tables import StatsOption
from portal.templating import page
from portal.web import AnyRequest, flash, see_other, user_of

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
# The stages the funnel chart draws (the table beside it has every stage).
FUNNEL_CHART = (
    "registered",
    "profiled",
    "nominated",
    "accepted",
    "started",
    "completed",
    "outcome",
    "outcome.hired",
    "outcome.apprenticeship",
)
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
    rules = await disclosure.rules(request.app.state.settings)
    chamber = await _chamber_of(request)
    current = await view(chosen.period, chosen.scope, chamber, rules)
    previous = await view(chosen.period.previous(), chosen.scope, chamber, rules)
    return chosen, current, previous


def _filename(current: View, extension: str) -> str:
    period = f"{current.period.start.isoformat()}_{current.period.end.isoformat()}"
    return f"statistik_{period}.{extension}"


@get("/", name="stats:dashboard", guards=[statistics_viewer], opt=READS_ONLY)
async def dashboard(request: HTMXRequest) -> Template:
    chosen, current, previous = await views(request)
    found = exports.tables(current, previous)
    # The chosen breakdown, and the time series whenever the period spans months.
    over_time = len(current.values["month"]) > 1
    breakdowns = {f"by_{chosen.by}"} | ({"by_month"} if over_time else set())
    shown = [t for t in found if not t.id.startswith("by_") or t.id in breakdowns]
    user = user_of(request)
    by_id = {t.id: t for t in found}
    hired = BREAKDOWN_COLUMNS.index("outcome.hired")
    charts = {
        "funnel": bar_chart("chart-funnel", by_id["funnel"], rows=list(FUNNEL_CHART)),
        f"by_{chosen.by}": bar_chart(
            f"chart-by-{chosen.by}", by_id[f"by_{chosen.by}"], columns=(hired, hired + 1)
        ),
    }
    if over_time:
        series = (BREAKDOWN_COLUMNS.index("started"), hired)
        charts["by_month"] = column_chart("chart-by-month", by_id["by_month"], columns=series)
    context: dict[str, Any] = dict(
        choice=chosen,
        view=current,
        previous=previous,
        tables=shown,
        legend=exports.legend(current.rules),
        period_kinds={k: _(v) for k, v in PERIOD_KINDS.items()},
        scopes={s.value: _(SCOPE_LABELS[s]) for s in statistics_scopes(user)},
        dimensions={k: _(label) for k, (label, _sql) in DIMENSIONS.items()},
        query=chosen.query,
        charts=charts,
        public_page=await public_page_on() if user.is_operator else None,
    )
    if request.htmx and not request.htmx.history_restore_request:
        # The form's fast path: the figures alone, and a word for the live region.
        return HTMXBlockTemplate(
            template_name="stats/dashboard.html",
            block_name="figures",
            context=context | {"oob": True},
        )
    return page("stats/dashboard.html", **context)


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


# -- the programme report, the methods ---------------------------------------------------------

# The figures funders ask for, top to bottom (PRODUCT.md section 6, the list).
REPORT_STAGES = (
    "registered",
    "profiled",
    "nominated",
    "started",
    "completed",
    "aborted",
    *(f"aborted.{code}" for code in SPLITS["aborted"]),
    "outcome.hired",
    "outcome.apprenticeship",
    "outcome.entry_qualification",
    "follow_up_6.employed",
)


@get("/report", name="stats:report", guards=[statistics_viewer])
async def report(request: AnyRequest) -> Template:
    """A printable A4 report of one period for one programme (or all), suppression applied."""
    chosen, current, _previous = await views(request)
    programmes = dict(current.values["programme"])
    programme = request.query_params.get("programme", "")
    if programme not in programmes:
        programme = ""
    dimension = "programme" if programme else "total"
    rows = [
        (
            _(STAGES[stage]),
            exports.Figure.count(current.get(stage, dimension, programme))
            if current.applies(stage, dimension)
            else exports.NOT_APPLICABLE,
        )
        for stage in REPORT_STAGES
    ]
    return page(
        "stats/report.html",
        view=current,
        choice=chosen,
        rows=rows,
        programmes=programmes,
        programme=programme,
        legend=exports.legend(current.rules),
        query=chosen.query,
    )


@get("/methods", name="stats:methods", guards=[statistics_viewer])
async def methods(request: AnyRequest) -> Template:
    rules = await disclosure.rules(request.app.state.settings)
    return page("stats/methods.html", rules=rules, legend=exports.legend(rules))


# -- the public page ----------------------------------------------------------------------------

PUBLIC_PAGE = "public_page"


async def public_page_on() -> bool:
    row = (
        await StatsOption.select(StatsOption.enabled).where(StatsOption.name == PUBLIC_PAGE).first()
    )
    return bool(row and row["enabled"])


@get("/public", name="stats:public", opt=PUBLIC)
async def public(request: AnyRequest) -> Response[Any]:
    """The district's headline funnel of the year so far, for its website: anonymous, the same
    disclosure control, cacheable; 404 until an operator admin switches it on."""
    if not await public_page_on():
        raise NotFoundException()
    rules = await disclosure.rules(request.app.state.settings)
    current = await view(period_of("year", today()), StatsScope.district, None, rules)
    rows = [(_(STAGES[stage]), exports.Figure.count(current.get(stage))) for stage in FUNNEL_CHART]
    response = page(
        "stats/public.html", view=current, rows=rows, legend=exports.legend(rules), rules=rules
    )
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@post("/public", name="stats:public_switch", guards=[operator_admin], status_code=303)
async def public_switch(request: AnyRequest) -> Redirect:
    """The operator admin switches the public page on or off."""
    data = await request.form()
    enabled = data.get("enabled") == "on"
    if await StatsOption.exists().where(StatsOption.name == PUBLIC_PAGE):
        await StatsOption.update(
            {StatsOption.enabled: enabled, StatsOption.changed_at: now()}
        ).where(StatsOption.name == PUBLIC_PAGE)
    else:
        await StatsOption.insert(StatsOption(name=PUBLIC_PAGE, enabled=enabled))
    flash(
        request,
        _("The public statistics page is on.")
        if enabled
        else _("The public statistics page is off."),
    )
    return see_other(request.app.route_reverse("stats:dashboard"))


router = Router(
    path="/statistics",
    route_handlers=[
        dashboard,
        export_csv,
        export_xlsx,
        export_json,
        report,
        methods,
        public,
        public_switch,
    ],
)
