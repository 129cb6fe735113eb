"""`portal erase-expired`: cases erased RETENTION_MONTHS after they were closed or consent was
withdrawn; `--dry-run` lists them and changes nothing."""

import datetime as dt

import pytest

from portal.candidates.privacy import (
    RetentionReason,
    add_months,
    erase_candidate,
    erase_expired,
    erasure_due,
)
from portal.candidates.tables import CandidateIdentity, CandidateStatus, Document
from portal.clock import now
from tests.candidates.privacy import audit_events, is_stored, make_document, portal
from tests.conftest import run
from tests.factories import make_candidate


def months_ago(months, days=0):
    return add_months(now(), -months) - dt.timedelta(days=days)


@pytest.fixture
def cases(app, agency, alice):
    """One case of every kind, by what should happen to it after six months."""
    storage = app.state["storage"]

    def case(code, status, retention_from):
        closed = retention_from if status == CandidateStatus.closed else None
        return make_candidate(
            agency,
            alice,
            code=code,
            status=status,
            retention_from=retention_from,
            closed_at=closed,
        )

    made = {
        "closed seven months ago": case("K-CL7M-22", CandidateStatus.closed, months_ago(7)),
        "withdrawn six months and a day ago": case(
            "K-WD7M-22", CandidateStatus.paused, months_ago(6, 1)
        ),
        "closed five months ago": case("K-CL5M-22", CandidateStatus.closed, months_ago(5)),
        "active": case("K-ACTV-22", CandidateStatus.active, None),
    }
    made["erased"] = case("K-ERSD-22", CandidateStatus.closed, months_ago(9))
    run(erase_candidate(made["erased"].id, storage))
    make_document(made["closed seven months ago"], storage)
    return made


def identities(cases):
    codes = {
        row["candidate.code"]
        for row in run(CandidateIdentity.select(CandidateIdentity.candidate.code))
    }
    return {name for name, case in cases.items() if case.code in codes}


KEPT = {"closed five months ago", "active"}
DUE = {"closed seven months ago", "withdrawn six months and a day ago"}


def test_it_lists_what_is_due_in_a_dry_run_and_changes_nothing(app, cases, settings):
    result = run(erase_expired(settings, app.state["storage"], dry_run=True))
    assert [(due.code, due.reason) for due in result.due] == [
        ("K-CL7M-22", RetentionReason.closed),
        ("K-WD7M-22", RetentionReason.consent_withdrawn),
    ]
    assert result.due[0].organisation == "Jobcenter Musterland"
    assert result.erased == 0
    assert identities(cases) == KEPT | DUE


def test_it_erases_what_is_due_and_nothing_else(app, cases, settings):
    result = run(erase_expired(settings, app.state["storage"], dry_run=False))
    assert (result.erased, result.failed) == (2, [])
    assert identities(cases) == KEPT
    for name in DUE:
        (event,) = audit_events(cases[name].id, "candidate.erase")
        assert event["actor_id"] is None
    assert audit_events(cases["closed five months ago"].id, "candidate.erase") == []


def test_a_shorter_retention_period_erases_more(app, cases, settings):
    result = run(
        erase_expired(settings.replace(retention_months=4), app.state["storage"], dry_run=False)
    )
    assert result.erased == 3
    assert identities(cases) == {"active"}


def test_the_command_lists_then_erases_and_is_safe_to_repeat(app, cases, settings, tmp_path):
    storage = app.state["storage"]
    (document,) = run(Document.select(Document.storage_key).output(as_list=True))
    dry = portal(settings, tmp_path, "erase-expired", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "K-CL7M-22  Jobcenter Musterland  case closed since" in dry.stdout
    assert "K-WD7M-22  Jobcenter Musterland  consent withdrawn since" in dry.stdout
    assert "K-CL5M-22" not in dry.stdout and "K-ERSD-22" not in dry.stdout
    assert "2 candidate(s) would be erased (dry run: nothing changed)." in dry.stdout
    assert identities(cases) == KEPT | DUE
    assert is_stored(storage, document)

    first = portal(settings, tmp_path, "erase-expired")
    assert first.returncode == 0, first.stderr
    assert "2 candidate(s) erased." in first.stdout
    assert identities(cases) == KEPT
    assert not is_stored(storage, document)

    second = portal(settings, tmp_path, "erase-expired")
    assert second.returncode == 0, second.stderr
    assert "0 candidate(s) erased." in second.stdout


def test_the_command_reads_the_retention_period_from_the_settings(app, cases, settings, tmp_path):
    result = portal(settings, tmp_path, "erase-expired", "--dry-run", RETENTION_MONTHS="8")
    assert result.returncode == 0, result.stderr
    assert "0 candidate(s) would be erased" in result.stdout


def test_the_due_date_is_the_retention_period_after_its_start(app, agency, alice):
    start = dt.datetime(2026, 8, 31, 12, tzinfo=dt.UTC)
    row = {"retention_from": start, "erased_at": None}
    assert erasure_due(row, 6) == dt.datetime(2027, 2, 28, 12, tzinfo=dt.UTC)
    assert erasure_due({"retention_from": None, "erased_at": None}, 6) is None
    assert erasure_due({"retention_from": start, "erased_at": start}, 6) is None


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (dt.datetime(2026, 1, 31), 1, dt.datetime(2026, 2, 28)),
        (dt.datetime(2024, 1, 31), 1, dt.datetime(2024, 2, 29)),
        (dt.datetime(2026, 11, 15), 6, dt.datetime(2027, 5, 15)),
        (dt.datetime(2026, 3, 31), -6, dt.datetime(2025, 9, 30)),
        (dt.datetime(2026, 6, 1), -6, dt.datetime(2025, 12, 1)),
    ],
)
def test_it_counts_calendar_months(moment, months, expected):
    assert add_months(moment, months) == expected
