"""`/healthz` answers within 100 ms while worst-case requests run (issue 14).

Against the real app over HTTP (uvicorn in a thread, as tests/browser does): profile posts just
under the body limit, full of what the PII guard's patterns look for, are sent one after the
other from two threads, with logins (argon2) among them; meanwhile /healthz is asked again and
again. Before issue 14 one such post kept the event loop busy for minutes. Measured here: 30–50
answers during six posts and six logins, the slowest 18–26 ms (SQLite and PostgreSQL).
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.candidates.profiles import profile_form
from tests.factories import PASSWORD, csrf_token
from tests.live import serve

# About 200 KB once urlencoded: under the body limit, so that it reaches the form's checks.
WORST_SUMMARY = "Ab-" * 20_000 + "0 (0" * 10_000 + "a.b-c+d_" * 8_000


@pytest.fixture
def live_server(settings: Any, mailbox: Any, worker_database: Any) -> Iterator[str]:
    with serve(settings, worker_database) as url:
        yield url


def _logged_in(url: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "_csrf_token": token}
    )
    assert response.status_code == 303
    assert "portal_session" in client.cookies
    return client


def test_it_answers_healthz_within_100_ms_during_worst_case_requests(live_server, alice, candidate):
    done = threading.Event()
    statuses: list[int] = []

    def attack() -> None:
        client = _logged_in(live_server, alice.email)
        # Encoded once: the attackers share the test process's GIL with the server, and
        # encoding 200 KB in Python on every round would slow the server, not the request.
        body = urlencode(
            profile_form(summary_text=WORST_SUMMARY, _csrf_token=client.cookies["portal_csrf"])
        ).encode()
        form = {"content-type": "application/x-www-form-urlencoded"}
        try:
            while not done.is_set():
                response = client.post(
                    f"/candidates/{candidate.id}/profile", content=body, headers=form
                )
                statuses.append(response.status_code)
                _logged_in(live_server, alice.email).close()  # argon2 verification
        finally:
            client.close()

    # Warm: the first render compiles the templates and loads Babel's data on the event loop
    # (~0.2 s, once per process); that is start-up, not the work of a request.
    warm = _logged_in(live_server, alice.email)
    warm.get(f"/candidates/{candidate.id}/profile")
    warm.close()
    attackers = [threading.Thread(target=attack) for _ in range(2)]
    for attacker in attackers:
        attacker.start()
    timings = []
    deadline = time.monotonic() + 60
    try:
        while len(statuses) < 6 and time.monotonic() < deadline:
            assert any(attacker.is_alive() for attacker in attackers), "the attackers failed"
            started = time.perf_counter()
            with urllib.request.urlopen(f"{live_server}/healthz", timeout=5) as response:  # noqa: S310
                assert response.status == 200
            timings.append(time.perf_counter() - started)
            time.sleep(0.005)
    finally:
        done.set()
        for attacker in attackers:
            attacker.join(timeout=30)
    assert set(statuses) == {400}  # refused for its length, nothing saved
    assert len(timings) > 10
    # Answered throughout: nine in ten within 100 ms, none after 500 ms (the stall this guards
    # against lasted minutes; a single answer a few ms over 100 while the other test worker
    # shares the two cores is not one).
    ordered = sorted(timings)
    assert ordered[int(len(ordered) * 0.9) - 1] < 0.1, [round(t, 3) for t in timings]
    assert ordered[-1] < 0.5, [round(t, 3) for t in timings]
