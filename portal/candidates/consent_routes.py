"""Consent: record and withdraw.

STUB: the handlers below only reserve the route names; they are being built."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.exceptions import NotFoundException

from portal.candidates.access import case_worker


@get("/candidates/{candidate_id:str}/consent", name="candidates:consent", guards=[case_worker])
async def consent_stub() -> None:
    raise NotFoundException()


@post(
    "/candidates/{candidate_id:str}/consent",
    name="candidates:consent_record",
    guards=[case_worker],
    status_code=200,
)
async def consent_record_stub() -> None:
    raise NotFoundException()


@post(
    "/candidates/{candidate_id:str}/consent/withdraw",
    name="candidates:consent_withdraw",
    guards=[case_worker],
    status_code=200,
)
async def consent_withdraw_stub() -> None:
    raise NotFoundException()


router = Router(path="", route_handlers=[consent_stub, consent_record_stub, consent_withdraw_stub])
