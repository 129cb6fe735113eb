"""The free texts of the lifecycle are refused for their length before the PII guard reads them
(issue 14): the guard never runs on a text that is refused anyway."""

import pytest

from portal.candidates import pii
from portal.placements import checklist, forms, thread
from portal.placements.forms import COMMENT_LIMIT
from portal.placements.thread import BODY_MAX
from portal.placements.transitions import NOTE_LIMIT

HUGE = "Amina 0171 2345678 " * 50_000  # ~1 MB, personal data all through


@pytest.fixture(autouse=True)
def guard_must_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("the PII guard ran on a text that is too long")

    monkeypatch.setattr(pii, "find_personal_data", refuse)
    monkeypatch.setattr(checklist, "find_personal_data", refuse)


def test_it_refuses_a_long_evaluation_comment_for_its_length() -> None:
    data = {"attendance": "all", "recommendation": "hire", "comment": HUGE}
    evaluation, errors = forms.parse_evaluation(data, names=["Amina"])
    assert evaluation is None
    assert errors["comment"] == f"Bitte verwenden Sie höchstens {COMMENT_LIMIT} Zeichen."


def test_it_refuses_a_long_note_for_its_length() -> None:
    _, errors = forms.parse_input("nominate", {"note": HUGE}, names=["Amina"])
    assert str(NOTE_LIMIT) in errors["note"]


def test_it_refuses_a_long_thread_message_for_its_length() -> None:
    _, errors = thread.check_body({"body": HUGE}, names=["Amina"])
    assert errors["body"] == f"Bitte verwenden Sie höchstens {BODY_MAX} Zeichen."


def test_it_refuses_a_long_checklist_reference_for_its_length() -> None:
    answer, errors = checklist.parse_answer("insurance", {"insurance": HUGE}, "internship")
    assert answer is None
    assert "insurance" in errors
