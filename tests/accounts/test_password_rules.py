import pytest

from portal.accounts.passwords import password_problems
from portal.i18n import set_language


@pytest.fixture(autouse=True)
def german():
    set_language("de")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("kurz-1", "Verwenden Sie mindestens 12 Zeichen."),
        ("password1234", "Dieses Passwort ist zu verbreitet."),
        ("Passwort2024!", "Dieses Passwort ist zu verbreitet."),
        ("aaaaaaaaaaaaaaaa", "Dieses Passwort ist zu verbreitet."),
        ("karla.kruse-Werkbank", "Das Passwort darf Ihre E-Mail-Adresse nicht enthalten."),
    ],
)
def test_it_refuses_a_weak_password(password, problem):
    assert any(problem in text for text in password_problems(password, "karla.kruse@example.org"))


def test_it_accepts_a_long_uncommon_password():
    assert password_problems("Drehbank-Spindel-77", "karla.kruse@example.org") == []
