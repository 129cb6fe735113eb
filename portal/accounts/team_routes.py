"""An organisation admin's team: colleagues, invitations, deactivation."""

from __future__ import annotations

from litestar import Router, get
from litestar.response import Template

from portal.auth import org_admin
from portal.templating import page
from portal.web import AnyRequest


@get("/team", name="team:list", guards=[org_admin])
async def team_list(request: AnyRequest) -> Template:
    return page("accounts/team.html", users=[], values={}, errors={})


router = Router(path="/", route_handlers=[team_list])
