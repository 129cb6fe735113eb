"""S3 unreachable (issue 14): uploads are refused with a clear message and nothing is kept,
everything else works, and /readyz names the storage."""

from __future__ import annotations

from litestar.testing import TestClient

from portal.app import create_app
from portal.candidates.tables import Document
from portal.placements.tables import Placement
from tests.candidates.documents import PDF
from tests.conftest import free_port, run
from tests.factories import csrf_token, login
from tests.ops.faults import make_world
from tests.s3 import with_s3

REFUSED = "Die Datei konnte nicht gespeichert werden. Es wurde nichts gespeichert."


def test_it_refuses_uploads_and_serves_the_rest_while_s3_is_unreachable(settings):
    dead = with_s3(settings, f"http://127.0.0.1:{free_port()}", "documents")
    app = create_app(dead)
    # The app first, then the records (tests/README.md).
    world = make_world(1, 1)
    [placement] = world.placements
    candidate = run(Placement.select(Placement.candidate).first())["candidate"]
    with TestClient(app, base_url="http://testserver.local") as client:
        login(client, world.case_worker.email)
        upload = client.post(
            f"/candidates/{candidate}/documents",
            data={"kind": "certificate", "_csrf_token": csrf_token(client)},
            files={"file": ("Zeugnis.pdf", PDF, "application/pdf")},
        )
        pages = [
            client.get(path).status_code
            for path in (
                f"/candidates/{candidate}",
                f"/candidates/{candidate}/documents",
                f"/placements/{placement}",
                "/placements",
            )
        ]
        ready = client.get("/readyz")
        health = client.get("/healthz")
        login(client, world.employer_user.email)
        accepted = client.post(
            f"/placements/{placement}/transition/accept",
            data={"_csrf_token": csrf_token(client)},
        )
    assert upload.status_code == 503
    assert REFUSED in upload.text and "Bitte versuchen Sie es später erneut." in upload.text
    assert run(Document.count()) == 0
    assert pages == [200, 200, 200, 200]
    assert accepted.status_code == 200
    assert run(Placement.select(Placement.state).first())["state"] == "accepted"
    assert ready.status_code == 503 and ready.json() == {
        "status": "unavailable",
        "failing": ["storage"],
    }
    assert health.status_code == 200
