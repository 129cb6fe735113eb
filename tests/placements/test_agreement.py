"""The internship agreement: a printable page in German from the placement's data, the intern's
name only for those who may read it (audited), and the upload of the signed copy."""

from __future__ import annotations

import pytest

from portal.accounts.tables import User
from portal.audit.tables import AuditEvent
from portal.candidates.tables import Document
from portal.employers.tables import SlotKind
from portal.placements import machine
from portal.placements.tables import ChecklistItem
from tests import files
from tests.candidates.documents import HTML, PDF, stored_objects
from tests.conftest import run
from tests.factories import csrf_token, login, make_slot
from tests.placements.factories import make_placement
from tests.placements.session import as_user


def url(placement_id):
    return f"/placements/{placement_id}/agreement"


def place(state, slot, candidate, alice, erik):
    return make_placement(
        state, slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )


@pytest.fixture
def preparing(slot, candidate, alice, erik):
    return place("preparing", slot, candidate, alice, erik)


def identity_reads(user):
    return run(
        AuditEvent.select().where(
            (AuditEvent.action == "identity.read") & (AuditEvent.actor_id == user.id)
        )
    )


def upload(client, placement_id, content=PDF, filename="Vereinbarung.pdf"):
    return client.post(
        url(placement_id),
        data={"_csrf_token": csrf_token(client)},
        files={"file": (filename, content, "application/pdf")},
    )


def test_it_prints_the_agreement_in_german_with_the_name_for_the_case_manager(
    client, alice, candidate, preparing
):
    run(User.update({User.language: "en"}).where(User.id == alice.id))
    login(client, alice.email)
    text = client.get(url(preparing)).text
    assert "Back to the placement" in text  # the page around it speaks the user's language
    assert 'lang="de"' in text
    assert "Praktikumsvereinbarung" in text
    assert "Metallbau Kassel GmbH" in text and "Jobcenter Musterland" in text
    assert "Name: Amina Haddad" in text
    assert "jederzeit ohne Einhaltung einer Frist" in text
    assert "Unterschrift Praktikantin / Praktikant" in text
    [read] = identity_reads(alice)
    assert (read["record_type"], read["record_id"]) == ("candidate", str(candidate.id))


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        (SlotKind.orientation_internship, "§ 22 Abs. 1 Satz 2 Nr. 2 Mindestlohngesetz"),
        (SlotKind.employer_measure, "§ 45 Abs. 1 Satz 1 Nr. 1 SGB III"),
        (SlotKind.job_shadowing, "Hospitation ohne Beschäftigungsverhältnis"),
        (SlotKind.training_slot, "Praktikum auf einem Ausbildungsplatz"),
    ],
)
def test_it_names_the_legal_form_of_the_slot(
    client, alice, erik, employer, candidate, kind, phrase
):
    slot = make_slot(employer, kind=kind, tasks="Schweißnähte vorbereiten")
    placement = place("accepted", slot, candidate, alice, erik)
    if kind == SlotKind.employer_measure:
        run(
            ChecklistItem.insert(
                ChecklistItem(placement=placement, item="approval", value="JC-0815")
            )
        )
    login(client, alice.email)
    text = client.get(url(placement)).text
    assert phrase in text
    assert "Schweißnähte vorbereiten" in text
    if kind == SlotKind.employer_measure:
        assert "JC-0815" in text


def test_it_leaves_a_blank_line_for_the_employer_before_the_release(client, erik, preparing):
    login(client, erik.email)
    text = client.get(url(preparing)).text
    assert "Name: ____" in text
    assert "Haddad" not in text
    assert identity_reads(erik) == []


def test_it_shows_the_name_to_the_employer_after_the_release(client, alice, erik, preparing):
    run(machine.release_identity(as_user(alice), preparing, address=""))
    login(client, erik.email)
    assert "Name: Amina Haddad" in client.get(url(preparing)).text
    assert len(identity_reads(erik)) == 1


def test_it_asks_a_team_lead_for_a_reason_before_the_name(client, team_lead, preparing):
    login(client, team_lead.email)
    text = client.get(url(preparing)).text
    assert "Name: ____" in text and "Haddad" not in text


def test_it_is_not_there_before_the_acceptance(client, alice, slot, candidate, erik):
    placement = place("proposed", slot, candidate, alice, erik)
    login(client, alice.email)
    response = client.get(url(placement))
    assert response.status_code == 409
    assert "sobald der Betrieb die Person angenommen hat" in response.text


def test_it_stores_the_signed_copy_and_confirms_the_item(client, alice, candidate, preparing):
    login(client, alice.email)
    response = upload(client, preparing)
    assert response.status_code == 200
    assert "Die unterschriebene Vereinbarung wurde hochgeladen" in response.text
    [document] = run(Document.select().where(Document.candidate == candidate.id))
    assert (document["kind"], document["shareable"]) == ("agreement", False)
    item = run(ChecklistItem.select().where(ChecklistItem.placement == preparing).first())
    assert (item["item"], item["document"], item["confirmed_by"]) == (
        "agreement", document["id"], alice.id,
    )  # fmt: skip


def test_it_refuses_a_file_that_is_no_pdf(client, alice, candidate, preparing):
    login(client, alice.email)
    response = upload(client, preparing, HTML, "Vertrag.pdf")
    assert response.status_code == 400
    assert "nur PDF-, PNG- und JPEG-Dateien" in response.text
    assert run(Document.count().where(Document.candidate == candidate.id)) == 0
    assert run(ChecklistItem.count().where(ChecklistItem.placement == preparing)) == 0


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("erik", 200, 403),
        ("bob", 404, 404),
        ("charlie", 404, 404),
        ("fritz", 404, 404),
        ("operator", 403, 403),
        ("statistician", 403, 403),
    ],
)
def test_it_lets_only_the_sides_read_and_the_case_worker_upload(
    client, request, candidate, preparing, persona, read, write
):
    login(client, request.getfixturevalue(persona).email)
    assert client.get(url(preparing)).status_code == read
    assert upload(client, preparing).status_code == write
    assert run(Document.count().where(Document.candidate == candidate.id)) == 0


def test_it_refuses_a_signed_copy_with_active_content(client, settings, alice, preparing):
    login(client, alice.email)
    response = upload(client, preparing, content=files.with_launch())
    assert response.status_code == 400
    assert "Diese PDF-Datei enthält aktive Inhalte" in response.text
    assert run(Document.select()) == []
    assert stored_objects(settings) == []
