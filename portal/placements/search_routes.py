"""Case managers find open slots and read one offer (PRODUCT.md section 2: "all open slots").

The queries are portal/search (below the placements); the pages live here, since the offer
shows the employer's response rate to nominations and leads on to nominating someone.
"""

from __future__ import annotations

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from portal import clock
from portal.auth import case_worker_or_operator, parse_id, policy
from portal.employers.labels import SLOT_KIND_HINTS, SLOT_KIND_LABELS
from portal.i18n import _
from portal.middleware import READS_ONLY
from portal.pagination import page_number
from portal.placements.lists import has_placement_on_slot
from portal.placements.response import response_rates
from portal.reference.limits import load_limits
from portal.reference.tables import CEFR
from portal.search import services
from portal.templating import page
from portal.web import AnyRequest, settings_of, user_of

# Who searches: case management (both roles) and the operator's staff; never employers,
# chambers or authorities.


def _kind_labels() -> dict[str, str]:
    return {kind.value: _(label) for kind, label in SLOT_KIND_LABELS.items()}


@get("/search/slots", name="search:slots", opt=READS_ONLY)
async def slots(request: HTMXRequest) -> Template:
    filters, errors = services.parse_filters(request.query_params)
    listing = await services.search_slots(
        filters,
        number=page_number(request.query_params.get("page", "")),
        today=clock.today(),
    )
    context: dict[str, Any] = {
        "page": listing,
        "values": filters.values,
        "errors": errors,
        "kind_labels": _kind_labels(),
        "german_levels": [(level.value, level.value) for level in CEFR],
    }
    # htmx swaps the results and, out of band, the count and the messages next to the fields.
    if request.htmx and not request.htmx.history_restore_request:
        return HTMXBlockTemplate(
            template_name="search/slots.html",
            block_names=["results", "status", "problems"],
            context={**context, "oob": True},
        )
    context.update(await services.filter_options(), oob=False)
    return page("search/slots.html", **context)


@get("/offers/{slot_id:str}", name="search:offer")
async def offer(request: AnyRequest, slot_id: FromPath[str]) -> Template:
    user = user_of(request)
    uid = parse_id(slot_id)
    row = await services.offer(uid, today=clock.today())
    is_offer = row is not None
    if row is None and policy.is_case_worker(user) and await has_placement_on_slot(user, uid):
        # Filled, closed or past: still readable by those with a placement on it.
        row = await services.slot_details(uid)
    if row is None:
        raise NotFoundException()
    days = (await load_limits(settings_of(request))).reminder_days
    rates = await response_rates([row["employer"]], days=days)
    return page(
        "search/offer.html",
        slot=row,
        contact=services.contact(row),
        rate=rates[row["employer"]],
        days=days,
        case_worker=policy.is_case_worker(user),
        is_offer=is_offer,
        kind_labels=_kind_labels(),
        kind_hints={kind.value: _(hint) for kind, hint in SLOT_KIND_HINTS.items()},
    )


router = Router(path="/", guards=[case_worker_or_operator], route_handlers=[slots, offer])
