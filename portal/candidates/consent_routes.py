"""Consent: the consent in force and its history, record a new one, withdraw in one step."""

from __future__ import annotations

from typing import Any

from litestar import Router, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth import case_worker
from portal.candidates import consent
from portal.candidates.access import load_candidate
from portal.candidates.documents import Refused, StorageFailed
from portal.candidates.labels import CONSENT_METHOD_LABELS
from portal.candidates.languages import language_choices, language_name
from portal.candidates.rows import CandidateRow
from portal.candidates.tables import ConsentMethod
from portal.candidates.uploads import read_upload
from portal.files import UploadLimit
from portal.forms import Errors
from portal.i18n import _
from portal.templating import page
from portal.web import (
    AnyRequest,
    client_address,
    flash,
    see_other,
    settings_of,
    storage_of,
    user_of,
)

FORM_FIELDS = (*consent.SCOPES, "given_on", "method", "text_version", "language")


async def _page(
    request: AnyRequest,
    candidate: CandidateRow,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Template:
    history = await consent.consent_history(candidate["id"])
    return page(
        "candidates/consent.html",
        candidate=candidate,
        current=next((row for row in history if row["ended_at"] is None), None),
        history=history,
        values=values or {},
        errors=errors or {},
        problem=problem,
        scopes=[(name, _(label)) for name, label in consent.SCOPES.items()],
        methods=[(method.value, _(label)) for method, label in CONSENT_METHOD_LABELS.items()],
        method_labels={method.value: _(label) for method, label in CONSENT_METHOD_LABELS.items()},
        end_labels={reason: _(label) for reason, label in consent.END_LABELS.items()},
        languages=language_choices(),
        max_mb=settings_of(request).upload_max_mb,
        language_name=language_name,
        status_code=status_code,
    )


def _to_page(request: AnyRequest, candidate_id: Any, message: str) -> Redirect:
    flash(request, message)
    return see_other(
        request.app.route_reverse("candidates:consent", candidate_id=str(candidate_id))
    )


@get("/candidates/{candidate_id:str}/consent", name="candidates:consent", guards=[case_worker])
async def consent_page(request: AnyRequest, candidate_id: FromPath[str]) -> Template:
    return await _page(request, await load_candidate(user_of(request), candidate_id))


@post(
    "/candidates/{candidate_id:str}/consent",
    name="candidates:consent_record",
    guards=[case_worker],
    status_code=200,
    # The signed form may come along: the upload limit from the settings (see UploadLimit).
    request_max_body_size=None,
    middleware=[UploadLimit()],
    opt={"upload": True},
)
async def record_consent(request: AnyRequest, candidate_id: FromPath[str]) -> Template | Redirect:
    user = user_of(request)
    candidate = await load_candidate(user, candidate_id)
    form = await request.form()
    data = {name: str(form.get(name, "")).strip() for name in FORM_FIELDS}
    errors = Errors(data)
    fields = consent.check_consent(errors, data)
    signed_form = await read_upload(
        errors,
        form,
        "document",
        max_bytes=settings_of(request).upload_max_bytes,
        required=data["method"] == ConsentMethod.signed_form,
    )
    if errors:
        return await _page(request, candidate, values=data, errors=errors, status_code=400)
    assert fields is not None  # noqa: S101 - no errors, so the fields are complete
    try:
        await consent.record_consent(
            storage_of(request),
            user,
            candidate,
            fields,
            signed_form=signed_form,
            address=client_address(request),
        )
    except Refused as refused:
        return await _page(
            request, candidate, values=data, problem=refused.message, status_code=409
        )
    except StorageFailed as failed:
        problem = failed.message
        return await _page(request, candidate, values=data, problem=problem, status_code=503)
    return _to_page(request, candidate["id"], _("The consent has been recorded."))


@post(
    "/candidates/{candidate_id:str}/consent/withdraw",
    name="candidates:consent_withdraw",
    guards=[case_worker],
    status_code=200,
)
async def withdraw_consent(request: AnyRequest, candidate_id: FromPath[str]) -> Template | Redirect:
    user = user_of(request)
    candidate = await load_candidate(user, candidate_id)
    try:
        paused = await consent.withdraw_consent(user, candidate, address=client_address(request))
    except Refused as refused:
        return await _page(request, candidate, problem=refused.message, status_code=409)
    if paused:
        message = _("The consent has been withdrawn. The profile has been paused at once.")
    else:
        message = _("The consent has been withdrawn.")
    return _to_page(request, candidate["id"], message)


router = Router(path="", route_handlers=[consent_page, record_consent, withdraw_consent])
