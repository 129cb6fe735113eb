"""Every API route, generated from the app's route table: without a token, with a revoked and
an expired one (401), with the token of an organisation outside the route's audience (403), of
one inside it with another tenant's records (404), and with a read-only token on a write route
(403). The audience is the permission table of tests/security/test_route_access.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.api.tables import TokenScope
from portal.candidates.tables import CandidateStatus, Document
from portal.clock import now
from portal.employers.tables import SlotStatus
from tests.api.factories import make_token, slot_body
from tests.conftest import run
from tests.factories import make_candidate, make_municipality, make_org, make_slot, make_user
from tests.files import pdf
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.security.test_route_access import AUDIENCE, handlers

# Path parameters that name no tenant's record, and the routes where a record of another
# organisation is visible by the rules (an open slot is an offer for every case worker).
WORDS = {"code": "24412", "action": "pause"}
# Actions of the routes whose {action} is not a slot's.
ACTIONS = {"/placements/": "withdraw"}
RECORD_PARAMS = ("slot_id", "candidate_id", "placement_id", "document_id")
# Creating routes whose body names records: another tenant's are not found (404).
RECORDS_IN_BODY = {"api:nominate", "api:request_candidate"}
IDENTITY = {"given_names": "Amal", "family_name": "Haddad", "date_of_birth": "1990-05-04"}
VISIBLE_TO_ALL = {"api:offer"}
# The organisation kinds with tokens, and the role each token stands for (portal.api.tokens).
TOKEN_ROLES = {
    OrgKind.employer: Role.employer_admin,
    OrgKind.case_management: Role.team_lead,
    OrgKind.operator: Role.operator_admin,
    OrgKind.chamber: Role.statistics_viewer,
}


def api_routes(app):
    return [(name, method, path) for name, method, path in handlers(app) if "/api/" in path]


@pytest.fixture
def world(app):
    """Another employer's draft slot (for the record routes) and a valid slot body."""
    employer = make_org(OrgKind.employer, name="Andere Werkstatt GmbH")
    municipality = make_municipality()
    slot = make_slot(employer, status=SlotStatus.open, municipality=municipality.id)
    agency = make_org(OrgKind.case_management, name="Anderer Träger e. V.")
    manager = make_user(agency, Role.case_manager)
    candidate = make_candidate(agency, manager, status=CandidateStatus.active)
    consent(candidate)
    placement_id = make_placement(
        "proposed",
        slot=slot,
        candidate=candidate,
        case_worker=manager,
        employer_user=make_user(employer, Role.employer_admin),
    )
    document = Document(
        organisation=agency.id,
        candidate=candidate.id,
        kind="certificate",
        storage_key="documents/not-stored",
        content_type="application/pdf",
        size=4,
        checksum="0" * 64,
    )
    run(document.save())
    records = {"slot_id": str(slot.id), "candidate_id": str(candidate.id)}
    return {
        **records,
        "placement_id": str(placement_id),
        "document_id": str(document.id),
        "/slots": slot_body(municipality.id),
        "/candidates": IDENTITY,
        "/placements/nominations": {**records, "note": "Zuverlässig."},
        "/placements/requests": records,
        "/placements/": {"reason": "other"},
        **WORDS,
    }


def request(client, method, path, world, headers):
    words = dict(world)
    for part, action in ACTIONS.items():
        if part in path:
            words["action"] = action
    url = re.sub(r"\{(\w+):\w+\}", lambda match: words[match.group(1)], path)
    body = None
    if method == "POST" and path.endswith("/documents"):
        upload = {"file": ("Zeugnis.pdf", pdf(), "application/pdf")}
        return client.post(url, files=upload, data={"kind": "certificate"}, headers=headers)
    if method == "PATCH":
        body = {"hours_per_week": 30}
    elif method in ("POST", "PUT") and not url.endswith("/pause"):
        # The most specific of the bodies whose key the path contains.
        key = max((key for key in world if key.startswith("/") and key in path), key=len)
        body = world[key]
    return client.request(method, url, json=body, headers=headers)


def test_there_are_api_routes_to_check(app):
    names = {name for name, _method, _path in api_routes(app)}
    # Among them the placements', documents' and statistics' routes (issue 17).
    assert {"api:placement_transition", "api:document_upload", "api:statistics"} <= names
    assert len(api_routes(app)) >= 27


@pytest.mark.parametrize("kind", list(TOKEN_ROLES))
def test_every_route_answers_each_organisations_token_as_the_table_says(app, client, world, kind):
    role = TOKEN_ROLES[kind]
    token = make_token(make_user(make_org(kind), role))
    wrong = []
    for name, method, path in api_routes(app):
        response = request(client, method, path, world, token["headers"])
        if role.value not in AUDIENCE[name]:
            want = 403
        elif (
            any(f"{{{record}" in path for record in RECORD_PARAMS) and name not in VISIBLE_TO_ALL
        ) or name in RECORDS_IN_BODY:
            want = 404
        else:
            want = 200 if method != "POST" or "{" in path else 201
        if response.status_code != want:
            wrong.append(f"{method} {path}: {response.status_code}, expected {want}")
        assert response.headers["content-type"].startswith(
            "application/problem+json" if want >= 400 else "application/json"
        )
    assert wrong == []


@pytest.mark.parametrize("problem", ["none", "revoked", "expired", "malformed", "unknown"])
def test_every_route_refuses_a_missing_or_dead_token(app, client, world, problem):
    user = make_user(make_org(OrgKind.employer), Role.employer_admin)
    headers = {
        "none": {},
        "revoked": make_token(user, revoked_at=now())["headers"],
        "expired": make_token(user, expires_at=now() - dt.timedelta(seconds=1))["headers"],
        "malformed": {"Authorization": "Basic dXNlcjpwYXNz"},
        "unknown": {"Authorization": "Bearer ppt_" + "A" * 43},
    }[problem]
    for name, method, path in api_routes(app):
        response = request(client, method, path, world, headers)
        assert response.status_code == 401, f"{method} {path} ({name})"
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["status"] == 401


def test_a_read_only_token_may_not_write(app, client, world):
    employer = make_token(
        make_user(make_org(OrgKind.employer), Role.employer_admin), scope=TokenScope.read
    )
    writes = [(n, m, p) for n, m, p in api_routes(app) if m in ("POST", "PUT", "PATCH")]
    assert writes
    for _name, method, path in writes:
        response = request(client, method, path, world, employer["headers"])
        assert response.status_code == 403, f"{method} {path}"
        assert response.json()["detail"] == "Dieser Token darf nur lesen."
    assert client.get("/api/v1/slots", headers=employer["headers"]).status_code == 200


def test_a_token_of_a_deactivated_admin_or_a_suspended_organisation_is_refused(client):
    org = make_org(OrgKind.employer)
    admin = make_user(org, Role.employer_admin, active=False)
    token = make_token(admin)
    assert client.get("/api/v1/slots", headers=token["headers"]).status_code == 401
    suspended = make_org(OrgKind.employer, status="suspended")
    token = make_token(make_user(suspended, Role.employer_admin))
    assert client.get("/api/v1/slots", headers=token["headers"]).status_code == 401


def test_a_session_cookie_does_not_reach_the_api(client):
    from tests.factories import login

    login(client, make_user(make_org(OrgKind.employer), Role.employer_admin).email)
    assert client.get("/api/v1/slots").status_code == 401
