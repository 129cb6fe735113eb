"""The employer's home: what waits for an answer, who starts, evaluations due, slots ending."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.clock import now, today
from tests.factories import login, make_slot
from tests.home.rows import put, section


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def test_it_lists_what_waits_each_linked_to_its_action(
    client: Any, employer: Any, slot: Any, agency: Any, alice: Any, erik: Any
) -> None:
    [waiting] = put("proposed", slot, agency, alice, created_at=now() - dt.timedelta(days=3))
    [starting] = put("preparing", slot, agency, alice, start_date=days(2), end_date=days(10))
    [later] = put("preparing", slot, agency, alice, start_date=days(9), end_date=days(15))
    [due] = put("in_progress", slot, agency, alice, start_date=days(-10), end_date=days(-1))
    ending = make_slot(employer, title="Lager kurz", start_date=days(-3), end_date=days(5))
    make_slot(employer, title="Lager lang", start_date=days(-3), end_date=days(20))
    login(client, erik.email)
    response = client.get("/")
    assert response.status_code == 200
    text = response.text
    assert "Willkommen, Erik Werkstatt" in text
    waiting_html = section(text, "waiting")
    assert f'href="/placements/{waiting}"' in waiting_html
    assert "wartet seit 3 Tagen" in waiting_html
    starting_html = section(text, "starting")
    assert f'href="/placements/{starting}"' in starting_html
    assert f"/placements/{later}" not in starting_html
    assert f'href="/placements/{due}/evaluation"' in section(text, "evaluations")
    ending_html = section(text, "ending")
    assert f'href="/slots/{ending.id}"' in ending_html and "endet in 5 Tagen" in ending_html
    assert "Lager lang" not in ending_html
    assert 'href="/slots/new"' in text
    assert '<span class="todo__count">1</span>' in waiting_html
    assert "Amina" not in text and "Haddad" not in text


def test_it_says_when_nothing_waits(client: Any, erik: Any) -> None:
    login(client, erik.email)
    text = client.get("/").text
    assert "Kein Vorschlag wartet auf Ihre Antwort." in text
    assert "Keine Beurteilung ist fällig." in text
    assert '<span class="todo__count">0</span>' in section(text, "ending")


def test_it_shows_an_employer_only_its_own(
    client: Any, slot: Any, agency: Any, alice: Any, fritz: Any
) -> None:
    put("proposed", slot, agency, alice)
    put("in_progress", slot, agency, alice, start_date=days(-10), end_date=days(-1))
    login(client, fritz.email)
    text = client.get("/").text
    for key in ("waiting", "starting", "evaluations", "ending"):
        assert '<span class="todo__count">0</span>' in section(text, key), key
    assert "/placements/" not in text


def test_it_shows_a_few_and_links_to_all_in_constant_queries(
    client: Any, employer: Any, slot: Any, agency: Any, alice: Any, erik: Any, queries: list[str]
) -> None:
    def count() -> int:
        queries.clear()
        assert client.get("/").status_code == 200
        return len(queries)

    def world(n: int) -> None:
        put("proposed", slot, agency, alice, n=n)
        put("accepted", slot, agency, alice, n=n, start_date=days(1), end_date=days(5))
        put("in_progress", slot, agency, alice, n=n, start_date=days(-9), end_date=days(0))
        for _ in range(n):
            make_slot(employer, start_date=days(1), end_date=days(3))

    login(client, erik.email)
    world(1)
    few = count()
    world(20)
    assert count() == few
    text = client.get("/").text
    waiting_html = section(text, "waiting")
    assert waiting_html.count("<li>") == 5
    assert '<span class="todo__count">21</span>' in waiting_html
    assert 'href="/nominations?section=new">Alle 21 anzeigen' in waiting_html
    assert 'href="/nominations?section=interns"' in section(text, "starting")
    assert 'href="/nominations?section=due"' in section(text, "evaluations")
    assert 'href="/slots?status=open"' in section(text, "ending")
