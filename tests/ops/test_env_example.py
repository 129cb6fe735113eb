"""`.env.example` documents exactly the settings the code reads, so the two cannot drift."""

from __future__ import annotations

import re
import shlex

from portal.settings import ROOT, SECRET_FIELDS, Settings, env_names

# `NAME=value` or a commented-out `# NAME=value` (the *_FILE variants are examples, not defaults).
ASSIGNMENT = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def entries() -> list[tuple[bool, str, str, str]]:
    """(commented out, name, value, the line above) for every assignment in .env.example."""
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines):
        match = ASSIGNMENT.match(line)
        if match:
            previous = lines[number - 1] if number else ""
            found.append((bool(match[1]), match[2], match[3], previous))
    return found


def test_it_documents_every_setting_and_nothing_else():
    names = [name for _commented, name, _value, _above in entries()]
    expected = set(env_names()) | {f"{name}_FILE" for name in SECRET_FIELDS}
    assert len(names) == len(set(names)), "a name is documented twice"
    assert set(names) == expected


def test_it_gives_every_setting_a_comment_line():
    for _commented, name, _value, above in entries():
        assert above.startswith("# ") and not ASSIGNMENT.match(above), name


def test_it_sets_no_secret():
    for commented, name, value, _above in entries():
        if name in SECRET_FIELDS:
            assert value == "", f"{name} must stay empty in the example"
        if name.endswith("_FILE"):
            assert commented, f"{name} is an example path, so it is commented out"


def test_its_values_are_accepted_by_the_settings(tmp_path):
    env = {
        name: shlex.split(value)[0]
        for commented, name, value, _above in entries()
        if not commented and value
    }
    env["PORTAL_VAR_DIR"] = str(tmp_path / "var")
    settings = Settings.from_env(env)
    assert settings.environment == "development"
    assert settings.s3_region == "eu-central-1"
    assert settings.mail_from == "Praktikumsportal <noreply@portal.invalid>"
