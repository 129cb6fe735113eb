"""The competence profile: edit, the employer's view, the printable summary."""

from __future__ import annotations

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get, post
from litestar.params import FromPath
from litestar.plugins.htmx import ClientRedirect, HTMXRequest
from litestar.response import Redirect, Template

from portal.auth import case_worker, case_worker_or_operator
from portal.candidates import competences as c
from portal.candidates import profile, profile_form
from portal.candidates.access import load_candidate, vault_of
from portal.candidates.languages import language_choices
from portal.candidates.profile_checks import ROWS
from portal.candidates.rows import CandidateRow
from portal.clock import today
from portal.forms import form_data
from portal.i18n import _
from portal.reference import services as reference
from portal.reference.tables import CEFR
from portal.templating import page
from portal.web import AnyRequest, client_address, flash, see_other, user_of


def _partial(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(code, _(label)) for code, label in labels.items()]


async def _form(
    request: HTMXRequest,
    candidate: CandidateRow,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    municipalities: list[dict[str, Any]] | None = None,
    erased: bool = False,
) -> Template:
    """The profile form; for htmx only its `form` block (htmx swaps only 2xx answers).

    An erased candidate's profile can no longer be changed: the form is replaced by a message
    (a POST answers 409: nothing was changed).
    """
    status_code = 200
    if not request.htmx and errors:
        status_code = 400
    elif not request.htmx and erased and request.method == "POST":
        status_code = 409
    if municipalities is None:
        municipalities = await reference.municipalities()
    context = {
        "candidate": candidate,
        "values": values,
        "errors": errors,
        "erased": erased,
        "levels": [(level.value, level.value) for level in CEFR],
        "evidence": _choices(c.EVIDENCE_LABELS),
        "skill_evidence": _choices(c.SKILL_EVIDENCE_LABELS),
        "languages": [(code, name) for code, name in language_choices() if code != "de"],
        "isced": [(code, f"ISCED {code} – {_(label)}") for code, label in c.ISCED_LEVELS.items()],
        "kinds": _choices(c.OCCUPATION_KINDS_SHOWN),
        "where": _choices(c.WHERE_LABELS),
        "fields": [(item.code, _(item.label), _choices(item.skills)) for item in c.FIELDS],
        "habits": _choices(c.WORK_HABITS),
        "courses": [
            (
                code,
                _(course.label),
                [(status, _(c.COURSE_STATUSES[status])) for status in course.statuses],
            )
            for code, course in c.COURSES.items()
        ],
        "municipalities": [(str(row["id"]), row["name"]) for row in municipalities],
        "licences": _choices(c.DRIVING_LICENCES),
        "permits": _choices(c.PERMIT_LABELS),
        "age_bands": list(c.AGE_BANDS.items()),
        "rows": ROWS,
        "summary_limit": profile_form.SUMMARY_LIMIT,
        "hours": profile_form.HOURS,
    }
    return HTMXBlockTemplate(
        template_name="candidates/profile_form.html",
        block_name="form" if _partial(request) else None,
        context=context,
        status_code=status_code,
    )


@get("/candidates/{candidate_id:str}/profile", name="candidates:profile", guards=[case_worker])
async def edit_profile(request: HTMXRequest, candidate_id: FromPath[str]) -> Template:
    candidate = await load_candidate(user_of(request), candidate_id)
    if candidate["erased_at"]:
        return await _form(request, candidate, values={}, errors={}, erased=True)
    return await _form(
        request, candidate, values=await profile_form.form_values(candidate), errors={}
    )


@post(
    "/candidates/{candidate_id:str}/profile",
    name="candidates:profile_update",
    guards=[case_worker],
    status_code=200,
)
async def update_profile(
    request: HTMXRequest, candidate_id: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    user = user_of(request)
    candidate = await load_candidate(user, candidate_id)
    if candidate["erased_at"]:
        return await _form(request, candidate, values={}, errors={}, erased=True)
    data = await form_data(request)
    municipalities = await reference.municipalities()
    names = await profile_form.identity_names(vault_of(request), candidate["id"])
    errors, fields, values = await profile_form.check_profile(
        data, names=names, municipalities=municipalities
    )
    if fields is None:
        return await _form(
            request, candidate, values=values, errors=errors, municipalities=municipalities
        )
    try:
        await profile.save_profile(user, candidate, fields, address=client_address(request))
    except profile.Refused:
        return await _form(request, candidate, values={}, errors={}, erased=True)
    flash(request, _("The competence profile has been saved."))
    url = request.app.route_reverse("candidates:detail", candidate_id=str(candidate["id"]))
    return ClientRedirect(redirect_to=url) if request.htmx else see_other(url)


@get(
    "/candidates/{candidate_id:str}/preview",
    name="candidates:preview",
    guards=[case_worker_or_operator],
)
async def preview(request: AnyRequest, candidate_id: FromPath[str]) -> Template:
    candidate = await load_candidate(user_of(request), candidate_id, operator=True)
    return page(
        "candidates/preview.html",
        candidate=candidate,
        profile=await profile.load_profile(candidate["id"]),
    )


@get(
    "/candidates/{candidate_id:str}/summary",
    name="candidates:summary",
    guards=[case_worker_or_operator],
)
async def summary(request: AnyRequest, candidate_id: FromPath[str]) -> Template:
    candidate = await load_candidate(user_of(request), candidate_id, operator=True)
    return page(
        "candidates/summary.html",
        candidate=candidate,
        profile=await profile.load_profile(candidate["id"]),
        today=today(),
    )


router = Router(path="", route_handlers=[edit_profile, update_profile, preview, summary])
