"""What a token's use writes: the last use at most once a minute for reads, an audit row for
every write; and the Idempotency-Key's keeping: a key left pending by a dead request is taken
over after a bound, and old answers are removed by the worker's purge."""

import datetime as dt

from portal.accounts.tables import OrgKind, Role
from portal.api.http import KEEP_ANSWERS, PENDING_FOR, purge_idempotency_keys
from portal.api.tables import ApiToken, IdempotentRequest
from portal.audit.tables import AuditEvent
from portal.clock import now
from portal.employers.tables import Slot
from tests.api.factories import make_token, slot_body
from tests.conftest import run
from tests.factories import make_municipality, make_org, make_slot, make_user


def _uses():
    return run(AuditEvent.count().where(AuditEvent.action == "api_token.used"))


def _last_used(token):
    return run(ApiToken.select(ApiToken.last_used_at).where(ApiToken.id == token["id"]).first())[
        "last_used_at"
    ]


def test_reads_record_the_use_once_a_minute_and_writes_every_time(client, time_machine):
    org = make_org(OrgKind.employer)
    token = make_token(make_user(org, Role.employer_admin))
    slot = make_slot(org)
    for _ in range(3):
        assert client.get("/api/v1/slots", headers=token["headers"]).status_code == 200
    assert _uses() == 1
    first = _last_used(token)
    time_machine.move_to(now() + dt.timedelta(seconds=61), tick=True)
    client.get("/api/v1/slots", headers=token["headers"])
    assert _uses() == 2 and _last_used(token) > first
    for _ in range(2):
        client.post(f"/api/v1/slots/{slot.id}/pause", headers=token["headers"])
    assert _uses() == 4


def test_a_key_left_pending_by_a_dead_request_is_taken_over_after_the_bound(client, time_machine):
    org = make_org(OrgKind.employer)
    token = make_token(make_user(org, Role.employer_admin))
    body = slot_body(make_municipality().id)
    headers = {**token["headers"], "Idempotency-Key": "crashed"}
    assert client.post("/api/v1/slots", json=body, headers=headers).status_code == 201
    # As a process killed after its INSERT would have left it: pending, no answer.
    run(IdempotentRequest.update({IdempotentRequest.status: 0}, force=True))
    run(Slot.delete().where(Slot.employer == org.id))
    assert client.post("/api/v1/slots", json=body, headers=headers).status_code == 409
    time_machine.move_to(now() + PENDING_FOR + dt.timedelta(seconds=1), tick=True)
    again = client.post("/api/v1/slots", json=body, headers=headers)
    assert again.status_code == 201, again.text
    assert run(Slot.count().where(Slot.employer == org.id)) == 1
    assert run(IdempotentRequest.select(IdempotentRequest.status).first())["status"] == 201


def test_the_purge_removes_old_answers_only(client):
    org = make_org(OrgKind.employer)
    moment = now()
    for age in (KEEP_ANSWERS + dt.timedelta(minutes=1), dt.timedelta(minutes=1)):
        run(
            IdempotentRequest.insert(
                IdempotentRequest(
                    scoped_key=str(age.total_seconds()),
                    organisation=org.id,
                    fingerprint="f",
                    created_at=moment - age,
                )
            )
        )
    assert run(purge_idempotency_keys(moment)) == 1
    assert run(IdempotentRequest.count()) == 1
