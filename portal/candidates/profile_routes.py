"""The competence profile: edit, the employer's view, the printable summary.

STUB: the handlers below only reserve the route names; they are being built."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.exceptions import NotFoundException

from portal.candidates.access import case_worker


@get("/candidates/{candidate_id:str}/profile", name="candidates:profile", guards=[case_worker])
async def profile_stub() -> None:
    raise NotFoundException()


@post(
    "/candidates/{candidate_id:str}/profile",
    name="candidates:profile_update",
    guards=[case_worker],
    status_code=200,
)
async def profile_update_stub() -> None:
    raise NotFoundException()


@get("/candidates/{candidate_id:str}/preview", name="candidates:preview", guards=[case_worker])
async def preview_stub() -> None:
    raise NotFoundException()


@get("/candidates/{candidate_id:str}/summary", name="candidates:summary", guards=[case_worker])
async def summary_stub() -> None:
    raise NotFoundException()


router = Router(
    path="", route_handlers=[profile_stub, profile_update_stub, preview_stub, summary_stub]
)
