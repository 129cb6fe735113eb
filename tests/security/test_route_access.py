"""Default deny and the permission table, checked over the whole route table.

`AUDIENCE` is PRODUCT.md section 2 written per route: who may reach it. The tests are generated
from the app's route table, so a new route without an entry here fails, and so does a route
whose guards admit more (or fewer) roles than the table says. Then every route is requested by
a user of every role — and anonymously — with the ids of another organisation's records: a role
outside the audience gets 403 (anonymous: the login page), a role inside it 404 for a record of
another tenant, and no one a 500.
"""

from __future__ import annotations

import collections
import re
from typing import Any

import pytest
from litestar import get
from litestar.testing import TestClient

from portal.accounts.tables import OrgKind, OrgStatus, Role
from portal.app import refuse_undeclared_routes
from portal.auth import PUBLIC, undeclared_routes
from portal.auth.guards import admitted_roles, is_public
from portal.employers.tables import SlotStatus
from portal.reference.tables import Programme
from tests.api.factories import make_token
from tests.candidates.documents import make_document
from tests.conftest import run
from tests.factories import (
    csrf_token,
    login,
    make_candidate,
    make_municipality,
    make_org,
    make_slot,
    make_user,
)
from tests.imports.files import import_batch
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.webhooks.factories import webhook_records

EMPLOYERS = {"employer_member", "employer_admin"}
CASE_WORKERS = {"case_manager", "team_lead"}
PARTIES = EMPLOYERS | CASE_WORKERS
EVERYONE = PARTIES | {"statistics_viewer", "operator_admin"}
OPERATOR = {"operator_admin"}
# The API answers tokens, not sessions: its routes are requested in tests/api/test_authorization.py.
API = "/api/"
STATISTICS = {"statistics_viewer", "operator_admin"}

