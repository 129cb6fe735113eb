"""/api/v1: the routers of the API's resources behind token authentication.

Every route declares its audience with a guard of portal.auth.guards, as the pages do; the
router adds the token's scope (a read token only reads) and answers every error as problem
details. JSON only; no session, no CSRF (portal.middleware leaves /api/ alone).
"""

from __future__ import annotations

from litestar import Router
from litestar.exceptions import HTTPException

from portal.api import (
    candidate_routes,
    document_routes,
    placement_routes,
    reference_routes,
    slot_routes,
    stats_routes,
)
from portal.api.auth import TokenAuthentication, token_scope
from portal.api.problems import problem_response

API_PATH = "/api/v1"


def api_router() -> Router:
    return Router(
        path=API_PATH,
        route_handlers=[
            reference_routes.router,
            slot_routes.router,
            candidate_routes.router,
            placement_routes.router,
            stats_routes.router,
            document_routes.router,
        ],
        guards=[token_scope],
        middleware=[TokenAuthentication()],
        exception_handlers={HTTPException: problem_response, Exception: problem_response},
        include_in_schema=True,
    )
