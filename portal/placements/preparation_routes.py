"""Preparing and closing a placement: the start checklist, the internship agreement (printable,
with the signed copy's upload), the employer's evaluation, the outcome and its follow-ups.

Employers and case workers reach these routes (operators and statistics viewers: 403, the
guard); anyone not on a side of the placement gets 404 (machine.load_placement); the other side
gets 403 with a message saying who does this. Every form works without JavaScript: POST → 303
with a flash, or the same page again with the messages (nothing changed).
"""

from __future__ import annotations

from typing import Any

from litestar import Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.accounts.tables import Role
from portal.auth import parse_id, roles
from portal.candidates import competences as c
from portal.candidates import documents
from portal.candidates.access import vault_of
from portal.candidates.profile_form import identity_names
from portal.candidates.tables import DocumentKind
from portal.employers.tables import Slot
from portal.files import UploadLimit
from portal.forms import Errors, form_data
from portal.i18n import N_, _
from portal.placements import checklist, forms, machine, preparation
from portal.placements.machine import Refused, Side
from portal.placements.tables import PlacementState
from portal.reference.tables import CEFR
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
COMPLETE, RECORD_OUTCOME = "complete", "record_outcome"
placement_roles = roles(
    Role.employer_member, Role.employer_admin, Role.case_manager, Role.team_lead
)

ONLY_CASE_WORKER: dict[str, str] = {
    "checklist": N_("Only the candidate's case manager fills in the start checklist."),
    "agreement": N_("Only the candidate's case manager uploads the signed agreement."),
    "outcome": N_("Only the candidate's case manager records the outcome and the follow-ups."),
}


async def _load(request: AnyRequest, placement_id: str) -> tuple[dict[str, Any], Side]:
    user = user_of(request)
    row = await machine.load_placement(user, parse_id(placement_id))
    side = machine.side_of(user, row)
    assert side is not None  # noqa: S101 (load_placement answered 404 otherwise)
    return row, side


def _refused(template: str, row: dict[str, Any], message: str, status: int) -> Template:
    """The page with only the message why it cannot be used (nothing was changed)."""
    return page(template, status_code=status, placement=row, refused=message)


def _case_worker_only(row: dict[str, Any], side: Side, template: str, what: str) -> Any:
    if side != Side.case_worker:
        return _refused(template, row, _(ONLY_CASE_WORKER[what]), 403)
    return None


def _status(refused: Refused) -> int:
    """Input errors answer 400 like every other form of the portal (the machine says 422)."""
    return 400 if refused.status == 422 else refused.status


def _detail_url(request: AnyRequest, row: dict[str, Any]) -> str:
    return request.app.route_reverse("placements:detail", placement_id=str(row["id"]))


# -- the start checklist ----------------------------------------------------------------------

CHECKLIST = "placements/checklist.html"


async def _checklist_page(
    row: dict[str, Any],
    *,
    status_code: int = 200,
    item: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Template:
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
        item=item,
        values={**stored, **(values or {})} if item else stored,
        errors=errors or {},
        problem=problem,
    )


