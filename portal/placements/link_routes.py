"""The pages behind the e-mail links: answer one nomination, write one evaluation, and the
intern's confirmation of the agreement (by e-mail or by the QR code shown in the office).

A GET only shows (never changes anything); the answer is a POST with the CSRF token, through
machine.apply like the inbox's buttons. A logged-in user of the placement's employer is sent
to the same page behind the usual guards, and the link stays unused. Anyone else holding a valid
link sees the nomination's pseudonymised profile (or the evaluation form) and may answer once:
no session is made. A wrong or dead link answers the same page whatever the reason, and counts
against the address (portal.throttle) like a wrong password.
"""

from __future__ import annotations

from typing import Any

from litestar import Router, get, post
from litestar.exceptions import NotFoundException, TooManyRequestsException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from markupsafe import Markup

from portal.auth import PUBLIC, current_user, employer_user, parse_id
from portal.candidates.access import vault_of
from portal.candidates.profile import load_profile
from portal.candidates.profile_form import identity_names
from portal.forms import form_data
from portal.i18n import _
from portal.placements import agreement, checklist, forms, links, lists, machine
from portal.placements.closing_routes import ends_early, evaluation_page
from portal.placements.links import Grant
from portal.placements.loading import select_placement
from portal.placements.machine import Refused, Side
from portal.placements.rows import PlacementRow
from portal.placements.tables import AgreementParty, LinkPurpose
from portal.templating import page
from portal.web import AnyRequest, client_address, see_other, user_of

ANSWER = "placements/answer.html"
AGREEMENT = "placements/agreement_link.html"
DONE = "placements/link_done.html"
DECISIONS = ("accept", "decline")


async def _grant(request: AnyRequest, token: str, purpose: LinkPurpose) -> Grant | None:
    """The link's grant, or None (counted against the address); 429 after too many."""
    throttle = request.app.state.throttle
    address = client_address(request)
    if await throttle.link_wait(address):
        raise TooManyRequestsException()
    grant = await links.find(token, purpose)
    if grant is None:
        await throttle.link_refused(address)
        await links.refused(purpose, address=address)
    return grant


def _dead() -> Template:
    return page(DONE, status_code=404, outcome="dead")


async def _placement(grant: Grant) -> PlacementRow:
    row = await select_placement(grant.placement_id)
    if row is None:
        raise NotFoundException()
    return row


def _own_employer(request: AnyRequest, row: PlacementRow) -> bool:
    """Whether a user of the placement's employer is logged in (the usual route serves them)."""
    user = current_user(request)
    return (
        user is not None
        and user.organisation_active
        and machine.side_of(user, row) == Side.employer
    )


async def answer_context(row: PlacementRow, **context: Any) -> dict[str, Any]:
    """What the answer page shows: the nomination and its pseudonymised profile."""
    profile = None
    if row["candidate_erased_at"] is None:
        profile = await load_profile(row["candidate"])
    return {
        "placement": row,
        "profile": profile,
        "reasons": lists.decline_reasons(),
        "token": "",
        "values": {},
        "errors": {},
        "problem": "",
        **context,
    }


# -- answering a nomination -------------------------------------------------------------------


