"""A complete, valid registration form; tests change one field at a time."""

from __future__ import annotations

from typing import Any

from tests.factories import post_form

STRONG_PASSWORD = "Schraubstock-Amboss-77"


def registration(**changes: str) -> dict[str, str]:
    data = {
        "company_name": "Metallbau Kruse GmbH",
        "street": "Werkstraße 5",
        "postcode": "04109",
        "city": "Leipzig",
        "sector": "Metall- und Stahlbau",
        "size_class": "small",
        "chamber": "hwk",
        "display_name": "Karla Kruse",
        "email": "karla@kruse.example.org",
        "password": STRONG_PASSWORD,
        "password_again": STRONG_PASSWORD,
        "privacy": "yes",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def register(client: Any, **changes: str) -> Any:
    return post_form(client, "/register", registration(**changes))
