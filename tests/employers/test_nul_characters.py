"""A NUL character in any field is refused with a message next to it, nothing stored.

PostgreSQL refuses NUL in text (the insert would fail with a 500); SQLite would store it.
"""

import pytest

from portal.accounts.tables import Organisation
from tests.conftest import run
from tests.employers.forms import register
from tests.employers.slots import post_slot, slots_of
from tests.factories import login

NOT_ALLOWED = "Dieses Feld enthält ein Zeichen, das nicht erlaubt ist."


@pytest.mark.parametrize("field", ["title", "tasks", "contact_name", "requirements"])
def test_it_refuses_a_nul_character_in_the_slot_form(client, employer, admin, field):
    login(client, admin.email)
    response = post_slot(client, **{field: "Schwei\x00ßen"})
    assert response.status_code == 400
    assert NOT_ALLOWED in response.text
    assert slots_of(employer) == []


def test_it_refuses_a_nul_character_in_the_registration(client):
    response = register(client, company_name="Metallbau\x00 Kruse GmbH")
    assert response.status_code == 400
    assert NOT_ALLOWED in response.text
    assert not run(Organisation.exists().where(Organisation.name.like("Metallbau%")))
