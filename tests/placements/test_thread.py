"""The conversation on a placement: both sides write, the PII guard applies, the other side is
told by e-mail without the text."""

from __future__ import annotations

from typing import Any

import pytest

from portal.notifications.tables import OutboxMessage
from portal.placements import machine
from portal.placements.tables import Message
from tests.conftest import run
from tests.factories import login, post_form
from tests.placements.factories import make_placement
from tests.placements.session import as_user


@pytest.fixture
def placement_id(slot: Any, candidate: Any, alice: Any, erik: Any) -> Any:
    return make_placement(
        "accepted", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )


def _send(client: Any, placement_id: Any, body: str, **kwargs: Any) -> Any:
    return post_form(client, f"/placements/{placement_id}/messages", {"body": body}, **kwargs)


@pytest.mark.parametrize("side", ["employer", "case_worker"])
def test_it_posts_a_message_and_tells_the_other_side_without_its_text(
    client: Any, side: str, placement_id: Any, alice: Any, erik: Any, emma: Any
) -> None:
    run(OutboxMessage.delete(force=True))
    author, told = (
        (erik, [alice.email]) if side == "employer" else (alice, [erik.email, emma.email])
    )
    login(client, author.email)
    response = _send(client, placement_id, "Können wir den Start um eine Woche verschieben?",
                     follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == f"/placements/{placement_id}#thread"
    row = run(Message.select().first())
    assert row["body"] == "Können wir den Start um eine Woche verschieben?"
    assert str(row["author"]) == str(author.id)
    mails = run(OutboxMessage.select())
    assert sorted(m["to_address"] for m in mails) == sorted(told)
    assert {m["template"] for m in mails} == {"placement_message"}
    assert "verschieben" not in str(mails)
    page = client.get(f"/placements/{placement_id}").text
    assert "Können wir den Start um eine Woche verschieben?" in page


@pytest.mark.parametrize(
    ("body", "released"),
    [
        ("", False),
        ("x" * 2001, False),
        ("Frau Haddad kommt am Montag.", False),  # the name before release
        ("Bitte rufen Sie 0561 1234567 an.", True),  # a phone number, also after release
        ("Schreiben Sie an amina@example.org.", True),
    ],
)
def test_it_refuses_an_empty_long_or_identifying_message(
    client: Any, body: str, released: bool, placement_id: Any, alice: Any, erik: Any
) -> None:
    if released:
        run(machine.release_identity(as_user(alice), placement_id, address=""))
    login(client, erik.email)
    response = _send(client, placement_id, body)
    assert response.status_code == 422
    assert 'id="error-body"' in response.text
    assert run(Message.count()) == 0


def test_it_allows_the_name_after_the_release(
    client: Any, placement_id: Any, alice: Any, erik: Any
) -> None:
    run(machine.release_identity(as_user(alice), placement_id, address=""))
    login(client, erik.email)
    assert _send(client, placement_id, "Frau Haddad ist herzlich willkommen.").status_code == 200
    assert run(Message.count()) == 1


@pytest.mark.parametrize(("who", "status"), [("bob", 404), ("fritz", 404), ("operator", 403)])
def test_it_refuses_everyone_not_on_a_side(
    client: Any, request: Any, who: str, status: int, placement_id: Any
) -> None:
    login(client, request.getfixturevalue(who).email)
    assert _send(client, placement_id, "Hallo").status_code == status
    assert run(Message.count()) == 0


def test_it_appends_the_message_for_htmx(client: Any, placement_id: Any, erik: Any) -> None:
    login(client, erik.email)
    response = _send(client, placement_id, "Alles vorbereitet.", headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.text.lstrip()
    assert text.startswith('<section id="thread"')
    assert 'aria-live="polite"' in text and "Alles vorbereitet." in text
    assert 'hx-swap-oob="innerHTML"' in text  # the notice in #messages


def test_it_lists_the_latest_messages_oldest_first(
    client: Any, placement_id: Any, alice: Any, erik: Any
) -> None:
    from portal.placements.thread import MESSAGE_CAP

    run(
        Message.insert(
            *(
                Message(placement=placement_id, author=alice.id, body=f"Nachricht Nummer {i:03}")
                for i in range(MESSAGE_CAP + 2)
            )
        )
    )
    login(client, erik.email)
    page = client.get(f"/placements/{placement_id}").text
    assert "Nachricht Nummer 000" not in page and "Nachricht Nummer 001" not in page
    assert page.index("Nachricht Nummer 002") < page.index(f"Nachricht Nummer {MESSAGE_CAP + 1:03}")
