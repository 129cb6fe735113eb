"""Caseload: list, create, the candidate's overview, status, assignment and sharing.

STUB: the handlers below only reserve the route names; they are being built."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.exceptions import NotFoundException

from portal.candidates.access import case_worker


@get("/candidates", name="candidates:list", guards=[case_worker])
async def list_stub() -> None:
    raise NotFoundException()


@get("/candidates/new", name="candidates:new", guards=[case_worker])
async def new_stub() -> None:
    raise NotFoundException()


@post("/candidates", name="candidates:create", guards=[case_worker], status_code=200)
async def create_stub() -> None:
    raise NotFoundException()


@get("/candidates/{candidate_id:str}", name="candidates:detail", guards=[case_worker])
async def detail_stub() -> None:
    raise NotFoundException()


@post(
    "/candidates/{candidate_id:str}/status",
    name="candidates:status",
    guards=[case_worker],
    status_code=200,
)
async def status_stub() -> None:
    raise NotFoundException()


@post(
    "/candidates/{candidate_id:str}/assign",
    name="candidates:assign",
    guards=[case_worker],
    status_code=200,
)
async def assign_stub() -> None:
    raise NotFoundException()


@post("/candidates/reassign", name="candidates:reassign", guards=[case_worker], status_code=200)
async def reassign_stub() -> None:
    raise NotFoundException()


@post("/candidates/sharing", name="candidates:sharing", guards=[case_worker], status_code=200)
async def sharing_stub() -> None:
    raise NotFoundException()


router = Router(
    path="",
    route_handlers=[
        list_stub,
        new_stub,
        create_stub,
        detail_stub,
        status_stub,
        assign_stub,
        reassign_stub,
        sharing_stub,
    ],
)
