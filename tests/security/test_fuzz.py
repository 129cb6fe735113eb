"""Fuzzing every form of the portal with hostile values (issue 14).

The forms are found as a user finds them: every GET route of the route table that a role may
reach is requested with the ids of a small world of records (a candidate, slots, placements in
several states, a document), and the <form>s of the pages are parsed. Then, as a logged-in user
of each role, every form is sent
- once per field with a hostile value in that field and the page's own values elsewhere (the
  hostile values taken in turn: empty, huge, NUL, invalid UTF-8, a lone surrogate, markup,
  template syntax, odd dates and numbers, hostile files), and
- once with NUL in every text field, and
- a few times with values hypothesis draws for all fields at once.
Every answer must be no 500, within a time bound, never send the markup back unescaped, and a
refusal (4xx, 503) must leave the database as it was: a fingerprint of every table (row count
and the latest of each timestamp column) is the same before and after. Audit events are left
out of it: a refusal may be audited.

The totals (requests, statuses) are printed and written to test-artifacts/fuzz-<engine>.json.
"""

from __future__ import annotations

import collections
import json
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_from_bytes, urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from piccolo.columns import Timestamp, Timestamptz
from piccolo.conf.apps import Finder

from portal.accounts.tables import OrgKind, OrgStatus, Role, User
from portal.audit.tables import AuditEvent
from portal.clock import now
from portal.employers.tables import SlotStatus
from portal.settings import ROOT
from tests import files
from tests.candidates.documents import make_document
from tests.conftest import ENGINE, run
from tests.factories import csrf_token, login, make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.security.test_route_access import AUDIENCE, WORDS, handlers

pytestmark = pytest.mark.slow

# A request that takes longer than this stalls the portal for its user (the slowest honest one,
# an upload with its checks, takes well under a second here).
SECONDS_PER_REQUEST = 5.0
HYPOTHESIS_EXAMPLES = 3
BOUNDARY = "fuzz-boundary-5c1e"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# Forms that end the session or the world the others need; each has its own tests.
SKIPPED_ACTIONS = re.compile(r"/logout$|/erase$|/delete$|/account/password$|/language$")

HOSTILE_TEXT: list[bytes] = [
    b"",
    b" ",
    b"A" * 5000,
    "Ä€😀".encode() * 20_000,  # 200,000 bytes of multi-byte characters
    b"a\x00b",
    b"\xff\xfe\xfd",  # not UTF-8
    b"\xed\xa0\x80",  # a lone surrogate, as CESU-8 writes it
    b"<script>alert(1)</script><img src=x onerror=alert(1)>",
    b"{{7*7}}{% raw %}${7*7}#{7*7}",
    b"' OR '1'='1'; --",
    b"\xe2\x80\xae\xe2\x80\x8b\r\n\t",  # right-to-left override, zero width, line ends
    b"9999-12-31",
    b"0001-01-01",
    b"2026-02-30",
    b"31.02.2026",
    b"-1",
    b"0",
    b"1e309",
    b"NaN",
    b"99999999999999999999999",
    b"1.5",
    b"../../etc/passwd",
]
HOSTILE_FILES: list[tuple[bytes, bytes]] = [
    (b"", b""),
    (b"leer.pdf", b""),
    (b"Zeugnis\xff.pdf", files.pdf()),
    (b"script.pdf", files.with_javascript()),
    (b"poly.pdf", files.pdf_zip_polyglot()),
    (b"bombe.png", files.png_bomb(12_000)),
    (b"kurz.pdf", b"%PDF-"),
    (b"a.html", b"<html><script>alert(1)</script></html>"),
]


# -- the world and its forms ------------------------------------------------------------------


@dataclass
class Form:
    role: str
    method: str
    action: str
    enctype: str
    fields: list[tuple[str, str, bytes]] = field(default_factory=list)  # name, type, value
    options: dict[str, list[bytes]] = field(default_factory=dict)

    def key(self) -> tuple[str, ...]:
        """The same form of another record counts once (a placement's message form, say)."""
        template = UUID.sub("{id}", self.action)
        return (self.role, self.method, template, *sorted({name for name, *_ in self.fields}))


class FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[dict[str, Any]] = []
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append({"attrs": a, "fields": [], "options": collections.defaultdict(list)})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                form["options"][name].append(a.get("value", "on").encode())
                if "checked" in a:
                    form["fields"].append((name, kind, a.get("value", "on").encode()))
                elif not any(n == name for n, *_ in form["fields"]):
                    form["fields"].append((name, kind, b""))
            elif kind not in ("submit", "button", "reset", "image"):
                form["fields"].append((name, kind, a.get("value", "").encode()))
        elif tag == "button" and name:
            form["options"][name].append(a.get("value", "").encode())
            if not any(n == name for n, *_ in form["fields"]):
                form["fields"].append((name, "button", a.get("value", "").encode()))
        elif tag == "select" and name:
            self.select = name
            form["fields"].append((name, "select", b""))
        elif tag == "option" and self.select:
            value = a.get("value", "").encode()
            form["options"][self.select].append(value)
            fields = form["fields"]
            if "selected" in a or (fields[-1][0] == self.select and not fields[-1][2]):
                fields[-1] = (self.select, "select", value)
        elif tag == "textarea" and name:
            self.textarea = name
            form["fields"].append((name, "textarea", b""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea and self.forms:
            fields = self.forms[-1]["fields"]
            name, kind, value = fields[-1]
            fields[-1] = (name, kind, value + data.encode())


def forms_of(role: str, page_url: str, html: str) -> list[Form]:
    parser = FormParser(html)
    parser.feed(html)
    found = []
    for raw in parser.forms:
        a = raw["attrs"]
        action = urlsplit(urljoin(page_url, a.get("action") or page_url)).path
        method = (a.get("method") or "get").upper()
        enctype = a.get("enctype") or "application/x-www-form-urlencoded"
        if SKIPPED_ACTIONS.search(action) or not raw["fields"]:
            continue
        found.append(Form(role, method, action, enctype, raw["fields"], dict(raw["options"])))
    return found


# In this order: a team's admin (and the operator) may deactivate the others' accounts, so they
# come after them.
ROLES = {
    "employer_member": ("employer", Role.employer_member),
    "case_manager": ("agency", Role.case_manager),
    "employer_admin": ("employer", Role.employer_admin),
    "team_lead": ("agency", Role.team_lead),
    "operator_admin": ("operator", Role.operator_admin),
}


def make_world(app: Any) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Users of every role and records for them; the ways to fill the routes' ids."""
    orgs = {
        "employer": make_org(OrgKind.employer, name="Fuzz Metallbau GmbH"),
        "agency": make_org(OrgKind.case_management, name="Fuzz Jobcenter"),
        "operator": make_org(OrgKind.operator, name="Fuzz Betrieb"),
    }
    users = {role: make_user(orgs[org], kind) for role, (org, kind) in ROLES.items()}
    case_worker, employer_user = users["case_manager"], users["employer_admin"]
    records = []
    for state in ("proposed", "preparing", "completed"):
        candidate = make_candidate(
            orgs["agency"], case_worker, occupations=("24412",), status="active"
        )
        consent(candidate)
        slot = make_slot(orgs["employer"], places=2)
        placement = make_placement(
            state, slot=slot, candidate=candidate, case_worker=case_worker,
            employer_user=employer_user,
        )  # fmt: skip
        document = make_document(app, candidate, case_worker, shareable=True)
        records.append(
            {
                "candidate_id": str(candidate.id),
                "slot_id": str(slot.id),
                "placement_id": str(placement),
                "document_id": str(document["id"]),
                "user_id": str(users["employer_member"].id),
                "org_id": str(make_org(OrgKind.employer, status=OrgStatus.pending).id),
            }
        )
    draft = make_slot(orgs["employer"], status=SlotStatus.draft)
    records.append({**records[0], "slot_id": str(draft.id)})
    return users, records


def url_of(name: str, path: str, records: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        parameter = match.group(1)
        if parameter in WORDS:
            return WORDS[parameter].get(name, "x")
        return records.get(parameter, "x")

    return re.sub(r"\{(\w+):\w+\}", fill, path)


def public_actions(app: Any) -> re.Pattern[str]:
    """The paths of the public forms (login, registration…): fuzzed once, anonymously, last, so
    that the login throttle they feed does not lock the roles out."""
    paths = [
        re.sub(r"\\\{\w+:\w+\\\}", "[^/]+", re.escape(path))
        for name, method, path in handlers(app)
        if method == "POST" and AUDIENCE[name] is None
    ]
    return re.compile("^(" + "|".join(paths) + ")$")


def discover(app: Any, client: Any, role: str | None, records: list[dict[str, str]]) -> list[Form]:
    found: dict[tuple[str, ...], Form] = {}
    public = public_actions(app)
    pages = {
        url_of(name, path, ids)
        for name, method, path in handlers(app)
        if method == "GET"
        and name not in ("static", "logout", "healthz", "readyz")
        and (AUDIENCE[name] is None or (role is not None and role in AUDIENCE[name]))  # type: ignore[operator]
        for ids in records
    }
    for page in sorted(pages):
        response = client.get(page)
        assert response.status_code != 500, page
        if "text/html" in response.headers.get("content-type", ""):
            for form in forms_of(role or "anonymous", page, response.text):
                if form.method == "POST" and bool(public.match(form.action)) != (role is None):
                    continue
                found.setdefault(form.key(), form)
    return list(found.values())


# -- sending ----------------------------------------------------------------------------------


def encode(form: Form, values: list[tuple[str, bytes | tuple[bytes, bytes]]], token: str) -> Any:
    """The body and headers as a browser (or an attacker) sends them, bytes as given."""
    values = [("_csrf_token", token.encode()), *values]
    if form.enctype == "multipart/form-data":
        body = b""
        for name, value in values:
            disposition = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"'.encode()
            if isinstance(value, tuple):
                filename, content = value
                body += disposition + b'; filename="' + filename + b'"\r\n'
                body += b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n"
            else:
                body += disposition + b"\r\n\r\n" + value + b"\r\n"
        body += f"--{BOUNDARY}--\r\n".encode()
        return body, {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    pairs = [
        quote_from_bytes(name.encode()) + "=" + quote_from_bytes(value)  # type: ignore[arg-type]
        for name, value in values
        if not isinstance(value, tuple)
    ]
    return "&".join(pairs).encode(), {"content-type": "application/x-www-form-urlencoded"}


FINGERPRINT_SQL: str | None = None


def fingerprint_sql() -> str:
    """One statement: every table's row count and the latest value of each timestamp column."""
    global FINGERPRINT_SQL
    if FINGERPRINT_SQL is None:
        parts = []
        for table in Finder().get_table_classes():
            if table is AuditEvent:
                continue
            name = table._meta.tablename
            stamps = [
                f"MAX({column._meta.db_column_name})"
                for column in table._meta.columns
                if isinstance(column, Timestamp | Timestamptz)
            ]
            latest = " || '|' || ".join(f"COALESCE(CAST({s} AS TEXT), '')" for s in stamps)
            parts.append(
                f"SELECT '{name}' AS t, COUNT(*) AS n, {latest or repr('')} AS latest FROM {name}"  # noqa: S608 - our table names
            )
        FINGERPRINT_SQL = " UNION ALL ".join(parts)
    return FINGERPRINT_SQL


def fingerprint() -> list[tuple[str, int, str]]:
    rows = run(AuditEvent.raw(fingerprint_sql()))
    return sorted((row["t"], row["n"], row["latest"]) for row in rows)


@dataclass
class Totals:
    requests: int = 0
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    slowest: float = 0.0
    forms: int = 0
    fields: int = 0
    failures: list[str] = field(default_factory=list)
    discovery_seconds: float = 0.0
    sending_seconds: float = 0.0


def send(client: Any, form: Form, values: list[Any], totals: Totals, state: dict[str, Any]) -> None:
    token = state["token"]
    if form.method == "GET":
        # A URL is bounded by the client and the server (httpx: 64 KB): a long value cut short.
        values = [(n, v[:4000] if isinstance(v, bytes) else v) for n, v in values]
    body, headers = encode(form, values, token)
    before = state["fingerprint"]
    started = time.monotonic()
    if form.method == "GET":
        response = client.get(form.action + "?" + body.decode("latin-1"))
    else:
        response = client.post(form.action, content=body, headers=headers)
    elapsed = time.monotonic() - started
    totals.requests += 1
    totals.statuses[response.status_code] += 1
    totals.slowest = max(totals.slowest, elapsed)
    after = fingerprint() if form.method == "POST" else before
    what = f"{form.role} {form.method} {form.action} {[(n, v[:40] if isinstance(v, bytes) else v[0]) for n, v in values]}"  # noqa: E501
    if response.status_code >= 500 and response.status_code != 503:
        totals.failures.append(f"{response.status_code}: {what}")
    if b"<script>alert(1)</script>" in response.content:
        totals.failures.append(f"markup sent back unescaped: {what}")
    if elapsed > SECONDS_PER_REQUEST:
        totals.failures.append(f"{elapsed:.1f} s: {what}")
    if response.status_code >= 400 and after != before:
        changed = sorted(set(after) ^ set(before))
        totals.failures.append(f"{response.status_code} changed {changed}: {what}")
    state["fingerprint"] = after


def valid_values(form: Form) -> list[tuple[str, Any]]:
    values: list[tuple[str, Any]] = []
    for name, kind, value in form.fields:
        if name == "_csrf_token":
            continue
        if kind == "file":
            values.append((name, (b"Zeugnis.pdf", files.pdf())))
        elif kind in ("checkbox", "radio") and not value:
            continue
        else:
            values.append((name, value))
    return values


def hostile_for(kind: str, turn: int) -> Any:
    if kind == "file":
        return HOSTILE_FILES[turn % len(HOSTILE_FILES)]
    return HOSTILE_TEXT[turn % len(HOSTILE_TEXT)]


def field_value(form: Form, name: str, kind: str) -> st.SearchStrategy[Any]:
    if kind == "file":
        return st.sampled_from(HOSTILE_FILES)
    choices = [st.sampled_from(HOSTILE_TEXT), st.binary(max_size=40), st.text(max_size=40).map(
        lambda text: text.encode("utf-8", "surrogatepass")
    )]  # fmt: skip
    if form.options.get(name):
        choices.append(st.sampled_from(form.options[name]))
    return st.one_of(*choices)


# -- the test ---------------------------------------------------------------------------------


def test_no_form_answers_500_or_changes_anything_when_it_refuses(app, client):
    users, records = make_world(app)
    totals = Totals()
    started = time.monotonic()
    for role, user in [*users.items(), (None, None)]:
        if user is None:
            client.cookies.clear()
        else:
            login(client, user.email)
        forms = discover(app, client, role, records)
        totals.discovery_seconds += time.monotonic() - started
        started = time.monotonic()
        totals.forms += len(forms)
        state = {"token": csrf_token(client), "fingerprint": fingerprint()}
        for form in forms:
            valid = valid_values(form)
            # Each field once with a hostile value, the others as the page filled them.
            for turn, (name, kind, _value) in enumerate(form.fields):
                if name == "_csrf_token":
                    continue
                totals.fields += 1
                hostile = hostile_for(kind, turn + totals.fields)
                values = [(n, hostile if n == name else v) for n, v in valid]
                if name not in {n for n, _ in valid}:
                    values.append((name, hostile))
                send(client, form, values, totals, state)
            # NUL in every text field at once: also where a value reaches a query before the
            # form's checks (an occupation look-up), which PostgreSQL refuses with an error.
            nul = [(n, v if isinstance(v, tuple) else b"a\x00" + v) for n, v in valid]
            send(client, form, nul, totals, state)
            # And a few times with every field drawn by hypothesis.
            drawn(client, form, totals, state)
        totals.sending_seconds += time.monotonic() - started
        started = time.monotonic()
    report(totals)
    assert totals.failures == [], "\n".join(totals.failures[:30])


def drawn(client: Any, form: Form, totals: Totals, state: dict[str, Any]) -> None:
    names = [(name, kind) for name, kind, _ in form.fields if name != "_csrf_token"]

    @settings(
        max_examples=HYPOTHESIS_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.tuples(*(field_value(form, name, kind) for name, kind in names)))
    def send_drawn(values: tuple[Any, ...]) -> None:
        pairs = list(zip([name for name, _ in names], values, strict=True))
        send(client, form, pairs, totals, state)

    send_drawn()


def test_the_fingerprint_sees_a_new_row_and_a_changed_one(app):
    before = fingerprint()
    user = make_user(make_org(OrgKind.employer, name="Neu GmbH"), Role.employer_admin)
    added = fingerprint()
    run(User.update({User.last_login: now()}).where(User.id == user.id))
    assert before != added
    assert added != fingerprint()


def report(totals: Totals) -> None:
    summary = {
        "engine": ENGINE,
        "forms": totals.forms,
        "fields": totals.fields,
        "requests": totals.requests,
        "statuses": dict(sorted(totals.statuses.items())),
        "500s": sum(n for status, n in totals.statuses.items() if status == 500),
        "slowest_seconds": round(totals.slowest, 3),
        "failures": len(totals.failures),
        "discovery_seconds": round(totals.discovery_seconds, 1),
        "sending_seconds": round(totals.sending_seconds, 1),
    }
    print("\nfuzz totals:", json.dumps(summary))
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / f"fuzz-{ENGINE}.json").write_text(json.dumps(summary, indent=2))


@pytest.fixture(autouse=True)
def _quiet_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("CRITICAL")
