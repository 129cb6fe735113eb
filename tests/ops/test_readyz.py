"""/healthz says the process is up; /readyz says whether the database and the storage answer."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from litestar.testing import TestClient

from portal.app import create_app
from tests.conftest import ENGINE, PG_ADMIN_URL, free_port
from tests.s3 import with_s3

pytestmark = pytest.mark.slow


@contextmanager
def client_for(settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://testserver.local") as client:
        yield client


def missing_database_url(tmp_path: Any) -> str:
    if ENGINE == "postgres":
        return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/portal_missing_{uuid.uuid4().hex[:10]}"
    # SQLite creates the file on connect, but it has no tables.
    return f"sqlite:///{tmp_path / 'empty.sqlite3'}"


def test_it_is_ready_when_database_and_disk_storage_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "portal_session" not in response.cookies


def test_it_is_ready_with_s3_storage(settings, s3_endpoint, s3_bucket):
    with client_for(with_s3(settings, s3_endpoint, s3_bucket)) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_names_the_database_when_it_is_gone(settings, tmp_path):
    with client_for(settings.replace(database_url=missing_database_url(tmp_path))) as client:
        response = client.get("/readyz")
        health = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["database"]}
    assert health.status_code == 200


def test_it_names_the_storage_when_the_bucket_is_missing(settings, s3_endpoint):
    with client_for(with_s3(settings, s3_endpoint, "no-such-bucket")) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]


def test_it_answers_quickly_when_s3_refuses_connections(settings):
    dead = f"http://127.0.0.1:{free_port()}"
    with client_for(with_s3(settings, dead, "documents")) as client:
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
        health = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]
    assert elapsed < 3, f"readyz took {elapsed:.1f} s"
    assert health.status_code == 200


@contextmanager
def silent_server(port: int = 0) -> Iterator[str]:
    """A TCP server that accepts connections and never answers (a hung server or proxy)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


def test_it_answers_within_seconds_when_s3_hangs(settings):
    with silent_server() as endpoint, client_for(with_s3(settings, endpoint, "docs")) as client:
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]
    assert elapsed < 4, f"readyz took {elapsed:.1f} s"


def test_it_names_both_when_both_are_gone(settings, tmp_path):
    broken = with_s3(settings, f"http://127.0.0.1:{free_port()}", "documents").replace(
        database_url=missing_database_url(tmp_path)
    )
    with client_for(broken) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database", "storage"]


def test_it_answers_within_seconds_when_the_database_hangs(settings):
    # Piccolo's PostgresEngine asks for the server version when it is built; a refused
    # connection lets it go on, a hung one would hold create_app for asyncpg's 60 s. So the
    # server starts hanging only after the app is built.
    port = free_port()
    hung = settings.replace(database_url=f"postgresql://postgres@127.0.0.1:{port}/portal")
    with client_for(hung) as client, silent_server(port):
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert elapsed < 4, f"readyz took {elapsed:.1f} s"
