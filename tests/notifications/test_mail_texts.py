"""Every placement e-mail renders in German and English with the context it is sent with."""

from __future__ import annotations

import re

import pytest

from portal.placements.machine import TRANSITIONS
from portal.settings import ROOT, Settings
from portal.templating import create_environment
from portal.worker import render_outbox

BASE = {
    "placement_id": "0b7c4e5e-3a41-4c55-9d7e-1f2a3b4c5d6e",
    "code": "K-7Q4M2",
    "slot_title": "Praktikum Metallbau",
    "employer": "Metallbau Kassel GmbH",
    "agency": "Jobcenter Musterland",
}
# What each e-mail is given besides BASE: the machine's (action, reason), the jobs' own values.
EXTRA: dict[str, dict[str, object]] = {
    t.template: {"action": t.action, "reason": next(iter(t.reasons), "")}
    for t in TRANSITIONS.values()
    if t.template
}
EXTRA |= {
    "placement_identity_released": {"action": "release_identity"},
    "placement_message": {"action": "message"},
    "placement_reminder": {"action": "reminder", "state": "proposed", "since": "2026-03-02"},
    "placement_start_upcoming": {"action": "start_upcoming", "start_date": "2026-03-09"},
    "placement_evaluation_due": {"action": "evaluation_due", "end_date": "2026-03-20"},
    "placement_evaluation_link": {"action": "evaluation_link", "end_date": "2026-03-20"},
    "placement_follow_up_due": {"action": "follow_up_due", "months": 3},
    "placement_agreement_link": {"action": "agreement_link", "link_token": "s3cr3t"},
    "placement_first_day": {"start_date": "2026-03-09", "cancelled": False, "invitation": {}},
    "placement_console_reminder": {
        "action": "console_reminder",
        "state": "accepted",
        "since": "2026-03-02",
    },
}


def test_every_placement_template_has_a_text():
    files = {p.stem for p in (ROOT / "templates" / "mail").glob("placement_*.txt")}
    assert files == set(EXTRA)


@pytest.mark.parametrize("template", sorted(EXTRA))
def test_it_renders_in_both_languages(template):
    env = create_environment()  # StrictUndefined: a missing variable fails
    settings = Settings(base_url="https://portal.example.org")
    context = {**BASE, **EXTRA[template]}
    de = render_outbox(env, settings, template, "de", context)
    en = render_outbox(env, settings, template, "en", context)
    assert de[0] != en[0]
    assert de[1] != en[1]
    for subject, body in (de, en):
        assert subject and "\n" not in subject
        if template == "placement_agreement_link":  # to the intern, who has no account
            assert "https://portal.example.org/agreement/s3cr3t" in body
        else:
            assert f"https://portal.example.org/placements/{BASE['placement_id']}" in body
        assert "K-7Q4M2" in body
        assert not re.search(r"%\(|\{\{|\}\}|None|\n\n\n", body), body
    if EXTRA[template].get("reason"):
        [de_reason] = [line for line in de[1].splitlines() if line.startswith("Angegebener Grund:")]
        [en_reason] = [line for line in en[1].splitlines() if line.startswith("Reason given:")]
        assert de_reason.split(":")[1] != en_reason.split(":")[1]


def test_the_reminder_to_a_case_manager_is_about_the_request():
    context = {**BASE, **EXTRA["placement_reminder"], "state": "requested"}
    subject, body = render_outbox(
        create_environment(), Settings(), "placement_reminder", "en", context
    )
    assert subject == "Reminder: request for K-7Q4M2 waiting"
    assert "confirm or decline the request" in body
    assert "Mar 2, 2026" in body
