"""Helpers of the privacy tests: the real `portal` command against the test's database."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

from portal.clock import today
from portal.settings import ROOT
from tests import clock
from tests.conftest import TEST_DUPLICATE_HASH_KEY, TEST_IDENTITY_KEY, run

PORTAL = ROOT / ".venv" / "bin" / "portal"


def portal(
    settings: Any, tmp_path: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """`portal ARGS…` with the test's database and keys, and only the settings given here."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PORTAL_ENVIRONMENT": "development",
        "DATABASE_URL": settings.database_url,
        "PORTAL_VAR_DIR": str(settings.var_dir),
        **clock.subprocess_env(),
        "IDENTITY_KEY": TEST_IDENTITY_KEY,
        "DUPLICATE_HASH_KEY": TEST_DUPLICATE_HASH_KEY,
        **env,
    }
    return subprocess.run(
        [str(PORTAL), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


# A small valid PDF (one empty page), as a case manager would upload it.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_document(
    candidate: Any, storage: Any, *, filename: str = "zeugnis.pdf", **fields: Any
) -> Any:
    """A PDF of `candidate`, stored in `storage` under a random key."""
    from portal.candidates.tables import Document, DocumentKind

    key = uuid.uuid4().hex
    run(storage.put(key, PDF, "application/pdf"))
    document = Document(
        organisation=candidate.organisation,
        candidate=candidate.id,
        kind=fields.pop("kind", DocumentKind.certificate),
        storage_key=key,
        filename=filename,
        content_type="application/pdf",
        size=len(PDF),
        checksum=hashlib.sha256(PDF).hexdigest(),
        **fields,
    )
    run(document.save())
    return document


def make_consent(candidate: Any, **fields: Any) -> Any:
    """Consent to everything, given orally with an interpreter a month ago."""
    from portal.candidates.tables import Consent, ConsentMethod

    values: dict[str, Any] = {
        "candidate": candidate.id,
        "show_profile": True,
        "talent_pool": True,
        "release_identity": True,
        "given_on": today() - dt.timedelta(days=30),
        "method": ConsentMethod.oral_interpreter,
        "text_version": "2026-01",
        "language": "ar",
        **fields,
    }
    consent = Consent(**values)
    run(consent.save())
    return consent


def is_stored(storage: Any, key: str) -> bool:
    try:
        run(storage.get(key))
    except FileNotFoundError:
        return False
    except Exception as exc:  # botocore's NoSuchKey
        if "NoSuchKey" in type(exc).__name__ or "NoSuchKey" in str(exc):
            return False
        raise
    return True


def audit_events(candidate_id: Any, action: str | None = None) -> list[dict[str, Any]]:
    from portal.audit.tables import AuditEvent

    where = (AuditEvent.record_type == "candidate") & (AuditEvent.record_id == str(candidate_id))
    if action:
        where &= AuditEvent.action == action
    return run(AuditEvent.select().where(where).order_by(AuditEvent.id))  # type: ignore[arg-type]


def record_read(candidate: Any, user: Any, reason: str = "", **when: Any) -> None:
    """An `identity.read` of `user` (as the identity tab writes it), optionally back-dated."""
    from portal.audit.tables import AuditEvent

    detail = {"reason": reason} if reason else {}
    run(
        AuditEvent.insert(
            AuditEvent(
                action="identity.read",
                record_type="candidate",
                record_id=str(candidate.id),
                actor_id=user.id,
                actor_organisation_id=user.organisation,
                detail=detail,
                **when,
            )
        )
    )