AUDIENCE: dict[str, set[str] | None] = {
    # None: public — anyone, logged in or not.
    "home": None,
    "pages:accessibility": None,
    "pages:imprint": None,
    "pages:privacy": None,
    "favicon": None,
    "healthz": None,
    "readyz": None,
    "login": None,
    "login_submit": None,
    "logout": None,
    "language": None,
    "password:forgot": None,
    "password:forgot_submit": None,
    "password:reset": None,
    "password:reset_submit": None,
    "invite:accept": None,
    "invite:accept_submit": None,
    # The e-mail links (placements/links.py): the link's secret is the key, one placement each.
    "links:answer": None,
    "links:answer_submit": None,
    "links:evaluation": None,
    "links:evaluation_submit": None,
    "links:agreement": None,
    "links:agreement_submit": None,
    "employers:register": None,
    "employers:register_submit": None,
    "employers:confirm": None,
    "employers:confirm_submit": None,
    "static": None,
    "static/head": None,
    # The API's description (the document and its page).
    "api:schema": None,
    "api:openapi": None,
    "api:schema_not_found": None,
    # The API (tests/api/test_authorization.py requests these with tokens): the same guards.
    "api:occupations": EVERYONE,
    "api:occupation": EVERYONE,
    "api:cefr_levels": EVERYONE,
    "api:municipalities": EVERYONE,
    "api:programmes": EVERYONE,
    "api:slots": EMPLOYERS,
    "api:slot_create": EMPLOYERS,
    "api:slot": EMPLOYERS,
    "api:slot_update": EMPLOYERS,
    "api:slot_transition": EMPLOYERS,
    "api:offers": CASE_WORKERS,
    "api:offer": CASE_WORKERS,
    "api:candidates": CASE_WORKERS,
    "api:candidate": CASE_WORKERS,
    "api:candidate_create": CASE_WORKERS,
    "api:candidate_update": CASE_WORKERS,
    "api:candidate_identity": CASE_WORKERS,
    "api:placements": PARTIES,
    "api:placement": PARTIES,
    "api:nominate": CASE_WORKERS,
    "api:request_candidate": EMPLOYERS,
    "api:placement_transition": PARTIES,
    "api:statistics": STATISTICS,
    "api:documents": CASE_WORKERS,
    "api:document_upload": CASE_WORKERS,
    "api:document": CASE_WORKERS,
    "api:statistics_methods": STATISTICS,
    # Every user: their own account; the occupation look-up of the forms.
    "account:settings": EVERYONE,
    "account:password": EVERYONE,
    "reference:occupations": EVERYONE,
    # The organisation's admins: its users.
    "team:list": {"employer_admin", "team_lead"},
    # The organisation's admins (the operator's too): its API tokens.
    "api_tokens:list": {"employer_admin", "team_lead", "operator_admin", "statistics_viewer"},
    "api_tokens:create": {"employer_admin", "team_lead", "operator_admin", "statistics_viewer"},
    "api_tokens:revoke": {"employer_admin", "team_lead", "operator_admin", "statistics_viewer"},
    # The organisation's admins: its webhook endpoints and their delivery log.
    "webhooks:list": {"employer_admin", "team_lead", "operator_admin"},
    "webhooks:create": {"employer_admin", "team_lead", "operator_admin"},
    "webhooks:detail": {"employer_admin", "team_lead", "operator_admin"},
    "webhooks:send_again": {"employer_admin", "team_lead", "operator_admin"},
    "webhooks:pause": {"employer_admin", "team_lead", "operator_admin"},
    "webhooks:resume": {"employer_admin", "team_lead", "operator_admin"},
    "webhooks:delete": {"employer_admin", "team_lead", "operator_admin"},
    # Spreadsheet imports: an employer's slots, a case-management organisation's cases.
    "imports:slots": EMPLOYERS,
    "imports:slots_check": EMPLOYERS,
    "imports:slots_import": EMPLOYERS,
    "imports:slots_template": EMPLOYERS,
    "imports:candidates": CASE_WORKERS,
    "imports:candidates_check": CASE_WORKERS,
    "imports:candidates_import": CASE_WORKERS,
    "imports:candidates_template": CASE_WORKERS,
    "team:invite": {"employer_admin", "team_lead"},
    "team:detail": {"employer_admin", "team_lead"},
    "team:set_active": {"employer_admin", "team_lead"},
    "team:reinvite": {"employer_admin", "team_lead"},
    # Employers: their organisation's details (admins change them), slots, nominations.
    "company:profile": EMPLOYERS,
    "company:save": {"employer_admin"},
    "slots:list": EMPLOYERS,
    "slots:create": EMPLOYERS,
    "slots:new": EMPLOYERS,
    "slots:calendar": EMPLOYERS,
    "slots:detail": EMPLOYERS,
    "slots:edit": EMPLOYERS,
    "slots:update": EMPLOYERS,
    "slots:duplicate": EMPLOYERS,
    "slots:transition": EMPLOYERS,
    "placements:pool": EMPLOYERS,
    "placements:request": EMPLOYERS,
    "placements:request_submit": EMPLOYERS,
    "placements:inbox": EMPLOYERS,
    "placements:answer": EMPLOYERS,
    "placements:inbox_decide": EMPLOYERS,
    # Case workers: their caseload (team leads: the organisation's), open slots, nominations.
    "search:slots": CASE_WORKERS | OPERATOR,
    "search:offer": CASE_WORKERS | OPERATOR,
    "candidates:list": CASE_WORKERS,
    "candidates:new": CASE_WORKERS,
    "candidates:create": CASE_WORKERS,
    "candidates:detail": CASE_WORKERS | OPERATOR,
    "candidates:preview": CASE_WORKERS | OPERATOR,
    "candidates:summary": CASE_WORKERS | OPERATOR,
    "candidates:status": CASE_WORKERS,
    "candidates:assign": CASE_WORKERS,  # the team lead's, decided after the 404 (policy)
    "candidates:reassign": {"team_lead"},
    "candidates:sharing": {"team_lead"},
    "candidates:identity": CASE_WORKERS,
    "candidates:identity_access": CASE_WORKERS,
    "candidates:identity_edit": CASE_WORKERS,
    "candidates:identity_update": CASE_WORKERS,
    "candidates:profile": CASE_WORKERS,
    "candidates:profile_update": CASE_WORKERS,
    "candidates:consent": CASE_WORKERS,
    "candidates:consent_record": CASE_WORKERS,
    "candidates:consent_withdraw": CASE_WORKERS,
    "candidates:documents": CASE_WORKERS,
    "candidates:document_upload": CASE_WORKERS,
    "candidates:privacy": CASE_WORKERS,
    "candidates:export": CASE_WORKERS,
    "candidates:export_json": CASE_WORKERS,
    "candidates:erase": CASE_WORKERS,
    # A document's bytes: decided per record (policy.may_download_document); 404 to the rest.
    "documents:download": EVERYONE,
    "documents:share": CASE_WORKERS,
    "documents:confirm_delete": CASE_WORKERS,
    "documents:delete": CASE_WORKERS,
    "placements:matches": CASE_WORKERS,
    "placements:offer_candidates": CASE_WORKERS,
    "placements:nominate": CASE_WORKERS,
    "placements:nominate_submit": CASE_WORKERS,
    "placements:mine": CASE_WORKERS,
    "placements:release": CASE_WORKERS,
    # A placement: both sides, each deciding per record (policy.placement_side).
    "placements:detail": PARTIES,
    "placements:transition": PARTIES,
    "placements:message": PARTIES,
    "placements:document": PARTIES,
    "placements:checklist": PARTIES,
    "placements:checklist_confirm": PARTIES,
    "placements:agreement": PARTIES,
    "placements:agreement_upload": PARTIES,
    "placements:agreement_confirm": PARTIES,
    "placements:agreement_send_link": PARTIES,
    "placements:agreement_qr": PARTIES,
    "placements:evaluation": PARTIES,
    "placements:evaluation_submit": PARTIES,
    "placements:outcome": PARTIES,
    "placements:outcome_submit": PARTIES,
    "placements:follow_up": PARTIES,
    # The console: the operator's.
    "admin:organisations": OPERATOR,
    "admin:organisation_new": OPERATOR,
    "admin:organisation_create": OPERATOR,
    "admin:organisation": OPERATOR,
    "admin:organisation_invite": OPERATOR,
    "admin:decide": OPERATOR,
    "admin:users": OPERATOR,
    "admin:user_active": OPERATOR,
    "admin:candidates": OPERATOR,
    "admin:texts": OPERATOR,
    "admin:texts_save": OPERATOR,
    "admin:audit": OPERATOR,
    "admin:audit_csv": OPERATOR,
    "admin:programmes": OPERATOR,
    "admin:programme_create": OPERATOR,
    "admin:programme": OPERATOR,
    "admin:programme_update": OPERATOR,
    "admin:programme_active": OPERATOR,
    "admin:municipalities": OPERATOR,
    "admin:municipality_create": OPERATOR,
    "admin:municipality": OPERATOR,
    "admin:municipality_update": OPERATOR,
    "admin:municipality_active": OPERATOR,
    "admin:limits": OPERATOR,
    "admin:limits_save": OPERATOR,
    # Statistics: aggregates only, for the chambers' and authorities' viewers and the operator.
    "stats:dashboard": STATISTICS,
    "stats:csv": STATISTICS,
    "stats:xlsx": STATISTICS,
    "stats:json": STATISTICS,
    "stats:report": STATISTICS,
    "stats:methods": STATISTICS,
    # The district's headline figures for its website: 404 until the operator switches it on.
    "stats:public": None,
    "stats:public_switch": OPERATOR,
    # The console's pipeline board (pseudonymised) and the team lead's over its own organisation.
    "admin:home": OPERATOR,
    "admin:live": OPERATOR,
    "board:team_live": {"team_lead"},
    "placements:inbox_live": EMPLOYERS,
    "admin:board": OPERATOR,
    "admin:board_column": OPERATOR,
    "admin:board_list": OPERATOR,
    "admin:board_csv": OPERATOR,
    # The board's pickers' options (employers, organisations, case workers: no candidate).
    "admin:board_options": OPERATOR,
    "board:team_options": {"team_lead"},
    "admin:card_action": OPERATOR,
    "admin:placement": OPERATOR,
    "admin:card_menu": OPERATOR,
    "board:team": {"team_lead"},
    "board:team_column": {"team_lead"},
    "board:team_list": {"team_lead"},
    "board:team_csv": {"team_lead"},
}

