"""The internship agreement: the printable page, the signed copy's upload (the fallback), and
its confirmation online — by the employer's signatory and the case manager here, by the intern
through a personal single-use link the case manager sends by e-mail or shows as a QR code
(placements/agreement.py has the rules, link_routes.py the intern's page).

The QR code is drawn by segno: pure Python without dependencies, maintained for years, and it
writes the SVG itself, so the code is inline in the page (no image service, no CDN, no Pillow).
"""

from __future__ import annotations

import segno
from litestar import get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from markupsafe import Markup

from portal.auth import placement_party
from portal.candidates import documents, uploads
from portal.candidates.access import vault_of
from portal.candidates.identity import read_identity, reason_to_read
from portal.candidates.tables import DocumentKind
from portal.clock import now
from portal.files import UploadLimit
from portal.forms import Errors, form_data
from portal.i18n import _
from portal.notifications.outbox import Mail, Recipient, enqueue
from portal.placements import agreement as online
from portal.placements import capacity, checklist, links, preparation
from portal.placements.effects import log_event, mail_context
from portal.placements.machine import Refused, Side
from portal.placements.preparation_pages import case_worker_only, load_with_side, refusal_page
from portal.placements.rows import PlacementRow
from portal.placements.tables import AgreementParty, LinkPurpose, PlacementState
from portal.templating import page
from portal.web import (
    AnyRequest,
    absolute_url,
    client_address,
    flash,
    see_other,
    session_of,
    settings_of,
    storage_of,
    user_of,
)

S = PlacementState
QR_PAGE = "placements/agreement_qr.html"
PARTY_OF = {Side.employer: AgreementParty.employer, Side.case_worker: AgreementParty.case_worker}
# The intern is written to in German (no language of their own in the portal).
INTERN_LANGUAGE = "de"
# -- the internship agreement -----------------------------------------------------------------

AGREEMENT = "placements/agreement.html"


