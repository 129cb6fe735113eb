"""Data-subject rights: the data protection tab, the export of everything kept on a candidate
(GDPR Art. 15) as a page and as a JSON file, and erasure on request (Art. 17)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Response, Router, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import ClientRedirect, HTMXRequest
from litestar.response import Redirect, Template

from portal.auth import CurrentUser, case_worker
from portal.candidates import competences, identity, privacy
from portal.candidates.access import load_candidate, vault_of
from portal.candidates.export import audited_export, needs_reason, reason_problem, to_json
from portal.candidates.labels import (
    CONSENT_METHOD_LABELS,
    DOCUMENT_KIND_LABELS,
    OCCUPATION_KIND_LABELS,
    STATUS_LABELS,
    WORK_ACCESS_LABELS,
)
from portal.candidates.languages import language_name
from portal.candidates.rows import CandidateRow
from portal.candidates.vault import SEALED_FIELDS
from portal.forms import form_data
from portal.i18n import N_, _, format_date
from portal.reference.limits import load_limits
from portal.templating import page
from portal.web import client_address, flash, see_other, settings_of, user_of

IDENTITY_FIELDS = {
    "given_names": N_("Given names"),
    "family_name": N_("Family name"),
    "date_of_birth": N_("Date of birth"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "street": N_("Street and number"),
    "postcode": N_("Postcode"),
    "city": N_("City"),
    "file_number": N_("File number"),
    "residence_status": N_("Residence status"),
    "work_access": N_("Access to the labour market"),
    "residence_document_expires": N_("Residence document valid until"),
    "work_permit_expires": N_("Work permit valid until"),
    "notes": N_("Notes"),
}
assert tuple(IDENTITY_FIELDS) == SEALED_FIELDS  # noqa: S101 - every identity field is exported
READ_ACTIONS = {
    "identity.read": N_("Identity opened"),
    "candidate.export": N_("Data exported"),
}


def iso_date(value: str) -> str:
    """A date the identity keeps as ISO text, in the user's format (as typed when malformed)."""
    try:
        return format_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def _labels() -> dict[str, Any]:
    """Labels of the readable export; the competence catalogues are translated in the template."""

    def translated(labels: dict[Any, str]) -> dict[str, str]:
        return {str(key): _(label) for key, label in labels.items()}

    return {
        "status_labels": translated(STATUS_LABELS),
        "evidence": competences.EVIDENCE_LABELS,
        "skill_evidence": competences.SKILL_EVIDENCE_LABELS,
        "skills": competences.SKILLS,
        "work_habits": competences.WORK_HABITS,
        "courses": competences.COURSES,
        "course_statuses": competences.COURSE_STATUSES,
        "isced": competences.ISCED_LEVELS,
        "permit_labels": competences.PERMIT_LABELS,
        "iso_date": iso_date,
        "consent_methods": translated(CONSENT_METHOD_LABELS),
        "document_kinds": translated(DOCUMENT_KIND_LABELS),
        "occupation_kinds": translated(OCCUPATION_KIND_LABELS),
        "work_access": translated(WORK_ACCESS_LABELS),
        "identity_fields": translated(IDENTITY_FIELDS),
        "read_actions": translated(READ_ACTIONS),
        "language_name": language_name,
    }


async def _privacy_page(
    request: HTMXRequest,
    row: CandidateRow,
    *,
    reason: str = "",
    reason_error: str | None = None,
    erase_values: dict[str, str] | None = None,
    erase_errors: dict[str, str] | None = None,
    block: str | None = None,
) -> Template:
    """The tab; with a problem in one of its forms as 400 (htmx gets the form's block)."""
    user = user_of(request)
    months = (await load_limits(settings_of(request))).retention_months
    partial = bool(block and request.htmx)
    problem = bool(reason_error or erase_errors)
    return HTMXBlockTemplate(
        template_name="candidates/privacy.html",
        block_name=block if partial else None,
        context={
            "candidate": row,
            "retention_months": months,
            "erasure_due": privacy.erasure_due(row, months),
            "needs_reason": needs_reason(user, row),
            "may_erase": privacy.may_erase(user, row),
            "reason": reason,
            "reason_error": reason_error,
            "reason_limits": (identity.REASON_MIN, identity.REASON_MAX),
            "erase_values": erase_values or {},
            "erase_errors": erase_errors or {},
        },
        status_code=400 if problem and not partial else 200,
    )


async def _export(
    request: HTMXRequest, candidate_id: str, reason: str, fmt: str
) -> tuple[CandidateRow, dict[str, Any] | Template]:
    """The candidate's row and its export, or the tab again when a reason is needed."""
    user: CurrentUser = user_of(request)
    row = await load_candidate(user, candidate_id)
    if needs_reason(user, row) or reason:
        problem = await reason_problem(reason, row["id"], vault_of(request))
        if problem:
            return row, await _privacy_page(request, row, reason=reason, reason_error=problem)
    export = await audited_export(
        user, row["id"], vault_of(request), reason=reason, fmt=fmt, address=client_address(request)
    )
    return row, export


@get("/candidates/{candidate_id:str}/privacy", name="candidates:privacy", guards=[case_worker])
async def privacy_tab(request: HTMXRequest, candidate_id: FromPath[str]) -> Template:
    return await _privacy_page(request, await load_candidate(user_of(request), candidate_id))


@get("/candidates/{candidate_id:str}/export", name="candidates:export", guards=[case_worker])
async def export_page(
    request: HTMXRequest, candidate_id: FromPath[str], reason: FromQuery[str] = ""
) -> Template:
    """Everything kept on the person, readable and printable (GDPR Art. 15)."""
    row, export = await _export(request, candidate_id, reason, "html")
    if isinstance(export, Template):
        return export
    return page("candidates/export.html", candidate=row, export=export, **_labels())


@get(
    "/candidates/{candidate_id:str}/export.json",
    name="candidates:export_json",
    guards=[case_worker],
)
async def export_json(
    request: HTMXRequest, candidate_id: FromPath[str], reason: FromQuery[str] = ""
) -> Template | Response[str]:
    """The same as a machine-readable file (GDPR Art. 15 (3), Art. 20)."""
    row, export = await _export(request, candidate_id, reason, "json")
    if isinstance(export, Template):
        return export
    return Response(
        content=to_json(export),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="candidate-{row["code"]}.json"',
            "Cache-Control": "no-store",
        },
    )


@post(
    "/candidates/{candidate_id:str}/erase",
    name="candidates:erase",
    guards=[case_worker],
    status_code=200,
)
async def erase(
    request: HTMXRequest, candidate_id: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    """Erasure on request (GDPR Art. 17), by the team lead or the assigned case manager."""
    user = user_of(request)
    row = await load_candidate(user, candidate_id)
    if not privacy.may_erase(user, row):
        raise PermissionDeniedException()
    data = await form_data(request)
    errors = privacy.check_erasure(row, data)
    if errors:
        return await _privacy_page(
            request, row, erase_values=data, erase_errors=errors, block="erase"
        )
    erased = await privacy.erase_candidate(
        row["id"], request.app.state["storage"], actor=user, address=client_address(request)
    )
    flash(
        request,
        _("The personal data have been erased. The pseudonymised facts are kept for statistics.")
        if erased
        else _("The personal data had already been erased."),
    )
    url = request.app.route_reverse("candidates:privacy", candidate_id=str(row["id"]))
    return ClientRedirect(redirect_to=url) if request.htmx else see_other(url)


router = Router(path="", route_handlers=[privacy_tab, export_page, export_json, erase])
