"""The scheduled jobs: each mail once, also with two workers; reminders once per period."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import Counter
from typing import Any

from portal.clock import today
from portal.notifications.tables import OutboxMessage
from portal.placements import machine
from portal.placements.jobs import run_jobs
from portal.placements.tables import FollowUp
from portal.reference.limits import save_limit
from portal.storage import storage_from_settings
from portal.templating import create_environment
from portal.worker import deliver_all
from tests.conftest import run
from tests.factories import make_candidate, make_slot
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.placements.session import as_user

TODAY = today()
IDENTITY = ("Amina", "Haddad", "1994", "17.05.")


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def jobs(settings: Any, today: dt.date, moment: dt.datetime | None = None) -> dict[str, int]:
    """One run of the jobs (the daily ones left out)."""
    storage = storage_from_settings(settings)
    return run(run_jobs(settings, storage, today=today, daily=False, moment=moment or noon(today)))


def mailed(settings: Any, mailbox: Any) -> dict[str, Any]:
    """Deliver what the jobs wrote; the messages by recipient."""
    mailbox.clear()
    run(deliver_all(settings, create_environment()))
    return {m["To"]: m for m in mailbox.messages}


def forget_transition_mails() -> None:
    """The mails the transitions wrote count as sent: the tests look at the jobs' own."""
    run(OutboxMessage.update({OutboxMessage.sent_at: noon(TODAY)}, force=True))


def place(state: str, employer: Any, agency: Any, alice: Any, erik: Any, **slot: Any) -> Any:
    candidate = make_candidate(agency, alice, status="active")
    consent(candidate)
    placement_id = make_placement(
        state,
        slot=make_slot(employer, **slot),
        candidate=candidate,
        case_worker=alice,
        employer_user=erik,
    )
    forget_transition_mails()
    return placement_id


def test_it_reminds_the_employer_once_per_period(
    app, settings, mailbox, employer, agency, alice, erik, emma
):
    place("proposed", employer, agency, alice, erik)
    now = noon(TODAY)
    assert jobs(settings, TODAY, now + dt.timedelta(days=4))["reminders"] == 0
    assert jobs(settings, TODAY, now + dt.timedelta(days=6))["reminders"] == 2
    sent = mailed(settings, mailbox)
    assert sent[erik.email]["Subject"].startswith("Erinnerung: Vorschlag für")
    assert sent[emma.email]["Subject"].startswith("Reminder: nomination of")
    assert jobs(settings, TODAY, now + dt.timedelta(days=6))["reminders"] == 0
    assert jobs(settings, TODAY, now + dt.timedelta(days=10))["reminders"] == 0
    assert jobs(settings, TODAY, now + dt.timedelta(days=12))["reminders"] == 2


def test_it_reminds_the_case_manager_of_an_open_request(
    app, settings, mailbox, slot, candidate, alice, erik
):
    run(machine.create(as_user(erik), "request", slot_id=slot.id, candidate_id=candidate.id))
    forget_transition_mails()
    assert jobs(settings, TODAY, noon(TODAY) + dt.timedelta(days=6))["reminders"] == 1
    assert list(mailed(settings, mailbox)) == [alice.email]
    assert mailbox.last_to(alice.email)["Subject"].startswith("Erinnerung: Anfrage für")


def test_it_tells_both_sides_before_the_start_once(
    app, settings, mailbox, employer, agency, alice, erik, emma
):
    place("preparing", employer, agency, alice, erik, start_date=TODAY + dt.timedelta(days=10))
    assert jobs(settings, TODAY + dt.timedelta(days=6))["start_notices"] == 0
    assert jobs(settings, TODAY + dt.timedelta(days=7))["start_notices"] == 3
    sent = mailed(settings, mailbox)
    assert set(sent) == {erik.email, emma.email, alice.email}
    assert sent[emma.email]["Subject"].startswith("Internship of")
    assert jobs(settings, TODAY + dt.timedelta(days=8))["start_notices"] == 0


def test_it_asks_the_employer_for_the_evaluation_once(
    app, settings, mailbox, employer, agency, alice, erik, emma
):
    end = TODAY + dt.timedelta(days=13)
    place("in_progress", employer, agency, alice, erik, start_date=TODAY, end_date=end)
    assert jobs(settings, end)["evaluations_due"] == 0
    assert jobs(settings, end + dt.timedelta(days=1))["evaluations_due"] == 2
    assert set(mailed(settings, mailbox)) == {erik.email, emma.email}
    assert jobs(settings, end + dt.timedelta(days=2))["evaluations_due"] == 0


def test_it_prompts_the_case_manager_for_the_follow_up_once(
    app, settings, mailbox, employer, agency, alice, erik
):
    placement_id = place("outcome", employer, agency, alice, erik)
    three_months = machine.add_months(TODAY, 3)
    assert jobs(settings, three_months - dt.timedelta(days=1))["follow_ups_due"] == 0
    assert jobs(settings, three_months)["follow_ups_due"] == 1
    assert "3 Monaten" in mailed(settings, mailbox)[alice.email]["Subject"]
    assert jobs(settings, three_months)["follow_ups_due"] == 0
    prompted = run(FollowUp.select().where(FollowUp.placement == placement_id))
    assert sorted(bool(f["prompted_at"]) for f in prompted) == [False, True]


def test_two_workers_at_once_tell_each_thing_once_without_an_identity(
    app, settings, mailbox, employer, agency, alice, erik, emma
):
    day = TODAY + dt.timedelta(days=44)
    place("proposed", employer, agency, alice, erik)  # waiting 44 days
    place("preparing", employer, agency, alice, erik, start_date=day + dt.timedelta(days=1))
    place("in_progress", employer, agency, alice, erik)  # ended on day 43
    follow_up = place("outcome", employer, agency, alice, erik)
    run(FollowUp.update({FollowUp.due_on: day}).where(FollowUp.placement == follow_up))
    storage = storage_from_settings(settings)
    barrier = threading.Barrier(2)
    counts: list[dict[str, int]] = []

    def worker() -> None:
        barrier.wait()
        counts.append(asyncio.run(run_jobs(settings, storage, today=day, moment=noon(day))))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    total = Counter[str]()
    for count in counts:
        total.update(count)
    assert total["reminders"] == 2
    assert total["start_notices"] == 3
    assert total["evaluations_due"] == 2
    assert total["follow_ups_due"] == 2  # both follow-ups (3 and 6 months) set due on `day`
    assert run(OutboxMessage.count().where(OutboxMessage.sent_at.is_null())) == 9
    mailbox.clear()
    run(deliver_all(settings, create_environment()))
    assert len(mailbox.messages) == 9
    for message in mailbox.messages:
        text = message["Subject"] + message.get_content()
        assert not any(part in text for part in IDENTITY), text
    german = {m["Subject"] for m in mailbox.messages if m["To"] in (erik.email, alice.email)}
    english = {m["Subject"] for m in mailbox.messages if m["To"] == emma.email}
    assert german & english == set()
    assert all(s.startswith(("Reminder", "Internship", "Evaluation")) for s in english)


def test_the_reminder_period_is_the_one_set_in_the_console(
    app, settings, mailbox, employer, agency, alice, erik, emma
):
    run(save_limit("reminder_days", 2, actor_id=None, actor_organisation_id=None))
    place("proposed", employer, agency, alice, erik)
    assert jobs(settings, TODAY, noon(TODAY) + dt.timedelta(days=1))["reminders"] == 0
    assert jobs(settings, TODAY, noon(TODAY) + dt.timedelta(days=3))["reminders"] == 2
