"""Nominations both ways, the case worker's placements and the employer's inbox.

A case worker nominates a candidate of their caseload for an open slot; an employer asks for a
candidate of the talent pool for one of its own slots. Both go through `machine.create`, which
checks the rest (active candidate, consent, open slot, no open placement of the two) under locks.

The case worker's placements and the employer's inbox are in `inbox_routes.py`; this module's
router registers the handlers of both.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID

import asyncpg
from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get, post
from litestar.exceptions import NoRouteMatchFoundException, NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import ClientRedirect, HTMXRequest
from litestar.response import Redirect, Template

from portal import clock
from portal.auth import CurrentUser, case_worker, employer_user, parse_id
from portal.auth.policy import own
from portal.candidates import documents, profile
from portal.candidates.access import load_candidate, vault_of
from portal.candidates.consent import active_consent
from portal.candidates.profile_form import identity_names
from portal.candidates.tables import Candidate, CandidateStatus
from portal.employers.labels import SLOT_KIND_LABELS
from portal.employers.tables import Slot, SlotStatus
from portal.forms import form_data
from portal.i18n import _
from portal.placements import forms, machine
from portal.placements.inbox_routes import decide, inbox, inbox_live, mine
from portal.placements.transitions import NOTE_LIMIT
from portal.search import services as search
from portal.web import AnyRequest, client_address, flash, see_other, user_of


def _partial(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def placement_url(request: AnyRequest, placement_id: UUID, fallback: str) -> str:
    """The placement's page (or the `fallback` list while that page is being built)."""
    for name, params in (
        ("placements:detail", {"placement_id": str(placement_id)}),
        (fallback, {}),
    ):
        try:
            return request.app.route_reverse(name, **params)
        except NoRouteMatchFoundException:
            continue
    return "/"


async def create(
    user: CurrentUser, action: str, *, slot_id: UUID, candidate_id: UUID, note: str, address: str
) -> UUID:
    """`machine.create`, with the refusals of its locks turned into the machine's own.

    The partial unique index (one open placement per slot and candidate) catches what the
    machine's check cannot see: two requests at the same moment. Both read as the same message.
    """
    try:
        return await machine.create(
            user, action, slot_id=slot_id, candidate_id=candidate_id, note=note, address=address
        )
    except documents.Refused as refused:  # the candidate was erased meanwhile
        raise machine.Refused(str(refused)) from None
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        raise machine.Refused(_("This candidate is already proposed for this slot.")) from None


