"""Documents: upload, download through the app, share a redacted copy, delete.

STUB: the handlers below only reserve the route names; they are being built."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.exceptions import NotFoundException

from portal.candidates.access import case_worker


@get("/candidates/{candidate_id:str}/documents", name="candidates:documents", guards=[case_worker])
async def documents_stub() -> None:
    raise NotFoundException()


@post(
    "/candidates/{candidate_id:str}/documents",
    name="candidates:document_upload",
    guards=[case_worker],
    status_code=200,
)
async def document_upload_stub() -> None:
    raise NotFoundException()


@get("/documents/{document_id:str}", name="documents:download", guards=[case_worker])
async def download_stub() -> None:
    raise NotFoundException()


@post(
    "/documents/{document_id:str}/share",
    name="documents:share",
    guards=[case_worker],
    status_code=200,
)
async def share_stub() -> None:
    raise NotFoundException()


@post(
    "/documents/{document_id:str}/delete",
    name="documents:delete",
    guards=[case_worker],
    status_code=200,
)
async def delete_stub() -> None:
    raise NotFoundException()


router = Router(
    path="",
    route_handlers=[documents_stub, document_upload_stub, download_stub, share_stub, delete_stub],
)
