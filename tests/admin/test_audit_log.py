"""The console's audit log: filters, keyset pages, htmx, the CSV — and never a free text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from portal.accounts.tables import OrgKind, Role
from portal.audit.services import record
from portal.clock import now, today
from tests.conftest import run
from tests.factories import login, make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement

FREE_TEXT = "Rückfrage beim Jobcenter Nord wegen Zeugnis"


def audit(action, record_type="thing", record_id="1", actor=None, **detail):
    run(
        record(
            action,
            record_type=record_type,
            record_id=record_id,
            actor_id=actor.id if actor else None,
            actor_organisation_id=actor.organisation if actor else None,
            address="192.0.2.7",
            **detail,
        )
    )


def rows(response):
    return response.text.count('<th scope="row"')


def test_it_shows_who_did_what_to_which_record(client, operator):
    agency = make_org(OrgKind.case_management, name="Träger Nord e. V.")
    felix = make_user(agency, Role.case_manager, name="Felix Fallmanager")
    case = make_candidate(agency, felix, code="K-AB12-CD")
    audit("identity.read", "candidate", str(case.id), felix, reason=FREE_TEXT)
    audit("placement.declined", "placement", "9", felix, reason="no_capacity")
    login(client, operator.email)
    response = client.get("/admin/audit")
    assert response.status_code == 200
    assert rows(response) == 2
    for shown in ("Felix Fallmanager", "Träger Nord e. V.", "identity.read", "K-AB12-CD",
                  "192.0.2.7", "no_capacity", "(Freitext, nicht angezeigt)"):  # fmt: skip
        assert shown in response.text
    assert FREE_TEXT not in response.text
    assert "Haddad" not in response.text and "Amina" not in response.text


def test_a_candidates_code_finds_the_case_and_its_placements(client, operator):
    agency = make_org(OrgKind.case_management)
    felix = make_user(agency, Role.case_manager)
    employer = make_org(name="Metallbau Kruse")
    case = make_candidate(agency, felix, code="K-AB12-CD", occupations=("24412",), status="active")
    consent(case)
    make_placement(
        "accepted",
        slot=make_slot(employer),
        candidate=case,
        case_worker=felix,
        employer_user=make_user(employer, Role.employer_admin),
    )
    audit("candidate.profile", "candidate", str(case.id), felix)
    audit("candidate.profile", "candidate", str(make_candidate(agency, felix).id), felix)
    login(client, operator.email)
    response = client.get("/admin/audit", params={"record": "K-AB12-CD"})
    assert "placement.nominate" in response.text and "placement.accept" in response.text
    assert rows(response) == 1 + len(re.findall(r"<code>placement\.", response.text))
    assert response.text.count("K-AB12-CD</a>") == rows(response)


def test_it_filters_by_actor_organisation_record_and_action(client, operator):
    agency = make_org(OrgKind.case_management, name="Träger Nord e. V.")
    felix = make_user(agency, Role.case_manager, name="Felix Fallmanager", email="f@nord.example")
    other = make_user(make_org(name="Metallbau Kruse"), Role.employer_admin, name="Karla")
    case = make_candidate(agency, felix, code="K-AB12-CD")
    audit("candidate.profile", "candidate", str(case.id), felix)
    audit("placement.accepted", "placement", "p-1", other)
    audit("placement.declined", "placement", "p-2", other)
    audit("slot.created", "slot", "s-1", other)
    login(client, operator.email)

    def shown(**params):
        return rows(client.get("/admin/audit", params=params))

    assert shown(actor="F@Nord.example") == 1
    assert shown(actor=str(other.id)) == 3
    assert shown(actor="nobody@example.org") == 0
    assert shown(organisation="Metallbau Kruse") == 3
    assert shown(organisation=str(agency.id)) == 1
    assert shown(record="k-ab12-cd") == 1
    assert shown(record="p-2") == 1
    assert shown(action="placement.*") == 2
    assert shown(action="placement.accepted") == 2 - 1
    assert shown(action="placement.*", actor=str(other.id), record="p-1") == 1


def test_it_filters_by_period_in_local_days(client, operator, time_machine):
    moment = now()
    time_machine.move_to(moment - dt.timedelta(days=10), tick=True)
    audit("test.old")
    time_machine.move_to(moment, tick=True)
    audit("test.new")
    login(client, operator.email)
    day = today()
    response = client.get("/admin/audit", params={"start": day.isoformat()})
    assert "test.new" in response.text and "test.old" not in response.text
    old = (day - dt.timedelta(days=10)).strftime("%d.%m.%Y")
    response = client.get("/admin/audit", params={"start": old, "end": old})
    assert "test.old" in response.text and "test.new" not in response.text


def test_it_explains_a_bad_filter_in_german_and_shows_nothing(client, operator):
    audit("test.event")
    login(client, operator.email)
    for params, message in [
        ({"start": "31.02.2027"}, "Bitte geben Sie ein Datum an, z. B. 31.01.2027."),
        ({"start": "2027-02-02", "end": "2027-02-01"}, "Das Ende des Zeitraums liegt vor"),
        ({"record": "K-ZZZZ-ZZ"}, "Es gibt keinen Fall mit dem Code K-ZZZZ-ZZ."),
        ({"organisation": "Niemand GmbH"}, "Es gibt keine Organisation mit diesem Namen."),
        ({"action": "drop table;"}, "Geben Sie eine Aktion an"),
    ]:
        response = client.get("/admin/audit", params=params)
        assert response.status_code == 400, params
        assert message in response.text, params
        assert rows(response) == 0


def test_it_pages_newest_first_without_gaps_or_overlaps(client, operator):
    for number in range(120):
        audit("test.event", record_id=f"r{number:03d}")
    login(client, operator.email)
    seen = []
    response = client.get("/admin/audit")
    while True:
        seen += re.findall(r"record=(r\d{3})", response.text)
        older = re.search(r'href="(/admin/audit\?before=\d+)" rel="next"', response.text)
        if not older:
            break
        response = client.get(older.group(1))
    assert seen == [f"r{number:03d}" for number in reversed(range(120))]
    newer = re.search(r'href="(/admin/audit\?after=\d+)" rel="prev"', response.text)
    assert newer
    back = client.get(newer.group(1).replace("&amp;", "&"))
    assert re.findall(r"record=(r\d{3})", back.text)[0] == "r069"


def test_it_returns_only_the_results_for_htmx(client, operator):
    audit("test.event")
    login(client, operator.email)
    response = client.get("/admin/audit?action=test.*", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="audit-results"')
    assert "<html" not in response.text and "test.event" in response.text


def test_the_csv_holds_every_row_of_the_filter_and_no_free_text(client, operator):
    agency = make_org(OrgKind.case_management)
    felix = make_user(agency, Role.case_manager, name="Felix Fallmanager")
    case = make_candidate(agency, felix, code="K-AB12-CD")
    audit("identity.read", "candidate", str(case.id), felix, reason=FREE_TEXT)
    for number in range(60):
        audit("test.event", record_id=f"=cmd{number}")
    login(client, operator.email)
    response = client.get("/admin/audit.csv?action=test.*")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert table[0][:3] == ["Eintrag", "Zeitpunkt", "Handelnde Person"]
    assert len(table) == 61
    assert table[1][6] == "'=cmd59"  # no formula for a spreadsheet
    everything = client.get("/admin/audit.csv").text
    assert "K-AB12-CD" in everything and "Felix Fallmanager" in everything
    assert FREE_TEXT not in everything and "Haddad" not in everything


def test_it_needs_the_same_number_of_queries_for_10_and_200_rows(client, operator, queries):
    agency = make_org(OrgKind.case_management)
    felix = make_user(agency, Role.case_manager)
    cases = [make_candidate(agency, felix) for _ in range(5)]
    login(client, operator.email)

    def measured(count):
        for number in range(count // 2):
            case = cases[number % len(cases)]
            audit("candidate.profile", "candidate", str(case.id), felix, fields=["x"])
            audit("placement.accepted", "placement", str(case.id), felix)
        queries.clear()
        response = client.get("/admin/audit", params={"actor": felix.email, "record": ""})
        assert response.status_code == 200
        return len(queries)

    assert measured(10) == measured(200)
