"""The public statistics page: the district's headline funnel for its website, switched on
and off by an operator admin."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect

from portal.auth import PUBLIC, operator_admin
from portal.auth.policy import StatsScope
from portal.clock import now, today
from portal.i18n import _
from portal.stats import disclosure, exports
from portal.stats.figures import STAGES, view
from portal.stats.periods import period_of
from portal.stats.tables import StatsOption
from portal.templating import page
from portal.web import AnyRequest, flash, see_other

# The stages the funnel shows (the dashboard's funnel chart draws the same).
FUNNEL = (
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
    rows = [(_(STAGES[stage]), exports.Figure.count(current.get(stage))) for stage in FUNNEL]
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
