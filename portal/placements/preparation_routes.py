"""Preparing and closing a placement: the start checklist, the internship agreement (printable,
with the signed copy's upload), the employer's evaluation, the outcome and its follow-ups.

Employers and case workers reach these routes (operators and statistics viewers: 403, the
guard); anyone not on a side of the placement gets 404 (machine.load_placement); the other side
gets 403 with a message saying who does this. Every form works without JavaScript: POST → 303
with a flash, or the same page again with the messages (nothing changed).

Here the checklist and the agreement; the evaluation, outcome and follow-ups are in
`closing_routes.py`, what both share in `preparation_pages.py`. This module's router registers
the handlers of both.
"""

from __future__ import annotations

from litestar import Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth import placement_party
from portal.candidates import documents, uploads
from portal.candidates.access import vault_of
from portal.candidates.tables import DocumentKind
from portal.files import UploadLimit
from portal.forms import Errors, form_data
from portal.i18n import _
from portal.placements import checklist, preparation
from portal.placements.closing_routes import (
    evaluation,
    evaluation_submit,
    follow_up,
    outcome,
    outcome_submit,
)
from portal.placements.machine import Refused, Side
from portal.placements.preparation_pages import (
    case_worker_only,
    load_with_side,
    refusal_page,
)
from portal.placements.rows import PlacementRow
from portal.placements.tables import PlacementState
from portal.templating import page
from portal.web import (
    AnyRequest,
    client_address,
    flash,
    see_other,
    session_of,
    settings_of,
    storage_of,
    user_of,
)

S = PlacementState


# -- the start checklist ----------------------------------------------------------------------

CHECKLIST = "placements/checklist.html"


async def _checklist_page(
    row: PlacementRow,
    *,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Template:
    """The checklist as one form; after a refusal with every value typed (`values`)."""
    done = await checklist.items_of(row["id"])
    items = preparation.checklist_view(row, done)
    stored: dict[str, str] = {}
    for code, found in done.items():
        stored[code] = found["value"]
        if code == "work_access":
            stored["work_access_reference"] = found["detail"]
        if code == "agreement":
            stored["agreement"] = "yes"
    return page(
        CHECKLIST,
        status_code=status_code,
        placement=row,
        refused="",
        items=items,
        complete=all(entry["done"] for entry in items),
        editable=S(row["state"]) in checklist.EDITABLE_STATES,
        work_access=[(code, _(label)) for code, label in checklist.WORK_ACCESS.items()],
        values=_typed_over(stored, values),
        errors=errors or {},
        problem=problem,
    )


def _typed_over(stored: dict[str, str], typed: dict[str, str] | None) -> dict[str, str]:
    """The stored answers with what was typed on top (an unticked box stays unticked)."""
    if typed is None:
        return stored
    merged = {**stored, **typed}
    if "agreement" not in typed:
        merged.pop("agreement", None)
    return merged


@get(
    "/placements/{placement_id:str}/checklist",
    name="placements:checklist",
    guards=[placement_party],
)
async def checklist_form(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    row, side = await load_with_side(request, placement_id)
    return case_worker_only(row, side, CHECKLIST, "checklist") or await _checklist_page(row)


@post(
    "/placements/{placement_id:str}/checklist",
    name="placements:checklist_confirm",
    guards=[placement_party],
    status_code=200,
)
async def checklist_confirm(
    request: AnyRequest, placement_id: FromPath[str]
) -> Template | Redirect:
    row, side = await load_with_side(request, placement_id)
    if refusal := case_worker_only(row, side, CHECKLIST, "checklist"):
        return refusal  # type: ignore[no-any-return]
    data = await form_data(request)
    stored = await checklist.items_of(row["id"])
    answers, errors = checklist.parse_answers(data.get("item", ""), data, row["slot_kind"], stored)
    if errors:
        return await _checklist_page(row, status_code=400, values=data, errors=errors)
    try:
        await preparation.confirm_all(
            user_of(request), row["id"], answers, address=client_address(request)
        )
    except Refused as refused:
        return await _checklist_page(row, status_code=refused.status, problem=refused.message)
    labels = ", ".join(_(checklist.ITEMS[answer.item]) for answer in answers)
    flash(request, _("Confirmed: %(item)s.", item=labels))
    return see_other(request.app.route_reverse("placements:checklist", placement_id=str(row["id"])))


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


router = Router(
    path="/",
    route_handlers=[
        checklist_form,
        checklist_confirm,
        agreement,
        agreement_upload,
        evaluation,
        evaluation_submit,
        outcome,
        outcome_submit,
        follow_up,
    ],
)
