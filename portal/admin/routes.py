"""The operator's console."""

from __future__ import annotations

from litestar import Router, get
from litestar.response import Template

from portal.auth import operator_admin
from portal.templating import page
from portal.web import AnyRequest


@get("/organisations", name="admin:organisations")
async def organisations(request: AnyRequest) -> Template:
    return page("admin/organisations.html")


@get("/users", name="admin:users")
async def users(request: AnyRequest) -> Template:
    return page("admin/users.html")


@get("/texts", name="admin:texts")
async def texts(request: AnyRequest) -> Template:
    return page("admin/texts.html")


router = Router(
    path="/admin", guards=[operator_admin], route_handlers=[organisations, users, texts]
)
