"""Programmes and municipalities in the console: list, add, rename, retire — never delete."""

from __future__ import annotations

import pytest

from portal.audit.tables import AuditEvent
from portal.reference import services
from portal.reference.tables import Municipality, Programme
from tests.conftest import run
from tests.factories import login, make_municipality, post_form


def programme(name="WIR-Fallmanagement", **fields):
    return run(services.add_programme(name, **fields))


def actions():
    return [
        row["action"] for row in run(AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id))
    ]


def test_it_lists_programmes_active_and_retired(client, operator):
    programme("WIR-Fallmanagement", description="Hessen")
    retired = programme("Durchstarten")
    run(Programme.update({Programme.active: False}).where(Programme.id == retired.id))
    login(client, operator.email)
    response = client.get("/admin/programmes")
    assert response.status_code == 200
    assert "WIR-Fallmanagement" in response.text and "Hessen" in response.text
    assert "stillgelegt" in response.text and "Wieder aktivieren" in response.text


def test_it_adds_a_programme_without_javascript(client, operator):
    login(client, operator.email)
    response = post_form(
        client, "/admin/programmes", {"name": "  KAI   Leipzig ", "description": ""}
    )
    assert "Das Programm KAI Leipzig wurde angelegt." in response.text
    assert run(Programme.select(Programme.name)) == [{"name": "KAI Leipzig"}]
    assert actions() == ["programme.created"]


def test_it_adds_a_programme_for_htmx_with_the_section_only(client, operator):
    login(client, operator.email)
    response = post_form(
        client,
        "/admin/programmes",
        {"name": "KAI", "description": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="reference-section"')
    assert "Das Programm KAI wurde angelegt." in response.text


@pytest.mark.parametrize("htmx", [False, True])
def test_it_refuses_a_duplicate_or_empty_name_in_german(client, operator, htmx):
    programme("WIR-Fallmanagement")
    login(client, operator.email)
    headers = {"HX-Request": "true"} if htmx else {}
    for name, message in [
        ("wir-fallmanagement", "Ein Programm namens wir-fallmanagement gibt es schon."),
        ("   ", "Bitte geben Sie den Namen des Programms an."),
        ("x" * 151, "Bitte verwenden Sie höchstens 150 Zeichen."),
        ("KAI\x00", "nicht erlaubt"),
    ]:
        response = post_form(client, "/admin/programmes", {"name": name}, headers=headers)
        assert response.status_code == (200 if htmx else 400)
        assert message in response.text, name
    assert run(Programme.count()) == 1
    assert actions() == ["programme.created"]


def test_it_renames_a_programme_and_audits_the_fields(client, operator):
    kept = programme("WIR")
    programme("KAI")
    login(client, operator.email)
    assert 'value="WIR"' in client.get(f"/admin/programmes/{kept.id}").text
    response = post_form(client, f"/admin/programmes/{kept.id}", {"name": "kai", "description": ""})
    assert response.status_code == 400
    assert "Ein Programm namens kai gibt es schon." in response.text
    response = post_form(
        client,
        f"/admin/programmes/{kept.id}",
        {"name": "WIR-Fallmanagement", "description": "Hessen"},
    )
    assert "Das Programm wurde gespeichert." in response.text
    row = run(Programme.select().where(Programme.id == kept.id).first())
    assert (row["name"], row["description"]) == ("WIR-Fallmanagement", "Hessen")
    event = run(AuditEvent.select().where(AuditEvent.action == "programme.changed").first())
    assert event["detail"] in (
        '{"fields":["description","name"]}',
        {"fields": ["description", "name"]},
    )
    assert event["actor_id"] == operator.id


def test_it_retires_and_reactivates_but_never_deletes(client, operator):
    kept = programme("WIR")
    login(client, operator.email)
    response = post_form(client, f"/admin/programmes/{kept.id}/retire", {})
    assert "wurde stillgelegt" in response.text
    assert run(services.programmes()) == []
    assert run(Programme.count()) == 1
    response = post_form(
        client, f"/admin/programmes/{kept.id}/reactivate", {}, headers={"HX-Request": "true"}
    )
    assert "ist wieder aktiv" in response.text
    assert [row["name"] for row in run(services.programmes())] == ["WIR"]
    assert actions() == ["programme.created", "programme.retired", "programme.reactivated"]


def test_it_answers_404_for_an_unknown_entry_or_change(client, operator):
    kept = programme("WIR")
    login(client, operator.email)
    assert client.get("/admin/programmes/999999").status_code == 404
    assert post_form(client, "/admin/programmes/999999/retire", {}).status_code == 404
    assert post_form(client, f"/admin/programmes/{kept.id}/delete", {}).status_code == 404
    assert post_form(client, "/admin/programmes/999999", {"name": "X"}).status_code == 404


def test_it_adds_renames_and_retires_a_municipality(client, operator):
    make_municipality("Leipzig", ags="14713000")
    login(client, operator.email)
    response = post_form(
        client, "/admin/municipalities", {"name": "Markkleeberg", "ags": "1472", "district": ""}
    )
    assert response.status_code == 400
    assert "Der Amtliche Gemeindeschlüssel (AGS) hat 8 Ziffern" in response.text
    assert 'id="error-ags"' in response.text
    response = post_form(
        client, "/admin/municipalities", {"name": "Markkleeberg", "ags": "14713000", "district": ""}
    )
    assert "Eine Gemeinde mit dem AGS 14713000 gibt es schon." in response.text
    response = post_form(
        client,
        "/admin/municipalities",
        {"name": "Markkleeberg", "ags": "14729270", "district": "Landkreis Leipzig"},
    )
    assert "Die Gemeinde Markkleeberg wurde angelegt." in response.text
    added = run(Municipality.select().where(Municipality.name == "Markkleeberg").first())
    response = post_form(
        client,
        f"/admin/municipalities/{added['id']}",
        {"name": "Markkleeberg (Stadt)", "ags": "14729270", "district": "Landkreis Leipzig"},
    )
    assert "Die Gemeinde wurde gespeichert." in response.text
    post_form(client, f"/admin/municipalities/{added['id']}/retire", {})
    assert "Markkleeberg (Stadt)" not in [row["name"] for row in run(services.municipalities())]
    assert actions() == ["municipality.created", "municipality.changed", "municipality.retired"]
