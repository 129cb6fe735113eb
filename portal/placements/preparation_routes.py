"""Preparing and closing a placement: the start checklist, the internship agreement (printable,
with the signed copy's upload), the employer's evaluation, the outcome and its follow-ups.

Employers and case workers reach these routes (operators and statistics viewers: 403, the
guard); anyone not on a side of the placement gets 404 (machine.load_placement); the other side
gets 403 with a message saying who does this. Every form works without JavaScript: POST → 303
with a flash, or the same page again with the messages (nothing changed).

Here the checklist; the agreement (printed, uploaded, confirmed online) is in
`agreement_routes.py`, the evaluation, outcome and follow-ups in `closing_routes.py`, what they
share in `preparation_pages.py`. This module's router registers the handlers of all three.
"""

from __future__ import annotations

from litestar import Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth import placement_party
from portal.forms import form_data
from portal.i18n import _
from portal.placements import agreement as online
from portal.placements import checklist, preparation
from portal.placements.agreement_routes import (
    agreement,
    agreement_confirm,
    agreement_qr,
    agreement_send_link,
    agreement_upload,
)
from portal.placements.closing_routes import (
    evaluation,
    evaluation_submit,
    follow_up,
    outcome,
    outcome_submit,
)
from portal.placements.machine import Refused
from portal.placements.preparation_pages import (
    case_worker_only,
    load_with_side,
)
from portal.placements.rows import PlacementRow
from portal.placements.tables import PlacementState
from portal.templating import page
from portal.web import (
    AnyRequest,
    client_address,
    flash,
    see_other,
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
    done = await online.fresh(row, await checklist.items_of(row["id"]))
    items = preparation.checklist_view(row, done)
    stored: dict[str, str] = {}
    for code, found in done.items():
        stored[code] = found["value"]
        if code == "work_access":
            stored["work_access_reference"] = found["detail"]
        if code == "agreement":
            # Ticked only where the box confirmed it: saving the form again must not turn an
            # online confirmation (bound to its text) into a paper one.
            stored["agreement"] = "yes" if found["value"] != online.ONLINE else ""
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


router = Router(
    path="/",
    route_handlers=[
        checklist_form,
        checklist_confirm,
        agreement,
        agreement_upload,
        agreement_confirm,
        agreement_send_link,
        agreement_qr,
        evaluation,
        evaluation_submit,
        outcome,
        outcome_submit,
        follow_up,
    ],
)
