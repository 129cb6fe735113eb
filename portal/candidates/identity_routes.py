"""The identity: read (audited, with a reason where needed) and edit.

Operators never reach these pages (the guard answers 403); another organisation's case, or a
colleague's case while the caseload is not shared, is not found (404).
"""

from __future__ import annotations

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get, post
from litestar.params import FromPath
from litestar.plugins.htmx import ClientRedirect, HTMXRequest
from litestar.response import Redirect, Template

from portal.auth import case_worker
from portal.auth.policy import is_assigned
from portal.candidates import duplicates, identity
from portal.candidates.access import load_candidate, vault_of
from portal.candidates.identity import (
    check_identity,
    check_reason,
    reason_to_read,
)
from portal.candidates.labels import WORK_ACCESS_LABELS
from portal.candidates.rows import CandidateRow
from portal.candidates.vault import IdentityData
from portal.clock import today
from portal.forms import form_data
from portal.i18n import _
from portal.templating import page
from portal.web import (
    AnyRequest,
    client_address,
    flash,
    see_other,
    session_of,
    settings_of,
    user_of,
)


def _partial(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _url(request: AnyRequest, name: str, row: CandidateRow) -> str:
    return request.app.route_reverse(name, candidate_id=str(row["id"]))


def _erased(row: CandidateRow, status_code: int = 200) -> Template:
    return page("candidates/identity.html", candidate=row, person=None, status_code=status_code)


def _reason_form(
    request: HTMXRequest, row: CandidateRow, *, values: dict[str, str], error: str | None
) -> Template:
    """Why do you read this identity? For htmx only the form block (htmx swaps only 2xx)."""
    return HTMXBlockTemplate(
        template_name="candidates/identity_reason.html",
        block_name="form" if _partial(request) else None,
        context={"candidate": row, "values": values, "errors": {"reason": error} if error else {}},
        status_code=400 if error and not request.htmx else 200,
    )


@get("/candidates/{candidate_id:str}/identity", name="candidates:identity", guards=[case_worker])
async def show_identity(request: HTMXRequest, candidate_id: FromPath[str]) -> Template:
    user = user_of(request)
    row = await load_candidate(user, candidate_id)
    if row["erased_at"] is not None:
        return _erased(row)
    reason = reason_to_read(user, row, session_of(request))
    if reason is None:
        return _reason_form(request, row, values={}, error=None)
    person = await identity.read_identity(
        user, row["id"], vault_of(request), reason=reason, address=client_address(request)
    )
    return page(
        "candidates/identity.html",
        candidate=row,
        person=person,
        dates=identity.dates_of(person) if person else {},
        expiry=identity.expiries(person, today()) if person else {},
        work_access_labels={key.value: _(label) for key, label in WORK_ACCESS_LABELS.items()},
        assigned=is_assigned(user, row),
        reason=reason,
    )


@post(
    "/candidates/{candidate_id:str}/identity/access",
    name="candidates:identity_access",
    guards=[case_worker],
    status_code=200,
)
async def identity_access(
    request: HTMXRequest, candidate_id: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    """Keep the reason in the session; the identity page then shows (and audits) the identity."""
    user = user_of(request)
    row = await load_candidate(user, candidate_id)
    url = _url(request, "candidates:identity", row)
    if row["erased_at"] is not None:
        return _erased(row, status_code=409)
    data = await form_data(request)
    reason = " ".join(data.get("reason", "").split())
    if not is_assigned(user, row):
        # Checked against the name, never shown: the reason goes into the audit log.
        person = await identity.peek(vault_of(request), row["id"])
        error = check_reason(reason, names=[person.full_name] if person else [])
        if error:
            return _reason_form(request, row, values={"reason": reason}, error=error)
        identity.grant(session_of(request), row["id"], reason)
    return ClientRedirect(redirect_to=url) if request.htmx else see_other(url)


# -- changing it ------------------------------------------------------------------------------


def _edit_form(
    request: HTMXRequest,
    row: CandidateRow,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    if errors and not request.htmx:
        status_code = 400
    return HTMXBlockTemplate(
        template_name="candidates/identity_form.html",
        block_name="form" if _partial(request) else None,
        context={
            "candidate": row,
            "values": values,
            "errors": errors,
            "work_access": [(key.value, _(label)) for key, label in WORK_ACCESS_LABELS.items()],
        },
        status_code=status_code,
    )


@get(
    "/candidates/{candidate_id:str}/identity/edit",
    name="candidates:identity_edit",
    guards=[case_worker],
)
async def edit_identity(request: HTMXRequest, candidate_id: FromPath[str]) -> Template | Redirect:
    user = user_of(request)
    row = await load_candidate(user, candidate_id)
    if row["erased_at"] is not None:
        return _erased(row)
    reason = reason_to_read(user, row, session_of(request))
    if reason is None:
        return see_other(_url(request, "candidates:identity", row))
    # The form shows the stored identity: a read like any other, audited.
    person = await identity.read_identity(
        user, row["id"], vault_of(request), reason=reason, address=client_address(request)
    )
    values = identity.form_values(person or IdentityData())
    return _edit_form(request, row, values=values, errors={})


@post(
    "/candidates/{candidate_id:str}/identity/edit",
    name="candidates:identity_update",
    guards=[case_worker],
    status_code=200,
)
async def update_identity(
    request: HTMXRequest, candidate_id: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    user = user_of(request)
    row = await load_candidate(user, candidate_id)
    if row["erased_at"] is not None:
        return _erased(row, status_code=409)
    url = _url(request, "candidates:identity", row)
    if reason_to_read(user, row, session_of(request)) is None:
        return ClientRedirect(redirect_to=url) if request.htmx else see_other(url)
    data = await form_data(request)
    errors, person = check_identity(data)
    if person is None:
        return _edit_form(request, row, values=data, errors=errors)
    dup_hash = await identity.update_identity(
        user,
        row["id"],
        person,
        vault_of(request),
        hash_key=settings_of(request).duplicate_hash_key,
        address=client_address(request),
    )
    if dup_hash is None:
        return _erased(row, status_code=409)
    flash(request, _("The identity has been saved."))
    found = await duplicates.duplicates(row["id"], row["organisation"], dup_hash)
    for message in duplicates.duplicate_messages(found):
        flash(request, message, "warning")
    return ClientRedirect(redirect_to=url) if request.htmx else see_other(url)


router = Router(
    path="",
    route_handlers=[show_identity, identity_access, edit_identity, update_identity],
)
