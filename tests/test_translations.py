"""The German catalogue covers every message in the code; English shows the message ids."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

from portal.settings import ROOT

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _translate_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("translate", ROOT / "scripts" / "translate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


translate = _translate_script()


def test_it_has_a_german_translation_for_every_message():
    catalog = translate.load()
    missing = []
    for msgid in translate.extracted():
        message = catalog.get(msgid)
        texts = message.string if message else None
        texts = texts if isinstance(texts, tuple) else (texts,)
        if not all(text and text.strip() for text in texts) or message.fuzzy:
            missing.append(msgid)
    assert not missing, "run scripts/translate.py --missing and translate:\n" + "\n".join(missing)


def test_it_keeps_no_translation_the_code_no_longer_uses():
    gone = translate.obsolete()
    assert not gone, "run scripts/translate.py --prune to drop:\n" + "\n".join(gone)


def test_it_keeps_the_placeholders_of_every_message():
    catalog = translate.load()
    wrong = []
    for msgid, plural in translate.extracted().items():
        message = catalog.get(msgid)
        if not message or not message.string:
            continue  # reported by the test above
        ids = (msgid, plural) if plural else (msgid,)
        expected = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            if set(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{msgid!r} → {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_it_shows_the_german_text_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert '<html lang="de">' in response.text
    assert "Anmelden" in response.text
    assert "E-Mail-Adresse" in response.text


def test_it_shows_the_english_message_ids_to_english_browsers(client):
    response = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Log in" in response.text
    assert "E-mail address" in response.text
    assert "Anmelden" not in response.text
