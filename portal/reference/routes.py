"""Looking up occupations: the picker's active search, and a plain page without JavaScript."""

from __future__ import annotations

import re

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from portal.auth import active_member
from portal.reference import services

# The picker names its field; the options' ids are built from it (`<field>-option-<code>`).
FIELD_RE = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


@get("/occupations", name="reference:occupations", guards=[active_member])
async def occupations(request: HTMXRequest) -> Template:
    """The occupations matching `q` (or the picker's `<field>_query`): a page, or its options."""
    params = request.query_params
    field = params.get("field", "")
    field = field if FIELD_RE.match(field) else "occupation"
    query = " ".join((params.get("q") or params.get(f"{field}_query") or "").split())[:100]
    hits = await services.search_occupations(query) if query else []
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    return HTMXBlockTemplate(
        template_name="reference/occupations.html",
        block_name="options" if partial else None,
        context={"field": field, "query": query, "hits": hits},
    )


router = Router(path="/", route_handlers=[occupations])
