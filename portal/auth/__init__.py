"""Who is asking, and may they: the one public place for access checks.

- `identity`: the user behind the session (`CurrentUser`, `load_user`).
- `guards`: who may reach a route. Every route declares it (a role guard or `opt=PUBLIC`);
  the app refuses to start with one that does not, and refuses it at request time too.
- `policy`: who may see or change a record (candidate, placement, slot, document,
  organisation, user) — the permission table of PRODUCT.md section 2, as predicates on rows
  and as query conditions.

No feature writes its own check: role checks answer 401/403, record checks 404.
"""

from portal.auth.guards import (
    PUBLIC,
    Guard,
    RoleGuard,
    active_member,
    case_worker,
    case_worker_or_operator,
    default_deny,
    employer_admin,
    employer_user,
    login_required,
    operator_admin,
    org_admin,
    placement_party,
    roles,
    statistics_viewer,
    team_admin,
    team_lead,
    undeclared_routes,
)
from portal.auth.identity import CurrentUser, current_user, load_user, password_fingerprint
from portal.auth.policy import ensure_own, parse_id

__all__ = [
    "PUBLIC",
    "CurrentUser",
    "Guard",
    "RoleGuard",
    "active_member",
    "case_worker",
    "case_worker_or_operator",
    "current_user",
    "default_deny",
    "employer_admin",
    "employer_user",
    "ensure_own",
    "load_user",
    "login_required",
    "operator_admin",
    "org_admin",
    "parse_id",
    "password_fingerprint",
    "placement_party",
    "roles",
    "statistics_viewer",
    "team_admin",
    "team_lead",
    "undeclared_routes",
]
