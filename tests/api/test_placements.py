"""Placements through the API: nominations and requests, the lists of either side, and the
transitions — placements.machine as on the pages, with ETag, If-Match and Idempotency-Key."""

import pytest

from portal.audit.tables import AuditEvent
from portal.placements.tables import Placement, PlacementEvent
from tests.api.factories import make_token, placement_world
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_user
from tests.placements.factories import confirm_checklist, make_placement

NOMINATIONS = "/api/v1/placements/nominations"


def _nominate(client, world, **changes):
    body = {
        "candidate_id": str(world["candidate"].id),
        "slot_id": str(world["slot"].id),
        "note": "Erfahrung im Schweißen, zuverlässig.",
        **changes,
    }
    return client.post(NOMINATIONS, json=body, headers=world["agency_token"]["headers"])


def _placements():
    return run(Placement.select())


def test_it_nominates_through_the_machine_and_the_employer_sees_it(client):
    world = placement_world()
    response = _nominate(client, world)
    assert response.status_code == 201, response.text
    [row] = _placements()
    assert row["state"] == "proposed" and response.json()["id"] == str(row["id"])
    assert response.headers["location"] == f"/api/v1/placements/{row['id']}"
    assert response.json()["actions"] == ["withdraw"]
    event = run(PlacementEvent.select().where(PlacementEvent.placement == row["id"]).first())
    assert event["action"] == "nominate"
    listed = client.get(
        "/api/v1/placements",
        params={"state": "proposed"},
        headers=world["employer_token"]["headers"],
    )
    assert listed.status_code == 200
    [seen] = listed.json()["data"]
    assert seen["candidate_code"] == world["candidate"].code
    assert seen["actions"] == ["accept", "decline"]
    assert "Haddad" not in listed.text  # pseudonymised
    none = client.get(
        "/api/v1/placements",
        params={"state": "accepted"},
        headers=world["employer_token"]["headers"],
    )
    assert none.json()["data"] == []


def test_a_nomination_without_consent_or_with_the_name_in_the_note_is_refused(client):
    world = placement_world()
    named = _nominate(client, world, note="Amina kann schweißen.")
    assert named.status_code == 422
    assert [error["field"] for error in named.json()["errors"]] == ["note"]
    other = make_org(world["agency"].kind)
    stranger = make_candidate(other, make_user(other, world["lead"].role))
    response = client.post(
        NOMINATIONS,
        json={"candidate_id": str(stranger.id), "slot_id": str(world["slot"].id), "note": "x"},
        headers=world["agency_token"]["headers"],
    )
    assert response.status_code == 404
    assert _placements() == []


