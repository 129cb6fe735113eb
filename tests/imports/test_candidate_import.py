"""Importing cases with identities: the identity and profile checks of the forms (the PII guard
included) on every row; a file with errors changes nothing; the fixed file imports every row."""

from __future__ import annotations

import re
from typing import Any

from portal.audit import chain
from portal.audit.tables import AuditEvent
from portal.candidates.tables import Candidate, CandidateIdentity, CandidateOccupation
from tests.conftest import run
from tests.factories import csrf_token, login
from tests.imports.files import CASE_COLUMNS, case_row, csv_bytes, xlsx_bytes
from tests.imports.test_slot_import import PROBLEM

BATCH = re.compile(r'action="/candidates/import/([0-9a-f-]{36})"')


def upload(client: Any, data: bytes, name: str = "cases.csv") -> Any:
    return client.post(
        "/candidates/import",
        data={"_csrf_token": csrf_token(client)},
        files={"file": (name, data, "application/octet-stream")},
    )


BROKEN = [
    case_row(1),
    # The PII guard: the summary names the person, and carries a phone number.
    case_row(2, summary="Amina2 Haddad ist zuverlässig, Tel. 0341 1234567"),
    case_row(3, date_of_birth="31.02.1990", permit_status=""),
    case_row(4, german_level="D7", case_manager_email="nobody@example.org"),
    case_row(5, desired_occupation_1="99999", shift_work="manchmal"),
]


def test_a_file_with_errors_changes_nothing_and_lists_every_error(client, alice):
    login(client, alice.email)
    response = upload(client, csv_bytes(CASE_COLUMNS, BROKEN))
    assert response.status_code == 400
    found = set(PROBLEM.findall(response.text))
    assert {
        ("3", "summary"),
        ("4", "date_of_birth"),
        ("4", "permit_status"),
        ("5", "german_level"),
        ("5", "case_manager_email"),
        ("6", "desired_occupation_1"),
        ("6", "shift_work"),
    } <= found
    assert not any(row == "2" for row, _column in found)
    assert run(Candidate.count()) == 0 and run(CandidateIdentity.count()) == 0


def test_the_fixed_file_imports_every_case_with_identity_and_profile(client, alice, agency):
    fixed = [case_row(n) for n in range(1, 6)]
    login(client, alice.email)
    checked = upload(client, xlsx_bytes(CASE_COLUMNS, fixed), "cases.xlsx")
    assert checked.status_code == 200, PROBLEM.findall(checked.text)
    assert run(Candidate.count()) == 0
    batch = BATCH.search(checked.text).group(1)

    response = client.post(f"/candidates/import/{batch}", data={"_csrf_token": csrf_token(client)})
    assert response.status_code == 200 and "5 Zeilen wurden importiert" in response.text
    rows = run(Candidate.select())
    assert len(rows) == 5
    assert {row["organisation"] for row in rows} == {agency.id}
    assert {row["case_manager"] for row in rows} == {alice.id}
    assert {row["german_level"] for row in rows} == {"B1"}
    assert {row["permit_status"] for row in rows} == {"cleared"}
    assert run(CandidateIdentity.count()) == 5
    # Sealed: the names are not in the table as text.
    assert "Haddad" not in str(run(CandidateIdentity.select()))
    desired = run(CandidateOccupation.select().where(CandidateOccupation.kind == "desired"))
    assert len(desired) == 5 and {row["occupation"] for row in desired} == {"24412"}
    assert run(AuditEvent.count().where(AuditEvent.action == "candidate.create")) == 5
    profiled = run(AuditEvent.select().where(AuditEvent.action == "candidate.profile"))
    assert len(profiled) == 5 and "summary" in str(profiled[0]["detail"])
    assert run(chain.verify()).broken is None


def test_a_case_manager_cannot_assign_to_a_colleague_but_a_team_lead_can(
    client, alice, bob, team_lead
):
    rows = [case_row(1, case_manager_email=bob.email)]
    login(client, alice.email)
    refused = upload(client, csv_bytes(CASE_COLUMNS, rows))
    assert ("2", "case_manager_email") in PROBLEM.findall(refused.text)
    login(client, team_lead.email)
    checked = upload(client, csv_bytes(CASE_COLUMNS, rows))
    batch = BATCH.search(checked.text).group(1)
    client.post(f"/candidates/import/{batch}", data={"_csrf_token": csrf_token(client)})
    assert run(Candidate.select(Candidate.case_manager).first())["case_manager"] == bob.id


def test_an_employer_cannot_reach_the_case_import(client, erik):
    login(client, erik.email)
    assert client.get("/candidates/import").status_code == 403
    assert upload(client, csv_bytes(CASE_COLUMNS, [case_row(1)])).status_code == 403
