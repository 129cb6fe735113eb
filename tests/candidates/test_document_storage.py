"""The same document round trip on both storages: the disk and S3 (a real moto server)."""

import pytest

from tests.candidates.documents import (
    PDF,
    PNG,
    STORAGES,
    document_rows,
    stored_keys,
    stored_objects,
    upload,
    with_storage,
)
from tests.factories import login, post_form


@pytest.fixture(params=STORAGES)
def settings(request, settings):
    return with_storage(request, settings)


def test_it_stores_serves_and_deletes_a_document(client, app, settings, alice, candidate):
    assert app.state["storage"].name == ("s3" if settings.uses_s3 else "disk")
    login(client, alice.email)
    upload(client, candidate, PDF, "Zeugnis.pdf")
    upload(client, candidate, PNG, "Foto.png", kind="other")
    pdf, png = document_rows(candidate)
    assert sorted(stored_objects(settings)) == sorted([PDF, PNG])
    assert client.get(f"/documents/{pdf['id']}").content == PDF
    assert client.get(f"/documents/{png['id']}").content == PNG
    post_form(client, f"/documents/{pdf['id']}/delete", {})
    assert [row["id"] for row in document_rows()] == [png["id"]]
    assert stored_objects(settings) == [PNG]
    assert client.get(f"/documents/{pdf['id']}").status_code == 404


def test_it_keeps_each_object_under_its_own_key(client, settings, alice, candidate):
    login(client, alice.email)
    for _ in range(3):
        upload(client, candidate, PDF, "Zeugnis.pdf")
    assert len(set(stored_keys(settings))) == 3
    assert len({row["storage_key"] for row in document_rows()}) == 3