@get("/nominations/{placement_id:str}/answer", name="placements:answer", guards=[employer_user])
async def answer_logged_in(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    """The same page for a logged-in employer; its buttons are the inbox's."""
    row = await machine.load_placement(user_of(request), parse_id(placement_id))
    return page(ANSWER, **await answer_context(row))


@get("/answer/{token:str}", name="links:answer", opt=PUBLIC)
async def answer_by_link(request: AnyRequest, token: FromPath[str]) -> Template | Redirect:
    grant = await _grant(request, token, LinkPurpose.answer)
    if grant is None:
        return _dead()
    row = await _placement(grant)
    if _own_employer(request, row):
        return see_other(
            request.app.route_reverse("placements:answer", placement_id=str(row["id"]))
        )
    await links.audit("placement_link.opened", grant, address=client_address(request))
    return page(ANSWER, **await answer_context(row, token=token))


@post("/answer/{token:str}/{decision:str}", name="links:answer_submit", opt=PUBLIC,
      status_code=200)  # fmt: skip
async def answer_submit(
    request: AnyRequest, token: FromPath[str], decision: FromPath[str]
) -> Template:
    if decision not in DECISIONS:
        raise NotFoundException()
    grant = await _grant(request, token, LinkPurpose.answer)
    if grant is None:
        return _dead()
    data = await form_data(request)
    parsed, errors = await forms.parse_input_off_loop(decision, data)
    try:
        if errors:
            raise Refused(_("Please check the marked fields."), 422, errors)
        row = await machine.apply(
            None, grant.placement_id, decision, parsed, address=client_address(request), link=grant
        )
    except Refused as refused:
        context = await answer_context(
            await _placement(grant), token=token, values=data, errors=refused.errors,
            problem=refused.message,
        )  # fmt: skip
        return page(ANSWER, status_code=400 if refused.status == 422 else refused.status, **context)
    return page(DONE, outcome=decision, placement=row)


# -- the supervisor's evaluation --------------------------------------------------------------


def _evaluation_url(request: AnyRequest, token: str) -> str:
    return request.app.route_reverse("links:evaluation_submit", token=token)


@get("/evaluate/{token:str}", name="links:evaluation", opt=PUBLIC)
async def evaluation_by_link(request: AnyRequest, token: FromPath[str]) -> Template | Redirect:
    grant = await _grant(request, token, LinkPurpose.evaluation)
    if grant is None:
        return _dead()
    row = await _placement(grant)
    if _own_employer(request, row):
        return see_other(
            request.app.route_reverse("placements:evaluation", placement_id=str(row["id"]))
        )
    await links.audit("placement_link.opened", grant, address=client_address(request))
    return await evaluation_page(row, action_url=_evaluation_url(request, token))


@post("/evaluate/{token:str}", name="links:evaluation_submit", opt=PUBLIC, status_code=200)
async def evaluation_submit(request: AnyRequest, token: FromPath[str]) -> Template:
    """The same form and checks as the logged-in evaluation (closing_routes)."""
    grant = await _grant(request, token, LinkPurpose.evaluation)
    if grant is None:
        return _dead()
    row = await _placement(grant)
    action_url = _evaluation_url(request, token)
    data = await form_data(request)
    names = await identity_names(vault_of(request), row["candidate"])
    parsed, errors = await forms.parse_input_off_loop("complete", data, names=names)
    if ends_early(row) and data.get("end_early") != "yes":
        errors["end_early"] = _("Please confirm that the internship ends before its last day.")
    if errors:
        return await evaluation_page(
            row, status_code=400, values=data, errors=errors, action_url=action_url
        )
    try:
        done = await machine.apply(
            None, row["id"], "complete", parsed, address=client_address(request), link=grant
        )
    except Refused as refused:
        return await evaluation_page(
            row, status_code=400 if refused.status == 422 else refused.status, values=data,
            errors=refused.errors, problem=refused.message, action_url=action_url,
        )  # fmt: skip
    return page(DONE, outcome="complete", placement=done)


# -- the intern's confirmation of the agreement ------------------------------------------------


async def _agreement_page(
    row: PlacementRow, token: str, *, status_code: int = 200, problem: str = ""
) -> Template:
    """The agreement's text as confirmed online (without the name) and the one button."""
    done = await checklist.items_of(row["id"])
    text_terms = await agreement.terms(row, done)
    status = await agreement.status(row, text_terms, done)
    return page(
        AGREEMENT,
        status_code=status_code,
        text=Markup(agreement.render(text_terms)),  # noqa: S704 (our template, autoescaped)
        digest=status.digest,
        token=token,
        problem=problem or status.problem,
    )


@get("/agreement/{token:str}", name="links:agreement", opt=PUBLIC)
async def agreement_by_link(request: AnyRequest, token: FromPath[str]) -> Template:
    grant = await _grant(request, token, LinkPurpose.agreement)
    if grant is None:
        return _dead()
    row = await _placement(grant)
    await links.audit("placement_link.opened", grant, address=client_address(request))
    return await _agreement_page(row, token)


@post("/agreement/{token:str}", name="links:agreement_submit", opt=PUBLIC, status_code=200)
async def agreement_submit(request: AnyRequest, token: FromPath[str]) -> Template:
    """The intern's confirmation of the text the page showed (its digest); uses the link up."""
    grant = await _grant(request, token, LinkPurpose.agreement)
    if grant is None:
        return _dead()
    row = await _placement(grant)
    data = await form_data(request)
    try:
        await agreement.confirm(
            row, AgreementParty.intern, data.get("digest", ""), link=grant,
            address=client_address(request),
        )  # fmt: skip
    except Refused as refused:
        return await _agreement_page(
            row, token, status_code=refused.status, problem=refused.message
        )
    return page(DONE, outcome="agreement", placement=row)


router = Router(
    path="/",
    route_handlers=[
        answer_logged_in, answer_by_link, answer_submit, evaluation_by_link, evaluation_submit,
        agreement_by_link, agreement_submit,
    ],
)  # fmt: skip