# Routes where the operator admin reads any organisation's records (pseudonymised profiles, the
# console): for them the operator gets the page, not 404.
OPERATOR_SEES_EVERY_RECORD = {
    "candidates:detail",
    "candidates:preview",
    "candidates:summary",
    "admin:organisation",
    "admin:organisation_invite",
    "admin:decide",
    "admin:user_active",
    # Reference data belongs to no tenant: the operator manages all of it.
    "admin:programme",
    "admin:programme_update",
    "admin:programme_active",
    "admin:municipality",
    "admin:municipality_update",
    "admin:municipality_active",
    "admin:card_action",
    "admin:placement",
    "admin:card_menu",
}

# Path parameters that are not record ids, filled with a value the route knows.
WORDS = {
    "action": {"slots:transition": "pause", "placements:transition": "withdraw"},
    "decision": {"placements:inbox_decide": "accept", "admin:decide": "approve"},
    "change": {
        "admin:user_active": "deactivate",
        "admin:programme_active": "retire",
        "admin:municipality_active": "retire",
    },
    "months": {"placements:follow_up": "3"},
    "card_action": {"admin:card_action": "flag"},
    "column_state": {"admin:board_column": "proposed", "board:team_column": "proposed"},
    "fmt": {"imports:slots_template": "csv", "imports:candidates_template": "csv"},
}


