"""Documents: the list, upload, download through the app, share a redacted copy, delete."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Response, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.auth import CurrentUser, active_member, case_worker, parse_id
from portal.candidates import documents, uploads
from portal.candidates.access import audit, load_candidate
from portal.candidates.documents import Refused, StorageFailed
from portal.candidates.labels import DOCUMENT_KIND_LABELS
from portal.candidates.rows import CandidateRow
from portal.files import UploadLimit, file_response
from portal.forms import Errors
from portal.i18n import _
from portal.pagination import page_number
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


def _labels() -> dict[str, Any]:
    return {
        "kind_labels": {kind.value: _(label) for kind, label in DOCUMENT_KIND_LABELS.items()},
        "type_labels": uploads.TYPE_LABELS,
    }


async def _context(request: AnyRequest, candidate: CandidateRow, **extra: Any) -> dict[str, Any]:
    number = page_number(request.query_params.get("page", ""))
    return {
        "candidate": candidate,
        "page": await documents.documents_page(candidate["id"], number),
        "max_mb": settings_of(request).upload_max_mb,
        "values": {},
        "errors": {},
        "problem": None,
        "notice": None,
        "focus": None,
        "confirm": None,
        **_labels(),
        **extra,
    }


async def _document_or_404(user: CurrentUser, document_id: str, *, manage: bool) -> dict[str, Any]:
    row = await documents.load_document(parse_id(document_id))
    allowed = documents.may_manage if manage else documents.may_download
    if row is None or not allowed(user, row):
        raise NotFoundException()
    return row


def _to_list(request: AnyRequest, candidate_id: UUID, message: str) -> Redirect:
    flash(request, message)
    return see_other(
        request.app.route_reverse("candidates:documents", candidate_id=str(candidate_id))
    )


# -- the list and the upload ------------------------------------------------------------------


@get("/candidates/{candidate_id:str}/documents", name="candidates:documents", guards=[case_worker])
async def documents_list(request: HTMXRequest, candidate_id: FromPath[str]) -> Template:
    candidate = await load_candidate(user_of(request), candidate_id)
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    return HTMXBlockTemplate(
        template_name="candidates/documents.html",
        block_name="results" if partial else None,
        context=await _context(request, candidate),
    )


@post(
    "/candidates/{candidate_id:str}/documents",
    name="candidates:document_upload",
    guards=[case_worker],
    status_code=200,
    request_max_body_size=None,  # UploadLimit applies UPLOAD_MAX_MB
    middleware=[UploadLimit()],
    opt={"upload": True},  # errors.py names the limit on the 413 page
)
async def upload(request: AnyRequest, candidate_id: FromPath[str]) -> Template | Redirect:
    user = user_of(request)
    candidate = await load_candidate(user, candidate_id)
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in ("kind", "shareable")}
    errors = Errors(values)
    fields = uploads.check_document(errors, values)
    file = await uploads.read_upload(
        errors, form, "file", max_bytes=settings_of(request).upload_max_bytes
    )
    if candidate["erased_at"] is not None:
        return _page(await _context(request, candidate, problem=documents.erased_message()), 409)
    if errors or fields is None or file is None:
        return _page(await _context(request, candidate, values=values, errors=errors), 400)
    try:
        await uploads.upload_document(
            storage_of(request), user, candidate, fields, file, address=client_address(request)
        )
    except Refused as refused:
        return _page(await _context(request, candidate, problem=refused.message), 409)
    except StorageFailed as failed:
        problem = failed.message
        return _page(await _context(request, candidate, values=values, problem=problem), 503)
    return _to_list(request, candidate["id"], _("The document has been uploaded."))


def _page(context: dict[str, Any], status_code: int) -> Template:
    return page("candidates/documents.html", status_code=status_code, **context)


# -- one document -----------------------------------------------------------------------------


@get("/documents/{document_id:str}", name="documents:download", guards=[active_member])
async def download(request: AnyRequest, document_id: FromPath[str]) -> Response[bytes]:
    """The file, after the authorization check (documents.may_download), never cached."""
    user = user_of(request)
    row = await _document_or_404(user, document_id, manage=False)
    data = await storage_of(request).get(row["storage_key"])
    await audit(
        user,
        "document.download",
        row["candidate"],
        client_address(request),
        document=str(row["id"]),
    )
    return file_response(data, name=documents.download_name(row), content_type=row["content_type"])


@post(
    "/documents/{document_id:str}/share",
    name="documents:share",
    guards=[case_worker],
    status_code=200,
)
async def share(request: HTMXRequest, document_id: FromPath[str]) -> Template | Redirect:
    """Mark a redacted copy as shareable with the employers the candidate is nominated to."""
    user = user_of(request)
    row = await _document_or_404(user, document_id, manage=True)
    form = await request.form()
    shareable = form.get("shareable") == "yes"
    await documents.set_shareable(user, row, shareable, address=client_address(request))
    if shareable:
        message = _("The document is marked as a redacted copy that may be shared.")
    else:
        message = _("The document is no longer shared.")
    if request.htmx and not request.htmx.history_restore_request:
        candidate = await load_candidate(user, row["candidate"])
        return HTMXBlockTemplate(
            template_name="candidates/documents.html",
            block_names=["results", "notice"],
            context=await _context(request, candidate, notice=message, focus=str(row["id"])),
        )
    return _to_list(request, row["candidate"], message)


@get(
    "/documents/{document_id:str}/delete",
    name="documents:confirm_delete",
    guards=[case_worker],
)
async def confirm_delete(request: AnyRequest, document_id: FromPath[str]) -> Template:
    user = user_of(request)
    row = await _document_or_404(user, document_id, manage=True)
    candidate = await load_candidate(user, row["candidate"])
    return _page(await _context(request, candidate, confirm=row), 200)


@post(
    "/documents/{document_id:str}/delete",
    name="documents:delete",
    guards=[case_worker],
    status_code=200,
)
async def delete(request: AnyRequest, document_id: FromPath[str]) -> Template | Redirect:
    user = user_of(request)
    row = await _document_or_404(user, document_id, manage=True)
    try:
        await documents.delete_document(
            storage_of(request), user, row, address=client_address(request)
        )
    except Refused as refused:
        candidate = await load_candidate(user, row["candidate"])
        return _page(await _context(request, candidate, problem=refused.message), 409)
    except StorageFailed:
        candidate = await load_candidate(user, row["candidate"])
        problem = _(
            "The file could not be deleted. Nothing has been changed. Please try again later."
        )
        return _page(await _context(request, candidate, problem=problem), 503)
    return _to_list(request, row["candidate"], _("The document has been deleted."))


router = Router(
    path="",
    route_handlers=[documents_list, upload, download, share, confirm_delete, delete],
)