@get(
    "/placements/{placement_id:str}/checklist",
    name="placements:checklist",
    guards=[placement_roles],
)
async def checklist_form(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    row, side = await _load(request, placement_id)
    return _case_worker_only(row, side, CHECKLIST, "checklist") or await _checklist_page(row)


@post(
    "/placements/{placement_id:str}/checklist",
    name="placements:checklist_confirm",
    guards=[placement_roles],
    status_code=200,
)
async def checklist_confirm(
    request: AnyRequest, placement_id: FromPath[str]
) -> Template | Redirect:
    row, side = await _load(request, placement_id)
    if refusal := _case_worker_only(row, side, CHECKLIST, "checklist"):
        return refusal  # type: ignore[no-any-return]
    data = await form_data(request)
    item = data.get("item", "")
    answer, errors = checklist.parse_answer(item, data, row["slot_kind"])
    if answer is None:
        return await _checklist_page(row, status_code=400, item=item, values=data, errors=errors)
    try:
        await preparation.confirm(
            user_of(request), row["id"], answer, address=client_address(request)
        )
    except Refused as refused:
        return await _checklist_page(row, status_code=refused.status, problem=refused.message)
    flash(request, _("Confirmed: %(item)s.", item=_(checklist.ITEMS[item])))
    return see_other(request.app.route_reverse("placements:checklist", placement_id=str(row["id"])))


# -- the internship agreement -----------------------------------------------------------------

AGREEMENT = "placements/agreement.html"


async def _agreement_page(
    request: AnyRequest,
    row: dict[str, Any],
    side: Side,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Template:
    if S(row["state"]) not in preparation.AGREEMENT_STATES:
        message = _("The agreement is prepared once the employer has accepted the candidate.")
        return _refused(AGREEMENT, row, message, 409)
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
    guards=[placement_roles],
)
async def agreement(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    row, side = await _load(request, placement_id)
    return await _agreement_page(request, row, side)


@post(
    "/placements/{placement_id:str}/agreement",
    name="placements:agreement_upload",
    guards=[placement_roles],
    status_code=200,
    request_max_body_size=None,  # UploadLimit applies UPLOAD_MAX_MB
    middleware=[UploadLimit()],
    opt={"upload": True},  # errors.py names the limit on the 413 page
)
async def agreement_upload(request: AnyRequest, placement_id: FromPath[str]) -> Template | Redirect:
    """The signed copy: stored as the candidate's document (kind agreement), and the
    checklist's item "agreement" confirmed with it."""
    row, side = await _load(request, placement_id)
    if refusal := _case_worker_only(row, side, AGREEMENT, "agreement"):
        return refusal  # type: ignore[no-any-return]
    if S(row["state"]) not in checklist.EDITABLE_STATES:
        problem = _("The checklist can be changed only before the internship starts.")
        return await _agreement_page(request, row, side, status_code=409, problem=problem)
    form = await request.form()
    errors = Errors()
    upload = await documents.read_upload(
        errors, "file", form.get("file"), max_bytes=settings_of(request).upload_max_bytes
    )
    if upload is None:
        return await _agreement_page(request, row, side, status_code=400, errors=errors)
    user, address = user_of(request), client_address(request)
    candidate = {"id": row["candidate"], "organisation": row["agency"]}
    fields = documents.DocumentFields(kind=DocumentKind.agreement, shareable=False)
    try:
        document_id = await documents.upload_document(
            storage_of(request), user, candidate, fields, upload, address=address
        )
        answer = checklist.Answer("agreement", "signed_copy")
        await preparation.confirm(user, row["id"], answer, document=document_id, address=address)
    except (documents.Refused, Refused) as refused:
        return await _agreement_page(request, row, side, status_code=409, problem=refused.message)
    except documents.StorageFailed:
        problem = documents.storage_failed_message()
        return await _agreement_page(request, row, side, status_code=503, problem=problem)
    flash(request, _("The signed agreement has been uploaded and the checklist item confirmed."))
    return see_other(request.app.route_reverse("placements:checklist", placement_id=str(row["id"])))


# -- the evaluation ---------------------------------------------------------------------------

EVALUATION = "placements/evaluation.html"


async def _evaluation_page(
    row: dict[str, Any],
    *,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Template:
    occupation = await Slot.select(Slot.occupation).where(Slot.id == row["slot"]).first()
    first = preparation.field_of(occupation["occupation"] if occupation else "")
    fields = sorted(c.FIELDS, key=lambda item: item.code != first)
    return page(
        EVALUATION,
        status_code=status_code,
        placement=row,
        refused="",
        fields=[
            (item.code, _(item.label), [(code, _(label)) for code, label in item.skills.items()])
            for item in fields
        ],
        habits=[(code, _(label)) for code, label in c.WORK_HABITS.items()],
        attendance=[(code, _(label)) for code, label in forms.ATTENDANCE.items()],
        recommendations=[(code, _(label)) for code, label in forms.RECOMMENDATIONS.items()],
        levels=[(level.value, level.value) for level in CEFR],
        comment_limit=forms.COMMENT_LIMIT,
        values=values or {},
        errors=errors or {},
        problem=problem,
    )


def _evaluation_refusal(row: dict[str, Any], side: Side) -> Template | None:
    if side != Side.employer:
        return _refused(EVALUATION, row, _("Only the employer evaluates the internship."), 403)
    if S(row["state"]) != S.in_progress:
        return _refused(EVALUATION, row, _(machine.TRANSITIONS[COMPLETE].refusal), 409)
    return None


@get(
    "/placements/{placement_id:str}/evaluation",
    name="placements:evaluation",
    guards=[placement_roles],
)
async def evaluation(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    row, side = await _load(request, placement_id)
    return _evaluation_refusal(row, side) or await _evaluation_page(row)


@post(
    "/placements/{placement_id:str}/evaluation",
    name="placements:evaluation_submit",
    guards=[placement_roles],
    status_code=200,
)
async def evaluation_submit(
    request: AnyRequest, placement_id: FromPath[str]
) -> Template | Redirect:
    """Complete the internship with the evaluation (machine action `complete`)."""
    row, side = await _load(request, placement_id)
    if refusal := _evaluation_refusal(row, side):
        return refusal
    data = await form_data(request)
    names = await identity_names(vault_of(request), row["candidate"])
    parsed, errors = forms.parse_input("complete", data, names=names)
    if errors:
        return await _evaluation_page(row, status_code=400, values=data, errors=errors)
    try:
        await machine.apply(
            user_of(request), row["id"], "complete", parsed, address=client_address(request)
        )
    except Refused as refused:
        return await _evaluation_page(
            row, status_code=_status(refused), values=data, errors=refused.errors,
            problem=refused.message,
        )  # fmt: skip
    flash(request, _("Thank you: the evaluation has been saved and the internship is completed."))
    return see_other(_detail_url(request, row))


# -- the outcome and the follow-ups -----------------------------------------------------------

OUTCOME = "placements/outcome.html"


async def _outcome_page(
    row: dict[str, Any],
    *,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Template:
    state = S(row["state"])
    if state not in (S.completed, S.outcome):
        return _refused(OUTCOME, row, _(machine.TRANSITIONS[RECORD_OUTCOME].refusal), 409)
    return page(
        OUTCOME,
        status_code=status_code,
        placement=row,
        refused="",
        outcomes=[(code, _(label)) for code, label in machine.OUTCOME_LABELS.items()],
        outcome=preparation.outcome_view(row),
        follow_ups=await preparation.follow_ups_of(row["id"]) if state == S.outcome else [],
        results=[(code, _(label)) for code, label in preparation.FOLLOW_UP_RESULTS.items()],
        values=values or {},
        errors=errors or {},
        problem=problem,
    )


@get(
    "/placements/{placement_id:str}/outcome",
    name="placements:outcome",
    guards=[placement_roles],
)
async def outcome(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    row, side = await _load(request, placement_id)
    return _case_worker_only(row, side, OUTCOME, "outcome") or await _outcome_page(row)


@post(
    "/placements/{placement_id:str}/outcome",
    name="placements:outcome_submit",
    guards=[placement_roles],
    status_code=200,
)
async def outcome_submit(request: AnyRequest, placement_id: FromPath[str]) -> Template | Redirect:
    """Record what followed (machine action `record_outcome`, which plans the follow-ups)."""
    row, side = await _load(request, placement_id)
    if refusal := _case_worker_only(row, side, OUTCOME, "outcome"):
        return refusal  # type: ignore[no-any-return]
    data = await form_data(request)
    names = await identity_names(vault_of(request), row["candidate"])
    parsed, errors = forms.parse_input("record_outcome", data, names=names)
    try:
        if errors:
            if S(row["state"]) != S.completed:
                raise Refused(_(machine.TRANSITIONS[RECORD_OUTCOME].refusal))
            problems = machine.input_problems(machine.TRANSITIONS["record_outcome"], row, parsed)
            raise Refused("", status=422, errors={**problems, **errors})
        await machine.apply(
            user_of(request), row["id"], "record_outcome", parsed, address=client_address(request)
        )
    except Refused as refused:
        fresh, _side = await _load(request, placement_id)
        return await _outcome_page(
            fresh, status_code=_status(refused), values=data, errors=refused.errors,
            problem="" if refused.errors else refused.message,
        )  # fmt: skip
    flash(request, _("The outcome has been recorded. Follow-ups are planned after 3 and 6 months."))
    return see_other(request.app.route_reverse("placements:outcome", placement_id=str(row["id"])))


@post(
    "/placements/{placement_id:str}/follow-ups/{months:int}",
    name="placements:follow_up",
    guards=[placement_roles],
    status_code=200,
)
async def follow_up(
    request: AnyRequest, placement_id: FromPath[str], months: FromPath[int]
) -> Template | Redirect:
    """Still employed? Recorded once the follow-up is due."""
    row, side = await _load(request, placement_id)
    if refusal := _case_worker_only(row, side, OUTCOME, "outcome"):
        return refusal  # type: ignore[no-any-return]
    data = await form_data(request)
    try:
        if S(row["state"]) != S.outcome:
            raise Refused(_("Follow-ups are recorded once the outcome is recorded."))
        await preparation.record_follow_up(
            user_of(request), row, months, data.get("result", ""), address=client_address(request)
        )
    except Refused as refused:
        return await _outcome_page(
            row, status_code=_status(refused), problem=refused.message,
            errors={f"result-{months}": message for message in refused.errors.values()},
        )  # fmt: skip
    flash(request, _("The follow-up after %(n)s months has been recorded.", n=months))
    return see_other(request.app.route_reverse("placements:outcome", placement_id=str(row["id"])))


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
