"""Who may reach a route: every route declares it, and one that does not is refused.

A route declares its audience with a guard made here (`roles(...)`, `login_required`,
`active_member`) or, for the few pages anyone may open, `opt=PUBLIC`. The app carries
`default_deny` as its own guard: a handler that declares neither is refused (403) at request
time, and `undeclared_routes` lets the app factory refuse to start with one. Role checks answer
401 (not logged in) or 403 (wrong role, organisation not approved); record-level checks live in
`portal.auth.policy` and answer 404.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.handlers.http_handlers import HTTPRouteHandler

from portal.accounts.tables import Role
from portal.auth.identity import current_user
from portal.auth.policy import (
    CASE_WORKER_ROLES,
    EMPLOYER_ROLES,
    ORG_ADMIN_ROLES,
    STATISTICS_ROLES,
    TEAM_ADMIN_ROLES,
)

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]

# The opt of a route anyone may reach, logged in or not (login, the page texts, health checks,
# the static files).
PUBLIC: dict[str, Any] = {"public": True}

ALL_ROLES = frozenset(Role)


class RoleGuard:
    """A route guard admitting a logged-in user holding one of `admits`.

    `approved_only`: the user's organisation must be approved (every guard but
    `login_required`, which also admits the users of an organisation awaiting approval)."""

    def __init__(self, admits: Iterable[Role], *, approved_only: bool = True) -> None:
        self.admits = frozenset(admits)
        self.approved_only = approved_only

    def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = current_user(connection)
        if user is None:
            raise NotAuthorizedException()
        if self.approved_only and not user.organisation_active:
            raise PermissionDeniedException()
        if user.role not in self.admits:
            raise PermissionDeniedException()

    def __repr__(self) -> str:
        names = ", ".join(sorted(role.value for role in self.admits))
        return f"RoleGuard({names}{'' if self.approved_only else ', pending too'})"


def roles(*allowed: Role) -> RoleGuard:
    """A logged-in user of an approved organisation holding one of `allowed`."""
    return RoleGuard(allowed)


# Any logged-in user, also of an organisation that still awaits approval.
login_required = RoleGuard(ALL_ROLES, approved_only=False)
# Any logged-in user of an approved organisation.
active_member = RoleGuard(ALL_ROLES)

# The audiences of the routes, named once (PRODUCT.md section 2).
employer_user = RoleGuard(EMPLOYER_ROLES)
employer_admin = roles(Role.employer_admin)
case_worker = RoleGuard(CASE_WORKER_ROLES)
case_worker_or_operator = RoleGuard(CASE_WORKER_ROLES | {Role.operator_admin})
team_lead = roles(Role.team_lead)
placement_party = RoleGuard(EMPLOYER_ROLES | CASE_WORKER_ROLES)
org_admin = RoleGuard(ORG_ADMIN_ROLES)
team_admin = RoleGuard(TEAM_ADMIN_ROLES)
operator_admin = roles(Role.operator_admin)
# Aggregate statistics only: the chambers' and authorities' viewers and the operator.
statistics_viewer = RoleGuard(STATISTICS_ROLES)


def declared_guards(handler: BaseRouteHandler) -> list[RoleGuard]:
    """The role guards of `handler` and of the routers it is registered on."""
    return [
        guard
        for layer in handler.ownership_layers
        for guard in (layer.guards or [])
        if isinstance(guard, RoleGuard)
    ]


def is_public(handler: BaseRouteHandler) -> bool:
    return bool(handler.opt.get("public")) or _is_generated_options(handler)


def admitted_roles(handler: BaseRouteHandler) -> frozenset[Role] | None:
    """The roles that pass every role guard of `handler`; None for a public route."""
    if is_public(handler):
        return None
    admitted = ALL_ROLES
    for guard in declared_guards(handler):
        admitted &= guard.admits
    return admitted


def default_deny(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The app's own guard: a route that declares no audience is refused to everyone."""
    if not is_public(handler) and not declared_guards(handler):
        raise PermissionDeniedException()


def undeclared_routes(app: Litestar) -> list[str]:
    """'METHOD /path' of every handler that declares neither a role guard nor PUBLIC."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not is_public(handler) and not declared_guards(handler):
                methods = ",".join(sorted(getattr(handler, "http_methods", ()) or ("WS",)))
                found.append(f"{methods} {route.path}")
    return sorted(found)


def _is_generated_options(handler: BaseRouteHandler) -> bool:
    """Litestar's own OPTIONS answer on every path (the allowed methods, nothing else)."""
    return (
        isinstance(handler, HTTPRouteHandler)
        and handler.http_methods == {"OPTIONS"}
        and getattr(handler.fn, "__name__", "") == "options_handler"
    )
