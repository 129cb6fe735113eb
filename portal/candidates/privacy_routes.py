"""Data-subject rights: export everything kept on a candidate (GDPR Art. 15), erase.

STUB: the handlers below only reserve the route names; they are being built."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.exceptions import NotFoundException

from portal.candidates.access import case_worker


@get("/candidates/{candidate_id:str}/privacy", name="candidates:privacy", guards=[case_worker])
async def privacy_stub() -> None:
    raise NotFoundException()


@get("/candidates/{candidate_id:str}/export", name="candidates:export", guards=[case_worker])
async def export_stub() -> None:
    raise NotFoundException()


@get(
    "/candidates/{candidate_id:str}/export.json",
    name="candidates:export_json",
    guards=[case_worker],
)
async def export_json_stub() -> None:
    raise NotFoundException()


@post(
    "/candidates/{candidate_id:str}/erase",
    name="candidates:erase",
    guards=[case_worker],
    status_code=200,
)
async def erase_stub() -> None:
    raise NotFoundException()


router = Router(path="", route_handlers=[privacy_stub, export_stub, export_json_stub, erase_stub])
