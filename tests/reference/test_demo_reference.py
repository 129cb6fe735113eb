"""The demo district's reference data: municipalities, programmes, and where the employers are."""

from __future__ import annotations

from portal.accounts.tables import Organisation
from portal.audit import chain
from portal.audit.tables import AuditEvent
from portal.demo import seed
from portal.reference import services
from portal.reference.tables import Municipality, Programme
from tests.conftest import run


def test_it_sets_up_the_districts_municipalities_and_programmes_once(app):
    run(seed())
    run(seed())
    municipalities = run(Municipality.select(Municipality.name, Municipality.ags))
    assert len(municipalities) == 5
    assert {"name": "Südhausen", "ags": "09999003"} in municipalities
    programmes = {row["name"] for row in run(Programme.select(Programme.name))}
    assert programmes == {
        "WIR-Fallmanagement",
        "Durchstarten in Ausbildung und Arbeit",
        "KAI – Kurs . Arbeit . Integration",
        "Jobcenter-Projekt Praktikum",
        "ESF-Modellprojekt Brücke (beendet)",
    }
    # The ended one was retired in the console: audited, and no longer offered.
    assert "ESF-Modellprojekt Brücke (beendet)" not in {
        row["name"] for row in run(services.programmes())
    }
    actions = [
        row["action"] for row in run(AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id))
    ]
    assert actions == ["programme.created", "programme.retired", "limit.changed"]
    assert run(chain.verify()).ok


def test_it_places_the_demo_employers_in_their_municipalities(app):
    run(seed())
    row = run(
        Organisation.select(Organisation.municipality.name)
        .where(Organisation.name == "Metallbau Schmidt GmbH")
        .first()
    )
    assert row == {"municipality.name": "Nordheim"}


def test_it_keeps_a_municipality_chosen_since(app):
    run(seed())
    osterfeld = run(Municipality.select().where(Municipality.name == "Osterfeld").first())
    run(
        Organisation.update({Organisation.municipality: osterfeld["id"]}).where(
            Organisation.name == "Metallbau Schmidt GmbH"
        )
    )
    run(seed())
    row = run(
        Organisation.select(Organisation.municipality.name)
        .where(Organisation.name == "Metallbau Schmidt GmbH")
        .first()
    )
    assert row == {"municipality.name": "Osterfeld"}
