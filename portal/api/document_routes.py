"""Documents of a case, for the owning case-management organisation: the list, the upload and
the download — with the documents page's checks and limits (portal.candidates.uploads: the
type from the bytes, the hostile-file checks, the virus scan, UPLOAD_MAX_MB; the storage) and
its one rule for every download (policy.may_download_document, through documents.may_download).
Uploads and downloads are audited by the same services as on the page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Response, Router, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath, FromQuery, QueryParameter

from portal.api.http import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Created,
    cursor_id,
    encode_cursor,
    idempotent_create,
    json_value,
)
from portal.api.problems import PROBLEM_JSON, PROBLEMS, ApiProblem, Problem, invalid
from portal.auth import case_worker
from portal.candidates import documents, uploads
from portal.candidates.access import audit, load_candidate
from portal.candidates.tables import Document
from portal.files import UploadLimit, file_response
from portal.forms import Errors
from portal.web import AnyRequest, client_address, settings_of, storage_of, user_of

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Rows per page")]
COLUMNS = (
    Document.id,
    Document.candidate,
    Document.kind,
    Document.filename,
    Document.content_type,
    Document.size,
    Document.checksum,
    Document.shareable,
    Document.uploaded_at,
)


@dataclass
class DocumentOut:
    """A document's metadata; its bytes at /documents/{id}."""

    id: UUID
    candidate: UUID
    kind: str
    filename: str
    content_type: str
    size: int
    checksum: str
    shareable: bool
    uploaded_at: dt.datetime


@dataclass
class DocumentPage:
    data: list[DocumentOut]
    next_cursor: str | None


@dataclass
class DocumentUpload:
    """multipart/form-data: one PDF, PNG or JPEG in `file`, its `kind` (certificate,
    competence_passport, consent_form, agreement, evaluation, other) and `shareable` "yes" for
    a redacted copy the employers the candidate is nominated to may download."""

    file: UploadFile
    kind: str
    shareable: str = ""


def _out(row: dict[str, Any]) -> DocumentOut:
    return DocumentOut(**{column._meta.name: row[column._meta.name] for column in COLUMNS})


@get(
    "/candidates/{candidate_id:uuid}/documents",
    name="api:documents",
    guards=[case_worker],
    responses=PROBLEMS,
)
async def list_documents(
    request: AnyRequest,
    candidate_id: FromPath[UUID],
    cursor: FromQuery[str | None] = None,
    limit: Limit = DEFAULT_LIMIT,
) -> DocumentPage:
    """The documents of a case of the caseload, a page at a time."""
    candidate = await load_candidate(user_of(request), candidate_id)
    query = Document.select(*COLUMNS).where(Document.candidate == candidate["id"])
    after = cursor_id(cursor)
    if after:
        query = query.where(Document.id > after)
    rows = await query.order_by(Document.id).limit(limit + 1)
    data = [_out(row) for row in rows[:limit]]
    return DocumentPage(data, encode_cursor([data[-1].id]) if len(rows) > limit else None)


@post(
    "/candidates/{candidate_id:uuid}/documents",
    name="api:document_upload",
    guards=[case_worker],
    responses=PROBLEMS,
    request_max_body_size=None,  # UploadLimit applies UPLOAD_MAX_MB, as for the page
    middleware=[UploadLimit()],
)
async def upload_document(
    request: AnyRequest,
    candidate_id: FromPath[UUID],
    data: Annotated[DocumentUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Response[DocumentOut]:
    """Upload a document to a case (at most UPLOAD_MAX_MB; the type is read from the bytes;
    active content, encryption and oversized images are refused; scanned for viruses when a
    scanner is configured). Send an Idempotency-Key."""
    user = user_of(request)
    # Litestar has streamed the multipart body into `data`: the upload's own check reads it
    # from there (a further file part was dropped unread, never stored).
    form = FormMultiDict({"file": data.file})
    content = await data.file.read(settings_of(request).upload_max_bytes + 1)
    await data.file.seek(0)

    async def uploaded() -> Created:
        candidate = await load_candidate(user, candidate_id)
        values = {"kind": data.kind.strip(), "shareable": data.shareable.strip()}
        errors = Errors(values)
        fields = uploads.check_document(errors, values)
        file = await uploads.read_upload(
            errors, form, "file", max_bytes=settings_of(request).upload_max_bytes
        )
        if candidate["erased_at"] is not None:
            raise ApiProblem(409, documents.erased_message())
        if errors or fields is None or file is None:
            raise invalid(errors)
        try:
            document_id = await uploads.upload_document(
                storage_of(request), user, candidate, fields, file, address=client_address(request)
            )
        except documents.Refused as refused:
            raise ApiProblem(409, refused.message) from None
        except documents.StorageFailed as failed:
            raise ApiProblem(503, failed.message) from None
        row = await Document.select(*COLUMNS).where(Document.id == document_id).first()
        assert row is not None  # noqa: S101 - written in the transaction above
        body = {name: json_value(value) for name, value in vars(_out(row)).items()}
        location = request.app.route_reverse("api:document", document_id=document_id)
        return Created(body, location)

    fingerprint = f"{data.kind}|{data.shareable}|".encode() + content
    return await idempotent_create(request, user, uploaded, content=fingerprint)


DOWNLOAD = {
    200: ResponseSpec(
        data_container=bytes,
        media_type="application/octet-stream",
        description="The file (application/pdf, image/png or image/jpeg), as an attachment.",
        generate_examples=False,
    ),
    **{
        status: ResponseSpec(
            data_container=Problem, media_type=PROBLEM_JSON, generate_examples=False
        )
        for status in (400, 401, 403, 404, 429)
    },
}


@get(
    "/documents/{document_id:uuid}",
    name="api:document",
    guards=[case_worker],
    responses=DOWNLOAD,
    media_type="application/octet-stream",
)
async def download_document(request: AnyRequest, document_id: FromPath[UUID]) -> Response[bytes]:
    """A document's bytes, for whoever may see the case (audited as on the page)."""
    user = user_of(request)
    row = await documents.load_document(document_id)
    if row is None or not documents.may_download(user, row):
        raise ApiProblem(404)
    data = await storage_of(request).get(row["storage_key"])
    await audit(
        user,
        "document.download",
        row["candidate"],
        client_address(request),
        document=str(row["id"]),
    )
    return file_response(data, name=documents.download_name(row), content_type=row["content_type"])


router = Router(path="/", route_handlers=[list_documents, upload_document, download_document])
