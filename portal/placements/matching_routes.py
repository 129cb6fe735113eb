"""Matching pages: slots for a candidate, a caseload for an offer, the talent pool for a slot.

The ranking and its explanations are in `matching.py`; here: load, authorise, rank, render.
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
from portal.auth import case_worker, employer_user, parse_id
from portal.candidates import caseload
from portal.candidates.access import caseload_where, load_candidate
from portal.candidates.consent import active_consent
from portal.candidates.labels import OCCUPATION_KIND_LABELS
from portal.candidates.tables import CandidateOccupation, CandidateStatus
from portal.employers import slots
from portal.employers.labels import SLOT_KIND_LABELS
from portal.employers.tables import SlotStatus
from portal.i18n import _
from portal.pagination import Page, page_number
from portal.placements import matching
from portal.placements.matching_score import MAX_SCORE
from portal.placements.response import response_rates
from portal.reference.limits import load_limits
from portal.search import services as search
from portal.templating import page
from portal.web import AnyRequest, settings_of, user_of


def _render(request: HTMXRequest, template: str, context: dict[str, Any]) -> Template:
    """The page, or for htmx (paging) only its `results` block."""
    if request.htmx and not request.htmx.history_restore_request:
        return HTMXBlockTemplate(template_name=template, block_name="results", context=context)
    return page(template, **context)


def _number(request: AnyRequest) -> int:
    return page_number(request.query_params.get("page", ""))


async def _occupations(listing: Page) -> dict[str, list[dict[str, Any]]]:
    """The occupations of the page's candidates (one query), by candidate id."""
    ids = [row["candidate_id"] for row in listing.rows]
    found: dict[str, list[dict[str, Any]]] = {str(i): [] for i in ids}
    if ids:
        rows = await (
            CandidateOccupation.select(
                CandidateOccupation.candidate,
                CandidateOccupation.kind,
                CandidateOccupation.occupation,
                CandidateOccupation.occupation.name.as_alias("name"),
            )
            .where(CandidateOccupation.candidate.is_in(ids))
            .order_by(CandidateOccupation.kind)
            .order_by(CandidateOccupation.occupation)
        )
        for row in rows:
            found[str(row["candidate"])].append(row)
    return found


@get("/candidates/{candidate_id:str}/matches", name="placements:matches", guards=[case_worker])
async def matches(request: HTMXRequest, candidate_id: FromPath[str]) -> Template:
    candidate = await load_candidate(user_of(request), candidate_id)
    context: dict[str, Any] = {"candidate": candidate, **_labels()}
    if candidate["status"] != CandidateStatus.active or candidate["erased_at"]:
        return page("placements/matches.html", **context, listing=None, consent=None)
    listing = await matching.slots_for_candidate(
        candidate, today=clock.today(), number=_number(request)
    )
    days = (await load_limits(settings_of(request))).reminder_days
    context.update(
        listing=listing,
        consent=await active_consent(candidate["id"]),
        rates=await response_rates([row["employer_id"] for row in listing.rows], days=days),
        days=days,
    )
    return _render(request, "placements/matches.html", context)


@get("/offers/{slot_id:str}/candidates", name="placements:offer_candidates", guards=[case_worker])
async def offer_candidates(request: HTMXRequest, slot_id: FromPath[str]) -> Template:
    user = user_of(request)
    slot = await search.offer(parse_id(slot_id), today=clock.today())
    if slot is None:
        raise NotFoundException()
    shared = await caseload.is_shared(user.organisation_id)
    listing = await matching.candidates_for_slot(
        slot,
        where=caseload_where(user, shared=shared),
        today=clock.today(),
        number=_number(request),
    )
    context = {
        "slot": slot,
        "listing": listing,
        "occupations": await _occupations(listing),
        **_labels(),
    }
    return _render(request, "placements/offer_candidates.html", context)


@get("/slots/{slot_id:str}/pool", name="placements:pool", guards=[employer_user])
async def pool(request: HTMXRequest, slot_id: FromPath[str]) -> Template:
    slot = await slots.slot_of(user_of(request), parse_id(slot_id))
    if slot is None:
        raise NotFoundException()
    today = clock.today()
    context: dict[str, Any] = {"slot": slot, **_labels()}
    if slot["status"] != SlotStatus.open or slot["end_date"] < today:
        return page("placements/pool.html", **context, listing=None)
    listing = await matching.candidates_for_slot(
        slot, where=None, today=today, number=_number(request)
    )
    context.update(listing=listing, occupations=await _occupations(listing))
    return _render(request, "placements/pool.html", context)


def _labels() -> dict[str, Any]:
    return {
        "kind_labels": {kind.value: _(label) for kind, label in SLOT_KIND_LABELS.items()},
        "occupation_kinds": {
            kind.value: _(label) for kind, label in OCCUPATION_KIND_LABELS.items()
        },
        "max_score": MAX_SCORE,
    }


router = Router(path="/", route_handlers=[matches, offer_candidates, pool])
