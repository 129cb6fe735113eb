"""The statistics pages and exports: aggregates only, every figure through disclosure.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Response, Router, get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from portal.accounts.tables import Organisation
from portal.auth import statistics_viewer
from portal.auth.policy import StatsScope, statistics_scopes
from portal.clock import today
from portal.i18n import N_, _
from portal.middleware import READS_ONLY
from portal.stats import counting, disclosure, exports
from portal.stats.charts import bar_chart, column_chart
from portal.stats.figures import (
    BREAKDOWN_COLUMNS,
    DIMENSIONS,
    SPLITS,
    STAGES,
    View,
    job,
    view,
)
from portal.stats.periods import Period, period_of
from portal.stats.public import FUNNEL, public, public_page_on, public_switch
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


@dataclass(frozen=True)
class Waiting:
    """The figures asked for are still being counted (stats/counting.py), or (`failed`) their
    count failed."""

    choice: Choice
    failed: bool


async def views(request: AnyRequest) -> tuple[Choice, View, View] | Waiting:
    """The asked view and the one of the period before it, protected the same way; Waiting
    while their counts run in the background."""
    chosen = choice(request)
    rules = await disclosure.rules(request.app.state.settings)
    chamber = await _chamber_of(request)
    periods = (chosen.period, chosen.period.previous())
    found = await counting.counts([job(period, chosen.scope, chamber) for period in periods])
    if isinstance(found, counting.NotReady):
        return Waiting(chosen, found.failed)
    current, previous = [
        await view(period, chosen.scope, chamber, rules, counted)
        for period, counted in zip(periods, found, strict=True)
    ]
    return chosen, current, previous


def not_ready(request: AnyRequest, waiting: Waiting, *, download: bool = False) -> Template:
    """The report's page while its figures are being counted (200; it asks again by itself),
    or a download's (202 and Retry-After, 503 when the count failed: the viewer asks again)."""
    status_code = (503 if waiting.failed else 202) if download else 200
    response = page(
        "stats/counting.html",
        waiting=waiting,
        again=f"{request.url.path}?{request.url.query}",
        query=waiting.choice.query,
        poll=not download,
        poll_seconds=counting.ASK_AGAIN_SECONDS,
        status_code=status_code,
    )
    response.headers["Retry-After"] = str(counting.ASK_AGAIN_SECONDS)
    return response


def not_ready_problem(request: AnyRequest, waiting: Waiting) -> Response[dict[str, Any]]:
    """The JSON's answer: 202 while counting, 503 when the count failed, as problem details."""
    status = 503 if waiting.failed else 202
    body = {
        "type": f"{request.app.route_reverse('stats:methods')}#counting",
        "title": _("The figures could not be counted.")
        if waiting.failed
        else _("The figures for this period are being counted."),
        "status": status,
        "detail": _("Please try again in a moment.")
        if waiting.failed
        else _("Please ask again after the seconds named in the header Retry-After."),
        "instance": request.url.path,
    }
    return Response(
        body,
        status_code=status,
        media_type="application/problem+json",
        headers={"Retry-After": str(counting.ASK_AGAIN_SECONDS)},
    )


def _filename(current: View, extension: str) -> str:
    period = f"{current.period.start.isoformat()}_{current.period.end.isoformat()}"
    return f"statistik_{period}.{extension}"


@get("/", name="stats:dashboard", guards=[statistics_viewer], opt=READS_ONLY)
async def dashboard(request: HTMXRequest) -> Template:
    found = await views(request)
    if isinstance(found, Waiting):
        return _dashboard(request, found.choice, waiting=found)
    chosen, current, previous = found
    found_tables = exports.tables(current, previous)
    # The chosen breakdown, and the time series whenever the period spans months.
    over_time = len(current.values["month"]) > 1
    breakdowns = {f"by_{chosen.by}"} | ({"by_month"} if over_time else set())
    shown = [t for t in found_tables if not t.id.startswith("by_") or t.id in breakdowns]
    user = user_of(request)
    by_id = {t.id: t for t in found_tables}
    hired = BREAKDOWN_COLUMNS.index("outcome.hired")
    charts = {
        "funnel": bar_chart("chart-funnel", by_id["funnel"], rows=list(FUNNEL)),
        f"by_{chosen.by}": bar_chart(
            f"chart-by-{chosen.by}", by_id[f"by_{chosen.by}"], columns=(hired, hired + 1)
        ),
    }
    if over_time:
        series = (BREAKDOWN_COLUMNS.index("started"), hired)
        charts["by_month"] = column_chart("chart-by-month", by_id["by_month"], columns=series)
    return _dashboard(
        request,
        chosen,
        view=current,
        previous=previous,
        tables=shown,
        legend=exports.legend(current.rules),
        charts=charts,
        public_page=await public_page_on() if user.is_operator else None,
    )


# The element of the waiting state that asks again (htmx names it in the HX-Trigger header).
POLLING = "figures"


def _dashboard(request: HTMXRequest, chosen: Choice, **context: Any) -> Template:
    """The page, or for htmx its figures alone and a word for the live region: the figures
    shown, or being counted (not again for each time the waiting state asks)."""
    context |= dict(
        choice=chosen,
        query=chosen.query,
        period_kinds={k: _(v) for k, v in PERIOD_KINDS.items()},
        scopes={s.value: _(SCOPE_LABELS[s]) for s in statistics_scopes(user_of(request))},
        dimensions={k: _(label) for k, (label, _sql) in DIMENSIONS.items()},
        poll_seconds=counting.ASK_AGAIN_SECONDS,
    )
    if request.htmx and not request.htmx.history_restore_request:
        asked_again = request.htmx.trigger == POLLING and "waiting" in context
        return HTMXBlockTemplate(
            template_name="stats/dashboard.html",
            block_name="figures",
            context=context | {"oob": not asked_again},
        )
    return page("stats/dashboard.html", **context)


@get("/figures.csv", name="stats:csv", guards=[statistics_viewer])
async def export_csv(request: AnyRequest) -> Response[Any]:
    found = await views(request)
    if isinstance(found, Waiting):
        return not_ready(request, found, download=True)
    _chosen, current, previous = found
    body = exports.as_csv(current, exports.tables(current, previous))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(current, "csv")}"'},
    )


@get("/figures.xlsx", name="stats:xlsx", guards=[statistics_viewer])
async def export_xlsx(request: AnyRequest) -> Response[Any]:
    found = await views(request)
    if isinstance(found, Waiting):
        return not_ready(request, found, download=True)
    _chosen, current, previous = found
    body = exports.as_xlsx(current, exports.tables(current, previous))
    return Response(
        body,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_filename(current, "xlsx")}"'},
    )


@get("/figures.json", name="stats:json", guards=[statistics_viewer])
async def export_json(request: AnyRequest) -> Response[dict[str, Any]]:
    found = await views(request)
    if isinstance(found, Waiting):
        return not_ready_problem(request, found)
    _chosen, current, previous = found
    return Response(exports.as_json(current, exports.tables(current, previous)))


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
async def report(request: AnyRequest) -> Response[Any]:
    """A printable A4 report of one period for one programme (or all), suppression applied."""
    found = await views(request)
    if isinstance(found, Waiting):
        return not_ready(request, found)
    if request.headers.get("hx-request"):
        # The waiting page asking again (the report itself has no htmx): now it is ready.
        return Response("", headers={"HX-Refresh": "true"})
    chosen, current, _previous = found
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
