"""A server-side request timeout (issue 14): a request still running after
REQUEST_TIMEOUT_SECONDS is stopped with a clear 503 page, its transaction rolled back; uploads
are left out."""

from __future__ import annotations

import time

import anyio
import pytest
from litestar import get
from litestar.testing import TestClient

from portal.accounts.tables import Organisation, OrgKind
from portal.app import create_app
from portal.auth import PUBLIC
from tests.conftest import run

pytestmark = pytest.mark.slow

STOPPED = "Das hat zu lange gedauert und wurde abgebrochen."


@get("/slow", name="test:slow", opt=PUBLIC)
async def slow() -> str:
    await anyio.sleep(10)
    return "too late"


@get("/slow-write", name="test:slow_write", opt=PUBLIC)
async def slow_write() -> str:
    async with Organisation._meta.db.transaction():
        await Organisation.insert(Organisation(kind=OrgKind.employer, name="Halbfertig GmbH"))
        await anyio.sleep(10)
    return "too late"


@get("/slow-upload", name="test:slow_upload", opt={**PUBLIC, "upload": True})
async def slow_upload() -> str:
    await anyio.sleep(1.5)
    return "stored"


def client_for(settings):
    app = create_app(settings.replace(request_timeout_seconds=1))
    for handler in (slow, slow_write, slow_upload):
        app.register(handler)
    return TestClient(app, base_url="http://testserver.local")


def test_it_stops_a_request_that_takes_too_long(settings):
    with client_for(settings) as client:
        started = time.monotonic()
        response = client.get("/slow")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert STOPPED in response.text
    assert "too late" not in response.text
    assert elapsed < 3, f"stopped after {elapsed:.1f} s"


def test_it_rolls_back_what_the_request_had_begun(settings):
    with client_for(settings) as client:
        response = client.get("/slow-write")
    assert response.status_code == 503
    assert run(Organisation.exists().where(Organisation.name == "Halbfertig GmbH")) is False


def test_it_lets_an_upload_take_longer(settings):
    with client_for(settings) as client:
        response = client.get("/slow-upload")
    assert response.status_code == 200
    assert response.text == "stored"


def test_it_answers_json_to_a_probe(settings):
    with client_for(settings) as client:
        response = client.get("/slow", headers={"accept": "application/json"})
    assert response.status_code == 503
    assert response.json() == {"status": 503}
