"""Uploads checked for what they are (issue 14): PDFs parsed, images decoded and written anew,
one file a form. Every file here is real, made in tests/files.py."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from portal import filecheck
from tests import files
from tests.candidates.consents import consents_of, record
from tests.candidates.documents import PDF, document_rows, stored_objects, upload
from tests.conftest import run
from tests.factories import csrf_token, login

ACTIVE = "Diese PDF-Datei enthält aktive Inhalte"
ENCRYPTED = "Diese PDF-Datei ist verschlüsselt oder durch ein Passwort geschützt."
DAMAGED = "Diese PDF-Datei ist beschädigt und kann nicht gelesen werden."
TRAILING = "Diese PDF-Datei enthält nach ihrem Ende weitere Daten."


def refused_with(response, message, settings):
    assert response.status_code == 400
    assert 'id="error-file"' in response.text
    assert message in response.text
    assert document_rows() == []
    assert stored_objects(settings) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (files.with_javascript(), ACTIVE),
        (files.with_open_action(), ACTIVE),
        (files.with_launch(), ACTIVE),
        (files.with_embedded_file(), ACTIVE),
        (files.encrypted(), ENCRYPTED),
        (files.encrypted(user_password=""), ENCRYPTED),
        (b"%PDF-", DAMAGED),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", DAMAGED),
        (files.pdf_zip_polyglot(), TRAILING),
    ],
    ids=[
        "javascript",
        "open-action",
        "launch",
        "embedded-file",
        "encrypted",
        "encrypted-empty-password",
        "five-bytes",
        "no-pdf-inside",
        "pdf-zip-polyglot",
    ],
)
def test_it_refuses_a_pdf_that_is_not_a_plain_document(
    client, settings, alice, candidate, content, message
):
    login(client, alice.email)
    refused_with(upload(client, candidate, content, "Zeugnis.pdf"), message, settings)


def test_it_keeps_a_pdf_that_opens_at_its_first_page(client, settings, alice, candidate):
    # Word and LibreOffice write /OpenAction as a destination: no action, no refusal.
    login(client, alice.email)
    content = files.with_open_destination()
    assert upload(client, candidate, content).status_code == 200
    assert stored_objects(settings) == [content]  # a PDF is kept byte for byte


def test_it_stores_a_photo_without_its_gps_position(client, settings, alice, candidate):
    photo = files.jpeg(gps=True)
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)  # the position is in it
    login(client, alice.email)
    assert (
        upload(client, candidate, photo, "Foto.jpg", browser_type="image/jpeg").status_code == 200
    )
    [stored] = stored_objects(settings)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (8, 6)
    assert not image.getexif()
    assert b"Exif" not in stored and b"Telefon" not in stored
    [row] = document_rows()
    assert (row["content_type"], row["size"]) == ("image/jpeg", len(stored))


def test_it_turns_a_photo_upright_before_dropping_its_exif(client, settings, alice, candidate):
    login(client, alice.email)
    photo = files.jpeg((8, 6), rotated=True)
    assert (
        upload(client, candidate, photo, "Foto.jpg", browser_type="image/jpeg").status_code == 200
    )
    [stored] = stored_objects(settings)
    image = Image.open(io.BytesIO(stored))
    assert image.size == (6, 8)  # as the phone showed it
    assert not image.getexif()


def test_it_keeps_only_the_pixels_of_a_jpeg_html_polyglot(client, settings, alice, candidate):
    polyglot = files.jpeg_html_polyglot()
    login(client, alice.email)
    assert (
        upload(client, candidate, polyglot, "Bild.jpg", browser_type="image/jpeg").status_code
        == 200
    )
    [stored] = stored_objects(settings)
    assert b"<script" not in stored and b"<html" not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 6)


def test_it_refuses_a_png_bomb_without_decoding_it(client, settings, alice, candidate):
    bomb = files.png_bomb()
    assert len(bomb) < 100_000  # 400 million pixels in a small file
    login(client, alice.email)
    started = time.monotonic()
    response = upload(client, candidate, bomb, "Bombe.png", browser_type="image/png")
    elapsed = time.monotonic() - started
    refused_with(response, "Dieses Bild hat mehr als 60 Millionen Pixel.", settings)
    assert elapsed < 2, f"the bomb took {elapsed:.2f} s"


def test_it_refuses_a_damaged_image(client, settings, alice, candidate):
    login(client, alice.email)
    broken = files.png()[:40]
    response = upload(client, candidate, broken, "Scan.png", browser_type="image/png")
    refused_with(response, "Diese Bilddatei ist beschädigt", settings)


def test_it_refuses_a_second_file_under_the_same_name(client, settings, alice, candidate):
    login(client, alice.email)
    response = client.post(
        f"/candidates/{candidate.id}/documents",
        data={"kind": "certificate", "_csrf_token": csrf_token(client)},
        files=[
            ("file", ("a.pdf", PDF, "application/pdf")),
            ("file", ("b.pdf", PDF, "application/pdf")),
        ],
    )
    refused_with(response, "Bitte senden Sie jeweils nur eine Datei.", settings)


def test_it_refuses_a_second_file_under_another_name(client, settings, alice, candidate):
    login(client, alice.email)
    response = client.post(
        f"/candidates/{candidate.id}/documents",
        data={"kind": "certificate", "_csrf_token": csrf_token(client)},
        files={
            "file": ("a.pdf", PDF, "application/pdf"),
            "extra": ("x.html", b"<html>", "text/html"),
        },
    )
    refused_with(response, "Bitte senden Sie jeweils nur eine Datei.", settings)


def test_it_refuses_active_content_in_the_signed_consent_form(client, settings, alice, candidate):
    login(client, alice.email)
    response = record(
        client,
        candidate,
        method="signed_form",
        files={"document": ("Einwilligung.pdf", files.with_javascript(), "application/pdf")},
    )
    assert response.status_code == 400
    assert ACTIVE in response.text
    assert consents_of(candidate) == []
    assert stored_objects(settings) == []


def test_it_gives_up_on_a_check_that_takes_too_long(monkeypatch):
    monkeypatch.setattr(filecheck, "CHECK_SECONDS", 0.0)
    with pytest.raises(filecheck.Unacceptable, match="nicht rechtzeitig geprüft"):
        run(filecheck.check_file(files.png((2000, 2000)), "image/png"))
