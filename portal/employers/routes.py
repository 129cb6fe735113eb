"""Employer self-registration: a company and its first user register themselves."""

from __future__ import annotations

from litestar import Router, get
from litestar.response import Template

from portal.templating import page
from portal.web import AnyRequest


@get("/register", name="employers:register")
async def register_form(request: AnyRequest) -> Template:
    return page("employers/register.html", values={}, errors={})


router = Router(path="/", route_handlers=[register_form])
