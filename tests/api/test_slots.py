"""Slots through the API: the employer's own (create, read, list, replace, transitions) and the
case managers' search — the slot pages' services, with ETag, If-Match and Idempotency-Key."""

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor

from portal.accounts.tables import OrgKind, Role
from portal.api.tables import ApiToken
from portal.audit.tables import AuditEvent
from portal.clock import today
from portal.employers.tables import Slot, SlotStatus
from tests.api.factories import make_token, slot_body
from tests.conftest import run
from tests.factories import make_municipality, make_org, make_slot, make_user


def _employer():
    org = make_org(OrgKind.employer)
    return org, make_token(make_user(org, Role.employer_admin))


def _slots(org):
    return run(Slot.select().where(Slot.employer == org.id))


def test_it_creates_a_slot_as_the_form_does(client):
    org, token = _employer()
    municipality = make_municipality()
    response = client.post(
        "/api/v1/slots", json=slot_body(municipality.id), headers=token["headers"]
    )
    assert response.status_code == 201, response.text
    [row] = _slots(org)
    assert response.json()["id"] == str(row["id"])
    assert response.json()["status"] == "draft" and row["duration_days"] == 14
    assert response.headers["location"] == f"/api/v1/slots/{row['id']}"
    assert response.headers["etag"]
    assert "set-cookie" not in response.headers  # no session, no CSRF cookie
    event = run(AuditEvent.select().where(AuditEvent.action == "slot.created").first())
    assert event["record_id"] == str(row["id"])


def test_it_refuses_an_internship_of_more_than_four_weeks_with_german_field_messages(client):
    org, token = _employer()
    # Ten weeks after its start (slot_body starts in 30 days): more than four weeks.
    too_long = (today() + dt.timedelta(days=100)).isoformat()
    body = slot_body(make_municipality().id, end_date=too_long, title="")
    response = client.post("/api/v1/slots", json=body, headers=token["headers"])
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert errors["title"] == "Bitte füllen Sie dieses Feld aus."
    assert "end_date" in errors
    assert _slots(org) == []


