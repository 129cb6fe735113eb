"""Statistics for the chambers', the authorities' and the operator's tokens: the dashboard's
figures, read through the dashboard's own functions (portal.stats.routes: the choice of
period, scope and breakdown, the view with its disclosure control, the JSON export) — no
figure is computed here, so none can escape the suppression."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from litestar import Router, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, QueryParameter

from portal.api.problems import PROBLEMS, TITLES, ApiProblem, Problem, invalid
from portal.auth import statistics_viewer
from portal.auth.policy import statistics_scopes
from portal.i18n import _
from portal.stats import counting, disclosure, exports
from portal.stats import routes as dashboard
from portal.web import AnyRequest, user_of


@dataclass
class Cell:  # exports.Figure
    """A published figure: `value` null when suppressed (`sign` says why, see `legend`)."""

    sign: str
    # A count or a rate: a JSON number (integer counts are numbers too; "float | int" would
    # make every count match both schemas of a oneOf).
    value: float | None


@dataclass
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[Row]


@dataclass
class Period:
    start: str
    end: str


@dataclass
class Rules:
    threshold: int
    min_employers: int
    dominance_percent: int
    min_denominator: int


@dataclass
class Figures:
    """The dashboard's tables for one period and scope, after disclosure control."""

    title: str
    period: Period
    scope: str
    rules: Rules
    legend: dict[str, str]
    tables: list[Table]


@dataclass
class Methods:
    """The disclosure rules in force, and the choices the token may make."""

    rules: Rules
    legend: dict[str, str]
    scopes: list[str]
    breakdowns: list[str]


# A view nobody counted ahead is counted in the background (portal/stats/counting.py).
NOT_READY = {
    status: ResponseSpec(
        data_container=Problem,
        media_type="application/problem+json",
        description=TITLES[status],
        generate_examples=False,
    )
    for status in (202, 503)
}


@get(
    "/statistics",
    name="api:statistics",
    guards=[statistics_viewer],
    responses=PROBLEMS | NOT_READY,
)
async def statistics(
    request: AnyRequest,
    period: FromQuery[Literal["month", "quarter", "year", "custom"]] = "month",
    on: FromQuery[str | None] = None,
    start: FromQuery[str | None] = None,
    end: FromQuery[str | None] = None,
    # "scope" is a name Litestar keeps for the ASGI scope: the parameter is renamed.
    stats_scope: Annotated[str | None, QueryParameter(name="scope")] = None,
    by: FromQuery[str | None] = None,
) -> Figures:
    """The figures of the statistics page: `period` around the day `on` (YYYY-MM-DD, default
    today) or `custom` from `start` to `end`; `scope` members (a chamber's default) or
    district; `by` a breakdown (see /statistics/methods). Counts of 1 or 2 and the cells that
    would reveal them are suppressed, rates need a large enough denominator. A period nobody
    counted ahead is counted in the background: 202 with Retry-After until it is ready."""
    errors = dashboard.choice(request).errors
    if errors:
        raise invalid(errors, 400)
    found = await dashboard.views(request)
    if isinstance(found, dashboard.Waiting):
        retry = {"Retry-After": str(counting.ASK_AGAIN_SECONDS)}
        if found.failed:
            raise ApiProblem(503, _("The figures could not be counted."), headers=retry)
        raise ApiProblem(202, headers=retry)
    _chosen, current, previous = found
    return _figures(exports.as_json(current, exports.tables(current, previous)))


def _figures(found: dict[str, Any]) -> Figures:
    """The JSON export (exports.as_json) in the shapes the API description names."""
    return Figures(
        title=found["title"],
        period=Period(**found["period"]),
        scope=found["scope"],
        rules=Rules(**found["rules"]),
        legend=found["legend"],
        tables=[
            Table(
                id=table["id"],
                title=table["title"],
                columns=table["columns"],
                rows=[
                    Row(row["label"], [Cell(**cell) for cell in row["cells"]])
                    for row in table["rows"]
                ],
            )
            for table in found["tables"]
        ],
    )


@get(
    "/statistics/methods",
    name="api:statistics_methods",
    guards=[statistics_viewer],
    responses=PROBLEMS,
)
async def methods(request: AnyRequest) -> Methods:
    """How the figures are protected, and the scopes and breakdowns the token may ask for."""
    rules = await disclosure.rules(request.app.state.settings)
    return Methods(
        rules=Rules(
            threshold=rules.threshold,
            min_employers=rules.min_employers,
            dominance_percent=rules.dominance_percent,
            min_denominator=rules.min_denominator,
        ),
        legend=dict(exports.legend(rules)),
        scopes=[scope.value for scope in statistics_scopes(user_of(request))],
        breakdowns=list(dashboard.DIMENSIONS),
    )


router = Router(path="/", route_handlers=[statistics, methods])
