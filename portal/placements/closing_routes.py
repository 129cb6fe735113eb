"""Closing a placement: the employer's evaluation, the outcome and its follow-ups."""

from __future__ import annotations

from litestar import get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal import clock
from portal.auth import placement_party
from portal.candidates import competences as c
from portal.candidates.access import vault_of
from portal.candidates.profile_form import identity_names
from portal.employers.tables import Slot
from portal.forms import form_data
from portal.i18n import _
from portal.placements import forms, machine, preparation
from portal.placements.checks import input_problems
from portal.placements.machine import Refused, Side
from portal.placements.preparation_pages import (
    case_worker_only,
    load_with_side,
    refusal_page,
)
from portal.placements.rows import PlacementRow
from portal.placements.tables import PlacementState
from portal.placements.transitions import OUTCOME_LABELS
from portal.reference.tables import CEFR
from portal.templating import page
from portal.web import AnyRequest, client_address, flash, see_other, user_of

S = PlacementState
COMPLETE, RECORD_OUTCOME = "complete", "record_outcome"


def _detail_url(request: AnyRequest, row: PlacementRow) -> str:
    return request.app.route_reverse("placements:detail", placement_id=str(row["id"]))


def _status(refused: Refused) -> int:
    """Input errors answer 400 like every other form of the portal (the machine says 422)."""
    return 400 if refused.status == 422 else refused.status


# -- the evaluation ---------------------------------------------------------------------------

EVALUATION = "placements/evaluation.html"


async def evaluation_page(
    row: PlacementRow,
    *,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
    action_url: str = "",
) -> Template:
    """The evaluation form; `action_url` where it is sent to when not the logged-in route
    (an e-mail link: the page then has no way back into the portal)."""
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
        early=ends_early(row),
        values=values or {},
        errors=errors or {},
        problem=problem,
        action_url=action_url,
    )


def ends_early(row: PlacementRow) -> bool:
    """Completing now would end the internship before its last day."""
    return bool(row["end_date"] and row["end_date"] > clock.today())


def _evaluation_refusal(row: PlacementRow, side: Side) -> Template | None:
    if side != Side.employer:
        return refusal_page(EVALUATION, row, _("Only the employer evaluates the internship."), 403)
    if S(row["state"]) != S.in_progress:
        return refusal_page(EVALUATION, row, _(machine.TRANSITIONS[COMPLETE].refusal), 409)
    return None


@get(
    "/placements/{placement_id:str}/evaluation",
    name="placements:evaluation",
    guards=[placement_party],
)
async def evaluation(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    row, side = await load_with_side(request, placement_id)
    return _evaluation_refusal(row, side) or await evaluation_page(row)


@post(
    "/placements/{placement_id:str}/evaluation",
    name="placements:evaluation_submit",
    guards=[placement_party],
    status_code=200,
)
async def evaluation_submit(
    request: AnyRequest, placement_id: FromPath[str]
) -> Template | Redirect:
    """Complete the internship with the evaluation (machine action `complete`)."""
    row, side = await load_with_side(request, placement_id)
    if refusal := _evaluation_refusal(row, side):
        return refusal
    data = await form_data(request)
    names = await identity_names(vault_of(request), row["candidate"])
    parsed, errors = await forms.parse_input_off_loop("complete", data, names=names)
    if ends_early(row) and data.get("end_early") != "yes":
        errors["end_early"] = _("Please confirm that the internship ends before its last day.")
    if errors:
        return await evaluation_page(row, status_code=400, values=data, errors=errors)
    try:
        await machine.apply(
            user_of(request), row["id"], "complete", parsed, address=client_address(request)
        )
    except Refused as refused:
        return await evaluation_page(
            row, status_code=_status(refused), values=data, errors=refused.errors,
            problem=refused.message,
        )  # fmt: skip
    flash(request, _("Thank you: the evaluation has been saved and the internship is completed."))
    return see_other(_detail_url(request, row))


# -- the outcome and the follow-ups -----------------------------------------------------------

OUTCOME = "placements/outcome.html"


async def _outcome_page(
    row: PlacementRow,
    *,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Template:
    state = S(row["state"])
    if state not in (S.completed, S.outcome):
        return refusal_page(OUTCOME, row, _(machine.TRANSITIONS[RECORD_OUTCOME].refusal), 409)
    return page(
        OUTCOME,
        status_code=status_code,
        placement=row,
        refused="",
        outcomes=[(code, _(label)) for code, label in OUTCOME_LABELS.items()],
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
    guards=[placement_party],
)
async def outcome(request: AnyRequest, placement_id: FromPath[str]) -> Template:
    row, side = await load_with_side(request, placement_id)
    return case_worker_only(row, side, OUTCOME, "outcome") or await _outcome_page(row)


@post(
    "/placements/{placement_id:str}/outcome",
    name="placements:outcome_submit",
    guards=[placement_party],
    status_code=200,
)
async def outcome_submit(request: AnyRequest, placement_id: FromPath[str]) -> Template | Redirect:
    """Record what followed (machine action `record_outcome`, which plans the follow-ups)."""
    row, side = await load_with_side(request, placement_id)
    if refusal := case_worker_only(row, side, OUTCOME, "outcome"):
        return refusal  # type: ignore[no-any-return]
    data = await form_data(request)
    names = await identity_names(vault_of(request), row["candidate"])
    parsed, errors = await forms.parse_input_off_loop("record_outcome", data, names=names)
    try:
        if errors:
            if S(row["state"]) != S.completed:
                raise Refused(_(machine.TRANSITIONS[RECORD_OUTCOME].refusal))
            problems = input_problems(machine.TRANSITIONS["record_outcome"], row, parsed)
            raise Refused("", status=422, errors={**problems, **errors})
        await machine.apply(
            user_of(request), row["id"], "record_outcome", parsed, address=client_address(request)
        )
    except Refused as refused:
        fresh, _side = await load_with_side(request, placement_id)
        return await _outcome_page(
            fresh, status_code=_status(refused), values=data, errors=refused.errors,
            problem="" if refused.errors else refused.message,
        )  # fmt: skip
    flash(request, _("The outcome has been recorded. Follow-ups are planned after 3 and 6 months."))
    return see_other(request.app.route_reverse("placements:outcome", placement_id=str(row["id"])))


@post(
    "/placements/{placement_id:str}/follow-ups/{months:int}",
    name="placements:follow_up",
    guards=[placement_party],
    status_code=200,
)
async def follow_up(
    request: AnyRequest, placement_id: FromPath[str], months: FromPath[int]
) -> Template | Redirect:
    """Still employed? Recorded once the follow-up is due."""
    row, side = await load_with_side(request, placement_id)
    if refusal := case_worker_only(row, side, OUTCOME, "outcome"):
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
