"""The identity: read (audited, with a reason where needed) and edit.

STUB: the handlers below only reserve the route names; they are being built."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.exceptions import NotFoundException

from portal.candidates.access import case_worker


@get("/candidates/{candidate_id:str}/identity", name="candidates:identity", guards=[case_worker])
async def identity_stub() -> None:
    raise NotFoundException()


@post(
    "/candidates/{candidate_id:str}/identity/access",
    name="candidates:identity_access",
    guards=[case_worker],
    status_code=200,
)
async def identity_access_stub() -> None:
    raise NotFoundException()


@get(
    "/candidates/{candidate_id:str}/identity/edit",
    name="candidates:identity_edit",
    guards=[case_worker],
)
async def identity_edit_stub() -> None:
    raise NotFoundException()


@post(
    "/candidates/{candidate_id:str}/identity/edit",
    name="candidates:identity_update",
    guards=[case_worker],
    status_code=200,
)
async def identity_update_stub() -> None:
    raise NotFoundException()


router = Router(
    path="",
    route_handlers=[identity_stub, identity_access_stub, identity_edit_stub, identity_update_stub],
)
