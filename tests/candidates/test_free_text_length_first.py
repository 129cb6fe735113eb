"""The candidate's free texts are refused for their length before the PII guard reads them
(issue 14): the guard never runs on a text that is refused anyway."""

import pytest

from portal.candidates import identity, pii
from portal.candidates.profile_form import SUMMARY_LIMIT, check_profile_form
from portal.clock import today

HUGE = "Amina 0171 2345678 " * 50_000  # ~1 MB, personal data all through


@pytest.fixture(autouse=True)
def guard_must_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("the PII guard ran on a text that is too long")

    monkeypatch.setattr(pii, "find_personal_data", refuse)
    monkeypatch.setattr(identity, "find_personal_data", refuse)


def test_it_refuses_a_long_summary_for_its_length() -> None:
    errors, fields = check_profile_form(
        {"summary_text": HUGE}, on=today(), choices={}, municipality_ids=set(), names=["Amina"]
    )
    assert fields is None
    assert errors["summary_text"] == f"Bitte verwenden Sie höchstens {SUMMARY_LIMIT} Zeichen."


def test_it_refuses_a_long_reason_for_reading_an_identity_for_its_length() -> None:
    assert identity.check_reason(HUGE, names=["Amina"]) is not None