def handlers(app: Any) -> list[tuple[str, str, str]]:
    """(route name, method, path template) of every handler the app serves, OPTIONS aside."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods):
                if method != "OPTIONS":
                    found.append((handler.name, method, route.path))
    return found


def audience_of(app: Any) -> dict[str, frozenset[Role] | None]:
    return {
        handler.name: admitted_roles(handler)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if handler.http_methods != {"OPTIONS"}
    }


# -- default deny -----------------------------------------------------------------------------


def test_every_route_declares_who_may_reach_it(app):
    assert undeclared_routes(app) == []


def test_the_app_refuses_to_start_with_an_undeclared_route(own_app):
    @get("/forgotten", name="forgotten")
    async def forgotten() -> str:
        return "no guard, not public"

    own_app.register(forgotten)
    with pytest.raises(RuntimeError, match="GET /forgotten"):
        refuse_undeclared_routes(own_app)


def test_it_refuses_an_undeclared_route_to_everyone_at_request_time(own_app):
    @get("/forgotten", name="forgotten")
    async def forgotten() -> str:
        return "no guard, not public"

    @get("/open", name="open", opt=PUBLIC)
    async def open_page() -> str:
        return "public"

    own_app.register(forgotten)
    own_app.register(open_page)
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    with TestClient(own_app, base_url="http://testserver.local") as client:
        assert client.get("/forgotten").status_code == 403
        assert client.get("/open").text == "public"
        login(client, operator.email)
        assert client.get("/forgotten").status_code == 403


def test_the_generated_options_answers_are_the_only_unlisted_handlers(app):
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if handler.http_methods == {"OPTIONS"}:
                assert is_public(handler), route.path


# -- the permission table ---------------------------------------------------------------------


def test_every_route_is_in_the_permission_table(app):
    served = {name for name, _method, _path in handlers(app)}
    assert served - AUDIENCE.keys() == set(), "add the new routes to AUDIENCE"
    assert AUDIENCE.keys() - served == set(), "remove the routes that are gone from AUDIENCE"


def test_the_guards_admit_exactly_the_audience_of_the_table(app):
    wrong = {}
    for name, admitted in audience_of(app).items():
        declared = None if admitted is None else {role.value for role in admitted}
        if declared != AUDIENCE[name]:
            wrong[name] = (declared, AUDIENCE[name])
    assert wrong == {}


def test_no_route_lets_a_statistics_viewer_near_a_person(app):
    personal = re.compile(r"candidate|placement|document|slot|offer|nomination|identity")
    for name, method, path in handlers(app):
        audience = AUDIENCE[name]
        if audience is not None and personal.search(path) and name != "documents:download":
            assert "statistics_viewer" not in audience, f"{method} {path}"


def test_no_identity_route_admits_the_operator(app):
    for name, method, path in handlers(app):
        if "identity" in path or "/export" in path or "documents" in path:
            assert "operator_admin" not in (AUDIENCE[name] or set()) or name == (
                "documents:download"
            ), f"{method} {path}"


# -- every route × every role × another tenant's records -------------------------------------


@pytest.fixture
def elsewhere(app) -> dict[str, str]:
    """Records of organisations none of the personas belongs to, by path parameter."""
    employer = make_org(OrgKind.employer, name="Andere Werkstatt GmbH")
    agency = make_org(OrgKind.case_management, name="Anderer Träger e. V.")
    employer_user = make_user(employer, Role.employer_admin)
    case_worker = make_user(agency, Role.case_manager)
    candidate = make_candidate(agency, case_worker, occupations=("24412",), status="active")
    consent(candidate)
    placement = make_placement(
        "accepted",
        slot=make_slot(employer, places=1),
        candidate=candidate,
        case_worker=case_worker,
        employer_user=employer_user,
    )
    document = make_document(app, candidate, case_worker, shareable=True)
    return {
        "candidate_id": str(candidate.id),
        "slot_id": str(make_slot(employer, status=SlotStatus.draft).id),
        "placement_id": str(placement),
        "document_id": str(document["id"]),
        "user_id": str(employer_user.id),
        "org_id": str(employer.id),
        "programme_id": str(run(Programme.insert(Programme(name="Anderes Programm")))[0]["id"]),
        "municipality_id": str(make_municipality("Andere Gemeinde").id),
        "token_id": str(make_token(employer_user)["id"]),
        **webhook_records(employer_user),
        "batch_id": str(import_batch(employer_user)),
    }


def persona(role: str) -> Any:
    kind = {
        "employer_member": OrgKind.employer,
        "employer_admin": OrgKind.employer,
        "case_manager": OrgKind.case_management,
        "team_lead": OrgKind.case_management,
        "statistics_viewer": OrgKind.chamber,
        "operator_admin": OrgKind.operator,
    }[role]
    return make_user(make_org(kind, status=OrgStatus.active), Role(role))


def url_of(name: str, path: str, records: dict[str, str]) -> tuple[str, bool]:
    """The path with every parameter filled; whether it names a record."""
    names_a_record = False

    def fill(match: re.Match[str]) -> str:
        nonlocal names_a_record
        parameter = match.group(1)
        if parameter in WORDS:
            return WORDS[parameter][name]
        names_a_record = True
        return records[parameter]

    return re.sub(r"\{(\w+):\w+\}", fill, path), names_a_record


def expected(name: str, role: str | None, names_a_record: bool, method: str) -> str:
    audience = AUDIENCE[name]
    if role is None:
        return "login" if method == "GET" else "403"
    if role not in audience:  # type: ignore[operator]
        return "403"
    if role == "operator_admin" and name in OPERATOR_SEES_EVERY_RECORD:
        return "served"
    return "404" if names_a_record else "served"


def outcome(response: Any) -> str:
    if response.status_code in (302, 303) and "/login" in response.headers.get("location", ""):
        return "login"
    if response.status_code in (403, 404, 500):
        return str(response.status_code)
    return "served"


@pytest.mark.parametrize(
    "role",
    [None, "employer_member", "employer_admin", "case_manager", "team_lead",
     "statistics_viewer", "operator_admin"],
)  # fmt: skip
def test_every_route_answers_each_role_as_the_table_says(app, client, elsewhere, role):
    if role is not None:
        login(client, persona(role).email)
    token = csrf_token(client)
    wrong, seen = [], collections.Counter()
    for name, method, path in handlers(app):
        if AUDIENCE[name] is None or path.startswith(API):
            continue
        url, names_a_record = url_of(name, path, elsewhere)
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            response = client.post(url, data={"_csrf_token": token}, follow_redirects=False)
        want, got = expected(name, role, names_a_record, method), outcome(response)
        seen[got] += 1
        if got != want:
            wrong.append(f"{method} {url} ({name}): {got}, expected {want}")
    assert wrong == []
    # Not vacuous: every protected route was asked, and the refusals are where the table says.
    assert sum(seen.values()) == sum(
        1 for name, _m, path in handlers(app) if AUDIENCE[name] is not None and API not in path
    )


def test_a_user_of_an_organisation_awaiting_approval_reaches_only_their_account(app, client):
    waiting = make_user(make_org(OrgKind.employer, status=OrgStatus.pending), Role.employer_admin)
    login(client, waiting.email)
    token = csrf_token(client)
    reached = set()
    for name, method, path in handlers(app):
        if AUDIENCE[name] is None or "{" in path or path.startswith(API):
            continue
        if method == "GET":
            response = client.get(path, follow_redirects=False)
        else:
            response = client.post(path, data={"_csrf_token": token}, follow_redirects=False)
        if response.status_code != 403:
            reached.add(name)
    assert reached == {"account:settings", "account:password"}