def _answer(
    request: HTMXRequest,
    template: str,
    context: dict[str, Any],
    *,
    message: str = "",
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    """The form page, or for htmx its `form` block (htmx swaps only 2xx answers)."""
    return HTMXBlockTemplate(
        template_name=template,
        block_name="form" if _partial(request) else None,
        context={**context, "message": message, "errors": errors or {}},
        status_code=200 if _partial(request) else status,
    )


# -- a case worker nominates ------------------------------------------------------------------


async def _nomination(request: AnyRequest, candidate_id: str, slot_id: str) -> dict[str, Any]:
    candidate = await load_candidate(user_of(request), candidate_id)
    slot = await search.offer(parse_id(slot_id), today=clock.today())
    if slot is None:
        raise NotFoundException()
    kind = SLOT_KIND_LABELS.get(slot["kind"])
    return {
        "candidate": candidate,
        "slot": slot,
        "kind_label": _(kind) if kind else "",
        "values": {},
        "note_limit": NOTE_LIMIT,
    }


@get(
    "/candidates/{candidate_id:str}/nominate/{slot_id:str}",
    name="placements:nominate",
    guards=[case_worker],
)
async def nominate_form(
    request: HTMXRequest, candidate_id: FromPath[str], slot_id: FromPath[str]
) -> Template:
    context = await _nomination(request, candidate_id, slot_id)
    return _answer(request, "placements/nominate.html", context)


@post(
    "/candidates/{candidate_id:str}/nominate/{slot_id:str}",
    name="placements:nominate_submit",
    guards=[case_worker],
    status_code=200,
)
async def nominate(
    request: HTMXRequest, candidate_id: FromPath[str], slot_id: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    user = user_of(request)
    context = await _nomination(request, candidate_id, slot_id)
    candidate, slot = context["candidate"], context["slot"]
    data = await form_data(request)
    context["values"] = {"note": data.get("note", "")}
    # A machine check of the note against the names: not an identity read a person sees.
    names = await identity_names(vault_of(request), candidate["id"])
    parsed, errors = await forms.parse_input_off_loop("nominate", data, names=names)
    if errors:
        message = _("Please check the marked fields.")
        return _answer(
            request, "placements/nominate.html", context, message=message, errors=errors, status=422
        )
    try:
        placement_id = await create(
            user,
            "nominate",
            slot_id=slot["id"],
            candidate_id=candidate["id"],
            note=parsed.note,
            address=client_address(request),
        )
    except machine.Refused as refused:
        return _answer(
            request,
            "placements/nominate.html",
            context,
            message=refused.message,
            errors=refused.errors,
            status=refused.status,
        )
    flash(
        request,
        _(
            "%(code)s has been proposed for “%(slot)s”. The employer has been told.",
            code=candidate["code"],
            slot=slot["title"],
        ),
    )
    url = placement_url(request, placement_id, "placements:mine")
    return ClientRedirect(redirect_to=url) if request.htmx else see_other(url)


# -- an employer asks for a candidate of the talent pool --------------------------------------


async def requestable(request: AnyRequest, slot_id: str, candidate_id: str) -> dict[str, Any]:
    """The employer's own open slot and a candidate of the talent pool, or 404 for either."""
    user = user_of(request)
    slot = (
        await Slot.select(
            Slot.id,
            Slot.title,
            Slot.kind,
            Slot.start_date,
            Slot.end_date,
            Slot.flexible,
            Slot.duration_days,
            Slot.places,
        )
        .where(
            (Slot.id == parse_id(slot_id))
            & own(user, Slot.employer)
            & (Slot.status == SlotStatus.open)
        )
        .first()
    )
    candidate = (
        await Candidate.select(Candidate.id, Candidate.code)
        .where(
            (Candidate.id == parse_id(candidate_id))
            & (Candidate.status == CandidateStatus.active)
            & Candidate.erased_at.is_null()
        )
        .first()
    )
    if slot is None or candidate is None:
        raise NotFoundException()
    consent = await active_consent(candidate["id"])
    if consent is None or not consent["talent_pool"]:
        raise NotFoundException()
    return {
        "slot": slot,
        "candidate": candidate,
        "profile": await profile.load_profile(candidate["id"]),
        "values": {},
        "note_limit": NOTE_LIMIT,
    }


@get(
    "/slots/{slot_id:str}/pool/{candidate_id:str}",
    name="placements:request",
    guards=[employer_user],
)
async def request_form(
    request: HTMXRequest, slot_id: FromPath[str], candidate_id: FromPath[str]
) -> Template:
    context = await requestable(request, slot_id, candidate_id)
    return _answer(request, "placements/request.html", context)


@post(
    "/slots/{slot_id:str}/pool/{candidate_id:str}",
    name="placements:request_submit",
    guards=[employer_user],
    status_code=200,
)
async def request_candidate(
    request: HTMXRequest, slot_id: FromPath[str], candidate_id: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    user = user_of(request)
    context = await requestable(request, slot_id, candidate_id)
    data = await form_data(request)
    context["values"] = {"note": data.get("note", "")}
    # The employer does not know the names; e-mail, phone and date patterns are still refused.
    parsed, errors = await forms.parse_input_off_loop("request", data)
    if errors:
        message = _("Please check the marked fields.")
        return _answer(
            request, "placements/request.html", context, message=message, errors=errors, status=422
        )
    try:
        placement_id = await create(
            user,
            "request",
            slot_id=context["slot"]["id"],
            candidate_id=context["candidate"]["id"],
            note=parsed.note,
            address=client_address(request),
        )
    except machine.Refused as refused:
        return _answer(
            request,
            "placements/request.html",
            context,
            message=refused.message,
            errors=refused.errors,
            status=refused.status,
        )
    flash(
        request,
        _(
            "You asked for %(code)s. The case manager has been told and will answer.",
            code=context["candidate"]["code"],
        ),
    )
    url = placement_url(request, placement_id, "placements:inbox")
    return ClientRedirect(redirect_to=url) if request.htmx else see_other(url)


router = Router(
    path="/",
    route_handlers=[
        nominate_form,
        nominate,
        request_form,
        request_candidate,
        mine,
        inbox_live,
        inbox,
        decide,
    ],
)