def test_a_retried_create_with_the_same_idempotency_key_creates_once(client):
    org, token = _employer()
    body = slot_body(make_municipality().id)
    headers = {**token["headers"], "Idempotency-Key": "abc-123"}
    first = client.post("/api/v1/slots", json=body, headers=headers)
    again = client.post("/api/v1/slots", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(_slots(org)) == 1
    other = client.post("/api/v1/slots", json={**body, "places": 3}, headers=headers)
    assert other.status_code == 422
    assert len(_slots(org)) == 1
    # Another key creates another slot; a failed request leaves its key free.
    bad = client.post(
        "/api/v1/slots", json={**body, "title": ""}, headers={**headers, "Idempotency-Key": "k2"}
    )
    assert bad.status_code == 422
    fixed = client.post("/api/v1/slots", json=body, headers={**headers, "Idempotency-Key": "k2"})
    assert fixed.status_code == 201
    assert len(_slots(org)) == 2


def test_the_same_key_of_another_organisation_is_its_own(client):
    municipality = make_municipality()
    for _ in range(2):
        org, token = _employer()
        headers = {**token["headers"], "Idempotency-Key": "same"}
        assert (
            client.post(
                "/api/v1/slots", json=slot_body(municipality.id), headers=headers
            ).status_code
            == 201
        )
        assert len(_slots(org)) == 1


def test_it_lists_own_slots_a_page_at_a_time(client, queries):
    org, token = _employer()
    mine = {str(make_slot(org).id) for _ in range(5)}
    make_slot(make_org())  # another employer's
    seen, cursor, counts = set(), None, []
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        queries.clear()
        response = client.get("/api/v1/slots", params=params, headers=token["headers"])
        assert response.status_code == 200
        counts.append(len(queries))
        seen |= {slot["id"] for slot in response.json()["data"]}
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    # The token's read and one page query, the same for every page; the first read of the
    # minute also records the token's use (tokens.USE_RECORDED_EVERY), the others do not.
    assert counts[1] == counts[2] < counts[0], counts
    assert seen == mine and len(counts) == 3


def test_it_refuses_a_forged_cursor(client):
    _org, token = _employer()
    response = client.get("/api/v1/slots", params={"cursor": "nonsense!"}, headers=token["headers"])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


def test_it_replaces_a_slot_with_the_current_etag_and_refuses_a_stale_one(client):
    org, token = _employer()
    municipality = make_municipality()
    slot = make_slot(org, status=SlotStatus.draft, municipality=municipality.id)
    url = f"/api/v1/slots/{slot.id}"
    tag = client.get(url, headers=token["headers"]).headers["etag"]
    body = slot_body(municipality.id, title="Neuer Titel")
    changed = client.put(url, json=body, headers={**token["headers"], "If-Match": tag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["title"] == "Neuer Titel"
    assert changed.headers["etag"] != tag
    stale = client.put(
        url, json={**body, "title": "Zu spät"}, headers={**token["headers"], "If-Match": tag}
    )
    assert stale.status_code == 412
    assert stale.json()["status"] == 412
    assert _slots(org)[0]["title"] == "Neuer Titel"


def test_it_publishes_pauses_and_closes_and_refuses_what_the_status_does_not_allow(client):
    org, token = _employer()
    slot = make_slot(org, status=SlotStatus.draft)
    url = f"/api/v1/slots/{slot.id}"
    assert client.post(f"{url}/publish", headers=token["headers"]).json()["status"] == "open"
    assert client.post(f"{url}/pause", headers=token["headers"]).json()["status"] == "paused"
    refused = client.post(f"{url}/pause", headers=token["headers"])
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Nur ein offener Platz kann pausiert werden."
    assert client.post(f"{url}/close", headers=token["headers"]).json()["status"] == "closed"
    assert client.post(f"{url}/explode", headers=token["headers"]).status_code == 400


def test_case_managers_search_offers_with_the_page_filters(client):
    agency = make_org(OrgKind.case_management)
    token = make_token(make_user(agency, Role.team_lead))
    employer = make_org(OrgKind.employer)
    place = make_municipality("Wurzen")
    wanted = make_slot(employer, municipality=place.id)
    make_slot(employer)  # elsewhere
    make_slot(employer, status=SlotStatus.draft, municipality=place.id)  # not published
    response = client.get(
        "/api/v1/offers", params={"municipality": str(place.id)}, headers=token["headers"]
    )
    assert response.status_code == 200
    assert [offer["id"] for offer in response.json()["data"]] == [str(wanted.id)]
    one = client.get(f"/api/v1/offers/{wanted.id}", headers=token["headers"])
    assert one.json()["employer_name"] == employer.name
    bad = client.get("/api/v1/offers", params={"german": "Z9"}, headers=token["headers"])
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "german"


def test_every_use_of_a_token_is_recorded(client):
    _org, token = _employer()
    client.get("/api/v1/slots", headers=token["headers"])
    row = run(ApiToken.select().where(ApiToken.id == token["id"]).first())
    assert row["last_used_at"] is not None and row["last_address"] == "testclient"
    event = run(AuditEvent.select().where(AuditEvent.action == "api_token.used").first())
    assert event["record_id"] == str(token["id"])
    detail = event["detail"] if isinstance(event["detail"], dict) else json.loads(event["detail"])
    assert detail == {"method": "GET", "route": "/api/v1/slots"}


def test_two_requests_with_one_key_at_once_create_one_slot(client):
    org, token = _employer()
    body = slot_body(make_municipality().id)
    headers = {**token["headers"], "Idempotency-Key": "at-once"}
    with ThreadPoolExecutor(2) as pool:
        responses = list(
            pool.map(lambda _: client.post("/api/v1/slots", json=body, headers=headers), range(2))
        )
    # The second is either answered again (the first had finished) or told to wait (409).
    assert sorted(r.status_code for r in responses) in ([201, 201], [201, 409])
    assert len(_slots(org)) == 1
