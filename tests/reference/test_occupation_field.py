"""The occupation_field macro: the markup of the combobox and of the search without JavaScript."""

from __future__ import annotations

from typing import Any

from portal.reference.services import OccupationHit
from portal.templating import create_environment

CALL = (
    '{% from "macros/occupation.html" import occupation_field %}'
    '{{ occupation_field("occupation", "Beruf", values, errors) }}'
)


def render(values: dict[str, Any], errors: dict[str, str] | None = None) -> str:
    env = create_environment()
    # Litestar adds url_for to the environment of the app; the macro needs only this route.
    env.globals["url_for"] = lambda name, **_: {"reference:occupations": "/occupations"}[name]
    return env.from_string(CALL).render(values=values, errors=errors or {})


def test_it_renders_a_combobox_that_searches_as_you_type():
    html = render({"occupation": "24422", "occupation_query": "24422 – Schweißen (Fachkraft)"})
    assert '<input type="hidden" name="occupation" value="24422" data-picker-value>' in html
    assert 'id="field-occupation" name="occupation_query"' in html
    assert 'value="24422 – Schweißen (Fachkraft)"' in html
    for attribute in (
        'role="combobox"',
        'aria-autocomplete="list"',
        'aria-expanded="false"',
        'aria-controls="occupation-listbox"',
        'hx-get="/occupations"',
        'hx-trigger="input changed delay:250ms"',
        'hx-target="#occupation-listbox"',
        'hx-vals=\'{"field": "occupation"}\'',
    ):
        assert attribute in html, attribute
    assert '<ul id="occupation-listbox" role="listbox" aria-label="Beruf"' in html
    assert 'id="occupation-status" class="visually-hidden" role="status"' in html
    assert 'type="radio"' not in html


def test_it_offers_the_matches_as_radio_buttons_with_the_error():
    matches = [
        OccupationHit("24422", "Berufe in der Schweiß- und Verbindungstechnik – x", 5),
        OccupationHit("244", "Metallbau und Schweißtechnik", 3),
    ]
    html = render(
        {"occupation": "", "occupation_query": "Schwei", "occupation_matches": matches},
        {"occupation": "Mehrere Berufe passen. Bitte wählen Sie einen aus."},
    )
    assert 'id="error-occupation"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="hint-occupation error-occupation"' in html
    assert html.count('name="occupation_choice"') == 2
    assert 'value="244"' in html
    assert "244 – Metallbau und Schweißtechnik" in html