def test_a_retried_nomination_with_the_same_key_creates_once(client):
    world = placement_world()
    headers = {**world["agency_token"]["headers"], "Idempotency-Key": "nom-1"}
    body = {
        "candidate_id": str(world["candidate"].id),
        "slot_id": str(world["slot"].id),
        "note": "Zuverlässig.",
    }
    first = client.post(NOMINATIONS, json=body, headers=headers)
    again = client.post(NOMINATIONS, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert len(_placements()) == 1
    # Without the key the machine refuses a second open placement of the two (409).
    twice = _nominate(client, world)
    assert twice.status_code == 409
    assert twice.json()["detail"] == "Diese Person ist bereits für diesen Platz vorgeschlagen."


def test_the_employer_accepts_with_if_match_and_a_stale_etag_gets_412(client):
    world = placement_world()
    placement_id = _nominate(client, world).json()["id"]
    url = f"/api/v1/placements/{placement_id}"
    headers = world["employer_token"]["headers"]
    tag = client.get(url, headers=headers).headers["etag"]
    accepted = client.post(f"{url}/accept", json={}, headers={**headers, "If-Match": tag})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted" and accepted.headers["etag"] != tag
    stale = client.post(
        f"{url}/decline", json={"reason": "dates"}, headers={**headers, "If-Match": tag}
    )
    assert stale.status_code == 412
    assert run(Placement.select(Placement.state).first())["state"] == "accepted"


def test_a_write_between_the_read_and_the_update_is_412_not_a_lost_update(client):
    """If-Match is checked again under the placement's lock (machine.apply), not only before."""
    from portal.errors import Stale
    from portal.placements import machine
    from tests.placements.session import as_user

    world = placement_world()
    placement_id = _nominate(client, world).json()["id"]
    row = run(Placement.select().where(Placement.id == placement_id).first())
    run(machine.apply(as_user(world["erik"]), row["id"], "accept"))
    with pytest.raises(Stale):
        run(
            machine.apply(
                as_user(world["erik"]),
                row["id"],
                "decline",
                machine.Input(reason="dates"),
                unchanged_since=row["updated_at"],
            )
        )
    with pytest.raises(Stale):
        run(
            machine.release_identity(
                as_user(world["lead"]), row["id"], address="", unchanged_since=row["updated_at"]
            )
        )
    assert run(Placement.select(Placement.state).first())["state"] == "accepted"


def test_a_refused_transition_answers_problem_details_with_field_messages(client):
    world = placement_world()
    placement_id = _nominate(client, world).json()["id"]
    url = f"/api/v1/placements/{placement_id}"
    employer = world["employer_token"]["headers"]
    no_reason = client.post(f"{url}/decline", json={}, headers=employer)
    assert no_reason.status_code == 422
    assert "reason" in {error["field"] for error in no_reason.json()["errors"]}
    wrong_side = client.post(f"{url}/withdraw", json={"reason": "other"}, headers=employer)
    assert wrong_side.status_code == 403
    wrong_state = client.post(f"{url}/start", headers=world["agency_token"]["headers"])
    assert wrong_state.status_code == 409
    english = client.post(f"{url}/decline", json={}, headers={**employer, "Accept-Language": "en"})
    assert english.json()["title"] == "The data cannot be processed."
    assert run(Placement.select(Placement.state).first())["state"] == "proposed"


def test_the_whole_lifecycle_through_the_api(client):
    world = placement_world()
    slot, lead, erik = world["slot"], world["lead"], world["erik"]
    agency, employer = world["agency_token"]["headers"], world["employer_token"]["headers"]
    placement_id = _nominate(client, world).json()["id"]
    url = f"/api/v1/placements/{placement_id}"

    def step(action, headers, body=None):
        response = client.post(f"{url}/{action}", json=body or {}, headers=headers)
        assert response.status_code == 200, (action, response.text)
        return response.json()

    step("accept", employer)
    assert step("release", agency)["identity_released_at"] is not None
    dates = {"start_date": slot.start_date.isoformat(), "end_date": slot.end_date.isoformat()}
    step("prepare", agency, dates)
    refused = client.post(f"{url}/start", json={}, headers=agency)
    assert refused.status_code == 409  # the checklist is not complete
    confirm_checklist(placement_id, lead, slot.kind)
    step("start", employer)
    evaluation = {
        "attendance": "all",
        "recommendation": "hire",
        "skills": ["metal.mig_mag"],
        "work_habits": ["punctuality"],
    }
    bad = client.post(
        f"{url}/complete",
        json={"evaluation": {**evaluation, "skills": ["juggling"]}},
        headers=employer,
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"evaluation.skills"}
    step("complete", employer, {"evaluation": evaluation})
    done = step("record_outcome", agency, {"outcome": "hired", "outcome_on": str(slot.end_date)})
    assert done["state"] == "outcome" and done["outcome"] == "hired"
    actions = [
        row["action"]
        for row in run(PlacementEvent.select(PlacementEvent.action).order_by(PlacementEvent.id))
    ]
    assert actions[-1] == "record_outcome" and "release_identity" in actions
    assert run(AuditEvent.count().where(AuditEvent.actor_id == erik.id)) > 0


def test_an_employer_requests_a_candidate_of_the_pool(client):
    world = placement_world()
    body = {"slot_id": str(world["slot"].id), "candidate_id": str(world["candidate"].id)}
    response = client.post(
        "/api/v1/placements/requests", json=body, headers=world["employer_token"]["headers"]
    )
    assert response.status_code == 201, response.text
    assert response.json()["state"] == "requested"
    mine = client.get("/api/v1/placements", headers=world["agency_token"]["headers"])
    assert [row["actions"] for row in mine.json()["data"]] == [
        ["confirm_request", "decline_request", "withdraw"]
    ]


def test_the_list_pages_with_a_cursor_and_filters_by_slot(client):
    world = placement_world()
    employer = world["employer"]
    from tests.factories import make_slot

    other_slot = make_slot(employer, places=3)
    for slot in (world["slot"], other_slot):
        make_placement(
            "proposed",
            slot=slot,
            candidate=world["candidate"],
            case_worker=world["lead"],
            employer_user=world["erik"],
        )
    headers = world["employer_token"]["headers"]
    first = client.get("/api/v1/placements", params={"limit": 1}, headers=headers).json()
    assert len(first["data"]) == 1 and first["next_cursor"]
    second = client.get(
        "/api/v1/placements", params={"limit": 1, "cursor": first["next_cursor"]}, headers=headers
    ).json()
    assert second["next_cursor"] is None
    assert {first["data"][0]["id"], second["data"][0]["id"]} == {
        str(r["id"]) for r in _placements()
    }
    by_slot = client.get(
        "/api/v1/placements", params={"slot": str(other_slot.id)}, headers=headers
    ).json()
    assert [row["slot"] for row in by_slot["data"]] == [str(other_slot.id)]
    stranger = make_token(make_user(make_org(employer.kind), world["erik"].role))
    assert client.get("/api/v1/placements", headers=stranger["headers"]).json()["data"] == []


def test_a_malformed_id_in_the_path_is_a_bad_request(client):
    world = placement_world()
    for url in ("/api/v1/placements/not-a-uuid", "/api/v1/slots/123"):
        response = client.get(url, headers=world["employer_token"]["headers"])
        assert response.status_code == 400, url
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == "path"


def test_a_candidate_without_consent_cannot_be_nominated(client):
    from portal.candidates.tables import CandidateStatus

    world = placement_world()
    agency, lead = world["agency"], world["lead"]
    without = make_candidate(agency, lead, status=CandidateStatus.active)
    response = _nominate(client, world, candidate_id=str(without.id))
    assert response.status_code == 409
    assert "Einwilligung" in response.json()["detail"]
    assert _placements() == []


def test_two_acceptances_at_once_never_overfill_a_one_place_slot(client):
    from concurrent.futures import ThreadPoolExecutor

    from portal.candidates.tables import CandidateStatus
    from tests.placements.conftest import consent

    world = placement_world()
    second = make_candidate(world["agency"], world["lead"], status=CandidateStatus.active)
    consent(second)
    ids = [
        make_placement(
            "proposed",
            slot=world["slot"],
            candidate=candidate,
            case_worker=world["lead"],
            employer_user=world["erik"],
        )
        for candidate in (world["candidate"], second)
    ]
    headers = world["employer_token"]["headers"]
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(
                lambda pid: client.post(f"/api/v1/placements/{pid}/accept", headers=headers), ids
            )
        )
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    states = sorted(row["state"] for row in _placements())
    assert states == ["accepted", "proposed"]
