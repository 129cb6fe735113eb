"""The home page (`/`): the welcome for visitors, and for each role what to do next."""

from __future__ import annotations

from typing import Any

from litestar import Router, get
from litestar.response import Template

from portal import clock
from portal.accounts.tables import Organisation, OrgStatus
from portal.auth import PUBLIC
from portal.auth.policy import is_case_worker, is_employer
from portal.home import case_work, employer
from portal.i18n import _
from portal.middleware import READS_ONLY
from portal.placements.labels import STATE_LABELS
from portal.templating import page
from portal.web import AnyRequest


@get("/", name="home", opt={**PUBLIC, **READS_ONLY})
async def home(request: AnyRequest) -> Template:
    user = request.scope.get("user")
    context: dict[str, Any] = {"pending_organisations": 0, "sections": [], "team": []}
    if user is None or not user.organisation_active:
        return page("pages/home.html", **context)
    day = clock.today()
    if user.is_operator:
        context["pending_organisations"] = await Organisation.count().where(
            Organisation.status == OrgStatus.pending
        )
    elif is_employer(user):
        context["sections"] = await employer.dashboard(user, day)
    elif is_case_worker(user):
        found = await case_work.dashboard(user, day)
        context.update(sections=found.sections, team=found.team)
    labels = {state: _(label) for state, label in STATE_LABELS.items()}
    return page("pages/home.html", **context, state_labels=labels)


router = Router(path="/", route_handlers=[home])
