"""Rate limiting per token: over API_RATE_PER_MINUTE requests in a minute are answered 429
with Retry-After and problem details — counted in the process, or in Redis shared by every
process of the deployment."""

import datetime as dt

import pytest
import redis
from litestar.testing import TestClient

from portal.accounts.tables import OrgKind, Role
from portal.api.ratelimit import KEY_PREFIX
from portal.app import create_app
from portal.audit.tables import AuditEvent
from portal.clock import now
from tests.api.factories import make_token
from tests.conftest import run
from tests.factories import make_org, make_user


@pytest.fixture
def start_of_a_minute(time_machine):
    """The first second of a minute: three quick requests fall into one window."""
    moment = now().replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    time_machine.move_to(moment, tick=True)
    return moment


def _employer_token():
    return make_token(make_user(make_org(OrgKind.employer), Role.employer_admin))


def _answers(client, token, n):
    return [client.get("/api/v1/slots", headers=token["headers"]) for _ in range(n)]


def test_the_fourth_request_of_a_minute_gets_429_with_retry_after(
    settings, time_machine, start_of_a_minute
):
    app = create_app(settings.replace(api_rate_per_minute=3))
    token, other = _employer_token(), _employer_token()
    with TestClient(app) as client:
        answers = _answers(client, token, 4)
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        refused = answers[-1]
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.headers["ratelimit-limit"] == "3"
        assert refused.json()["status"] == 429 and refused.json()["title"] == "Zu viele Anfragen."
        # Per token: another organisation's token is not held back.
        assert _answers(client, other, 1)[0].status_code == 200
        # The refused request was not recorded as a use (one audit row: the first read).
        assert run(AuditEvent.count().where(AuditEvent.record_id == str(token["id"]))) == 1
        time_machine.move_to(now() + dt.timedelta(seconds=61), tick=True)
        assert _answers(client, token, 1)[0].status_code == 200


def test_two_processes_share_the_count_in_redis(settings, redis_url, start_of_a_minute):
    limited = settings.replace(api_rate_per_minute=3, redis_url=redis_url)
    one, two = create_app(limited), create_app(limited)
    token = _employer_token()
    with TestClient(one) as first, TestClient(two) as second:
        codes = [a.status_code for a in _answers(first, token, 2) + _answers(second, token, 2)]
    assert codes == [200, 200, 200, 429]
    keys = list(redis.Redis.from_url(redis_url).scan_iter(match=f"{KEY_PREFIX}{token['id']}:*"))
    assert len(keys) == 1


def test_the_api_description_documents_the_limit(client):
    document = client.get("/schema/openapi.json").json()
    assert "Retry-After" in document["info"]["description"]
    operations = [
        operation
        for path, item in document["paths"].items()
        if path.startswith("/api/")
        for operation in item.values()
    ]
    assert operations and all("429" in operation["responses"] for operation in operations)
