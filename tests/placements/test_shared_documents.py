"""Shareable copies: the employer of a placement downloads them through the placement, audited;
nothing else of the candidate's documents, and no other employer."""

from __future__ import annotations

from typing import Any

import pytest

from portal.audit.tables import AuditEvent
from tests.candidates.documents import PDF, make_document
from tests.conftest import run
from tests.factories import login
from tests.placements.factories import make_placement


@pytest.fixture
def placement_id(slot: Any, candidate: Any, alice: Any, erik: Any) -> Any:
    return make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )


def _url(placement_id: Any, document: Any) -> str:
    return f"/placements/{placement_id}/documents/{document['id']}"


def test_it_lists_and_serves_a_shareable_copy_to_the_employer(
    client: Any, app: Any, placement_id: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    shared = make_document(app, candidate, alice, shareable=True, filename="Zeugnis-geschwärzt.pdf")
    private = make_document(app, candidate, alice, filename="Pass.pdf")
    login(client, erik.email)
    page = client.get(f"/placements/{placement_id}").text
    assert _url(placement_id, shared) in page and "Zeugnis-geschwärzt.pdf" in page
    assert "Pass.pdf" not in page and str(private["id"]) not in page
    response = client.get(_url(placement_id, shared))
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["cache-control"] == "no-store"
    event = run(AuditEvent.select().where(AuditEvent.action == "document.download").first())
    assert str(event["actor_id"]) == str(erik.id)
    assert str(placement_id) in str(event["detail"])
    # The case's own download route stays closed to the employer.
    assert client.get(f"/documents/{shared['id']}").status_code == 404


@pytest.mark.parametrize(("who", "shareable"), [("erik", False), ("fritz", True), ("bob", True)])
def test_it_refuses_a_private_document_and_everyone_else(
    client: Any, app: Any, request: Any, who: str, shareable: bool, placement_id: Any,
    candidate: Any, alice: Any,
) -> None:  # fmt: skip
    document = make_document(app, candidate, alice, shareable=shareable)
    login(client, request.getfixturevalue(who).email)
    assert client.get(_url(placement_id, document)).status_code == 404


def test_it_refuses_after_the_employer_declined(
    client: Any, app: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = make_placement(
        "declined", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    document = make_document(app, candidate, alice, shareable=True)
    login(client, erik.email)
    assert client.get(_url(placement_id, document)).status_code == 404
    assert "Freigegebene Dokumente" not in client.get(f"/placements/{placement_id}").text