async def _agreement_page(
    request: AnyRequest,
    row: PlacementRow,
    side: Side,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Template:
    if S(row["state"]) not in preparation.AGREEMENT_STATES:
        message = _("The agreement is prepared once the employer has accepted the candidate.")
        return refusal_page(AGREEMENT, row, message, 409)
    context = await preparation.agreement_context(
        user_of(request),
        row,
        side,
        vault=vault_of(request),
        session=session_of(request),
        address=client_address(request),
    )
    return page(
        AGREEMENT,
        status_code=status_code,
        refused="",
        side=side.value,
        upload=side == Side.case_worker and S(row["state"]) in checklist.EDITABLE_STATES,
        party=PARTY_OF.get(side, ""),
        max_mb=settings_of(request).upload_max_mb,
        errors=errors or {},
        problem=problem,
        **context,
    )


@get(
    "/placements/{placement_id:str}/agreement",
    name="placements:agreement",
    guards=[placement_party],
)
async def agreement(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    row, side = await load_with_side(request, placement_id)
    return await _agreement_page(request, row, side)


@post(
    "/placements/{placement_id:str}/agreement",
    name="placements:agreement_upload",
    guards=[placement_party],
    status_code=200,
    request_max_body_size=None,  # UploadLimit applies UPLOAD_MAX_MB
    middleware=[UploadLimit()],
    opt={"upload": True},  # errors.py names the limit on the 413 page
)
async def agreement_upload(request: AnyRequest, placement_id: FromPath[str]) -> Template | Redirect:
    """The signed copy: stored as the candidate's document (kind agreement), and the
    checklist's item "agreement" confirmed with it."""
    row, side = await load_with_side(request, placement_id)
    if refusal := case_worker_only(row, side, AGREEMENT, "agreement"):
        return refusal  # type: ignore[no-any-return]
    if S(row["state"]) not in checklist.EDITABLE_STATES:
        problem = _("The checklist can be changed only before the internship starts.")
        return await _agreement_page(request, row, side, status_code=409, problem=problem)
    form = await request.form()
    errors = Errors()
    upload = await uploads.read_upload(
        errors, form, "file", max_bytes=settings_of(request).upload_max_bytes
    )
    if upload is None:
        return await _agreement_page(request, row, side, status_code=400, errors=errors)
    user, address = user_of(request), client_address(request)
    candidate = {"id": row["candidate"], "organisation": row["agency"]}
    fields = uploads.DocumentFields(kind=DocumentKind.agreement, shareable=False)
    try:
        document_id = await uploads.upload_document(
            storage_of(request), user, candidate, fields, upload, address=address
        )
        answer = checklist.Answer("agreement", "signed_copy")
        await preparation.confirm(user, row["id"], answer, document=document_id, address=address)
    except (documents.Refused, Refused) as refused:
        return await _agreement_page(request, row, side, status_code=409, problem=refused.message)
    except documents.StorageFailed as failed:
        problem = failed.message
        return await _agreement_page(request, row, side, status_code=503, problem=problem)
    flash(request, _("The signed agreement has been uploaded and the checklist item confirmed."))
    return see_other(request.app.route_reverse("placements:checklist", placement_id=str(row["id"])))


# -- confirmed online -------------------------------------------------------------------------


def _back(request: AnyRequest, row: PlacementRow) -> Redirect:
    return see_other(request.app.route_reverse("placements:agreement", placement_id=str(row["id"])))


@post(
    "/placements/{placement_id:str}/agreement/confirm",
    name="placements:agreement_confirm",
    guards=[placement_party],
    status_code=200,
)
async def agreement_confirm(
    request: AnyRequest, placement_id: FromPath[str]
) -> Template | Redirect:
    """The employer's or the case manager's confirmation of the text the page showed."""
    row, side = await load_with_side(request, placement_id)
    data = await form_data(request)
    try:
        await online.confirm(
            row,
            PARTY_OF[side],
            data.get("digest", ""),
            user=user_of(request),
            address=client_address(request),
        )
    except Refused as refused:
        return await _agreement_page(
            request, row, side, status_code=refused.status, problem=refused.message
        )
    flash(request, _("You have confirmed the internship agreement."))
    return _back(request, row)


async def _ready(request: AnyRequest, row: PlacementRow, side: Side) -> Template | None:
    """The page with the reason when the intern cannot be asked (yet); None when they can."""
    if refusal := case_worker_only(row, side, AGREEMENT, "agreement_link"):
        return refusal  # type: ignore[no-any-return]
    problem = online.not_ready(row, await checklist.items_of(row["id"]))
    if problem:
        return await _agreement_page(request, row, side, status_code=409, problem=problem)
    return None


@post(
    "/placements/{placement_id:str}/agreement/intern-link",
    name="placements:agreement_send_link",
    guards=[placement_party],
    status_code=200,
)
async def agreement_send_link(
    request: AnyRequest, placement_id: FromPath[str]
) -> Template | Redirect:
    """The intern's personal link, by e-mail to the address in the identity vault."""
    row, side = await load_with_side(request, placement_id)
    if refusal := await _ready(request, row, side):
        return refusal
    user, address = user_of(request), client_address(request)
    case = {"id": row["candidate"], "case_manager": row["candidate_case_manager"]}
    reason = reason_to_read(user, case, session_of(request))
    identity = None
    if reason is not None and row["candidate_erased_at"] is None:
        identity = await read_identity(
            user, row["candidate"], vault_of(request), reason=f"{reason}: agreement link",
            address=address,
        )  # fmt: skip
    if identity is None or not identity.email:
        problem = _("There is no e-mail address of the intern to send the link to.")
        problem += " " + _("Show the QR code instead, for the intern to scan in the office.")
        return await _agreement_page(request, row, side, status_code=409, problem=problem)
    async with capacity.placement_transaction():
        # The link itself is made when the worker sends the mail (links.for_mail); at most one
        # mail a minute, however often the button is pressed.
        await enqueue(
            Mail("placement_agreement_link", mail_context(row, action="agreement_link")),
            [Recipient(identity.email, INTERN_LANGUAGE)],
            dedupe_key=f"agreement-link:{row['id']}:{now():%Y%m%d%H%M}",
        )
        await log_event(row["id"], "agreement.link_sent", user, address=address)
    flash(request, _("The personal link has been sent to the intern's e-mail address."))
    return _back(request, row)


@post(
    "/placements/{placement_id:str}/agreement/qr",
    name="placements:agreement_qr",
    guards=[placement_party],
    status_code=200,
)
async def agreement_qr(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    """A new personal link shown as a QR code, for the intern to scan in the office (a POST: it
    makes the link; the page is not cached, security.py)."""
    row, side = await load_with_side(request, placement_id)
    if refusal := await _ready(request, row, side):
        return refusal
    async with capacity.placement_transaction():
        token = await links.issue(row["id"], LinkPurpose.agreement)
        if token is not None:
            await log_event(
                row["id"], "agreement.link_shown", user_of(request), address=client_address(request)
            )
    if token is None:  # the placement moved on meanwhile
        return await _agreement_page(request, row, side, status_code=409, problem=_(
            "The agreement is confirmed online once the dates are fixed and until the start."
        ))  # fmt: skip
    url = absolute_url(request, "links:agreement", token=token)
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=5, border=4, dark="#000", light="#fff", omitsize=False)
    return page(QR_PAGE, placement=row, url=url, svg=Markup(svg))  # noqa: S704 (segno's own SVG)
