#!/usr/bin/env python3
"""Add or change German translations in translations/de/LC_MESSAGES/messages.po.

    scripts/translate.py "English message id" "Deutscher Text"
    scripts/translate.py --plural "%(num)s file" "%(num)s files" "%(num)s Datei" "%(num)s Dateien"
    scripts/translate.py --json file.json
        # [{"id": …, "str": …} | {"id": …, "plural": …, "str": [singular, plural]}]
    scripts/translate.py --missing   # list message ids in the code without German text
    scripts/translate.py --prune     # drop entries whose message id is no longer in the code

Safe to run from several shells at once (the catalogue is locked while it is rewritten).
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po"
METHODS = [
    ("portal/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
OPTIONS = {
    "templates/**.html": {"extensions": "jinja2.ext.i18n,jinja2.ext.do"},
    "templates/**.txt": {"extensions": "jinja2.ext.i18n,jinja2.ext.do"},
}


KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def extracted() -> dict[str, str | None]:
    """Every message id in the code (singular → plural or None)."""
    found: dict[str, str | None] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, METHODS, OPTIONS, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            found[message[0]] = message[1]
        else:
            found[message] = None
    return found


def load() -> Catalog:
    if not PO.exists():
        return Catalog(locale="de")
    with PO.open("rb") as fh:
        return read_po(fh, locale="de")


def save(catalog: Catalog) -> None:
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, width=100, no_location=True)


def update(entries: list[dict]) -> None:
    lock = PO.with_suffix(".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as lock_fh:
        fcntl.flock(lock_fh, fcntl.LOCK_EX)
        catalog = load()
        for entry in entries:
            if "plural" in entry:
                msgid, text = (entry["id"], entry["plural"]), tuple(entry["str"])
            else:
                msgid, text = entry["id"], entry["str"]
            catalog.add(msgid, text)
            # add() keeps the text of an existing entry; a correction must replace it.
            catalog[entry["id"]].string = text
        save(catalog)


def obsolete() -> list[str]:
    """Message ids in the catalogue that the code no longer uses."""
    used = extracted()
    return [
        str(m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in load()
        if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in used
    ]


def prune() -> list[str]:
    lock = PO.with_suffix(".lock")
    with lock.open("w") as lock_fh:
        fcntl.flock(lock_fh, fcntl.LOCK_EX)
        catalog = load()
        gone = obsolete()
        for msgid in gone:
            message = next(
                m
                for m in catalog
                if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) == msgid
            )
            del catalog[message.id]
        save(catalog)
    return gone


def missing() -> list[str]:
    catalog = load()
    result = []
    for msgid, plural in extracted().items():
        key = msgid
        message = catalog.get(key)
        text = message.string if message else None
        if not text or (isinstance(text, tuple) and not all(text)) or (message and message.fuzzy):
            result.append(msgid if plural is None else f"{msgid} | {plural}")
    return result


def main(argv: list[str]) -> int:
    if argv[:1] == ["--missing"]:
        for msgid in missing():
            print(msgid)
        return 0
    if argv[:1] == ["--prune"]:
        for msgid in prune():
            print(f"removed: {msgid}")
        return 0
    if argv[:1] == ["--json"]:
        update(json.loads(Path(argv[1]).read_text(encoding="utf-8")))
        return 0
    if argv[:1] == ["--plural"] and len(argv) == 5:
        update([{"id": argv[1], "plural": argv[2], "str": [argv[3], argv[4]]}])
        return 0
    if len(argv) == 2:
        update([{"id": argv[0], "str": argv[1]}])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
