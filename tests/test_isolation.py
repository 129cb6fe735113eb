"""Every test starts from the template: what one test wrote, the next one does not see.

The tests of a worker share one database and one var folder (tests/conftest.py), so this
file's tests run in order in one worker (`--dist loadfile`): the first writes, the second
looks. Run alone, the second still passes (there is nothing to see), so the first also checks
that its writes did land.
"""

from __future__ import annotations

from typing import Any

from portal.accounts.tables import Organisation, OrgKind
from portal.audit.services import record
from portal.audit.tables import AuditEvent
from portal.reference.loading import read_kldb_csv
from portal.reference.tables import Occupation
from tests.conftest import run
from tests.factories import make_org

MARK = "Isolation probe GmbH"


def first_audit_id() -> int:
    run(record("isolation.probe", record_type="probe", record_id="1"))
    return run(AuditEvent.select(AuditEvent.id).first())["id"]


def occupation_name(code: str = "24412") -> str:
    return run(Occupation.select(Occupation.name).where(Occupation.code == code).first())["name"]


def test_it_writes_rows_a_reference_change_and_a_file(app: Any, settings: Any) -> None:
    original = occupation_name()
    make_org(OrgKind.employer, name=MARK)
    assert first_audit_id() == 1
    run(record("isolation.probe", record_type="probe", record_id="2"))
    run(Occupation.update({Occupation.name: "Umbenannt"}).where(Occupation.code == "24412"))
    (settings.var_dir / "probe.txt").parent.mkdir(parents=True, exist_ok=True)
    (settings.var_dir / "probe.txt").write_text("left behind")

    assert run(Organisation.count().where(Organisation.name == MARK)) == 1
    assert run(AuditEvent.count()) == 2
    assert occupation_name() == "Umbenannt" != original


def test_the_next_test_sees_none_of_it(app: Any, settings: Any) -> None:
    assert run(Organisation.count().where(Organisation.name == MARK)) == 0
    assert run(AuditEvent.count()) == 0
    # The reference data is the shipped classification again, and the sequences start anew.
    assert occupation_name() != "Umbenannt"
    assert run(Occupation.count()) == len(read_kldb_csv())
    assert first_audit_id() == 1
    assert not (settings.var_dir / "probe.txt").exists()
