"""Helpers of the document and consent tests: files, uploads, what the storage holds."""

from __future__ import annotations

from typing import Any

import pytest

from portal.auth import load_user
from portal.candidates import uploads
from portal.candidates.tables import Candidate, Document, DocumentKind
from portal.candidates.uploads import DocumentFields, Upload
from tests import files
from tests.conftest import run
from tests.factories import csrf_token
from tests.s3 import s3_client, with_s3

# Real files (the uploads are parsed and decoded): a one-page PDF of about 2 KB, a PNG and a
# JPEG as Pillow writes them, so that the JPEG and PNG come back from the upload's re-encoding
# with the same bytes.
PDF = files.pdf(padding=1760)
PNG = files.png()
JPEG = files.jpeg()
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

STORAGES = ["disk", "s3"]


def with_storage(request: pytest.FixtureRequest, settings: Any) -> Any:
    """`settings` with the storage the test is parametrised with (a fresh moto bucket for s3)."""
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        return with_s3(settings, endpoint, request.getfixturevalue("s3_bucket"))
    return settings


def stored_objects(settings: Any) -> list[bytes]:
    """The contents of every object in the app's storage (bucket or documents folder)."""
    if settings.uses_s3:
        client = s3_client(settings.s3_endpoint_url)
        listing = client.list_objects_v2(Bucket=settings.s3_bucket)
        return [
            client.get_object(Bucket=settings.s3_bucket, Key=item["Key"])["Body"].read()
            for item in listing.get("Contents", [])
        ]
    root = settings.documents_dir
    if not root.is_dir():
        return []
    return [path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()]


def stored_keys(settings: Any) -> list[str]:
    if settings.uses_s3:
        listing = s3_client(settings.s3_endpoint_url).list_objects_v2(Bucket=settings.s3_bucket)
        return [item["Key"] for item in listing.get("Contents", [])]
    root = settings.documents_dir
    return [str(path) for path in root.rglob("*") if path.is_file()] if root.is_dir() else []


def document_rows(candidate: Any = None) -> list[dict[str, Any]]:
    query = Document.select().order_by(Document.uploaded_at)
    if candidate is not None:
        query = query.where(Document.candidate == candidate.id)
    return run(query)


def upload(
    client: Any,
    candidate: Any,
    content: bytes = PDF,
    filename: str = "Zeugnis.pdf",
    kind: str = "certificate",
    browser_type: str = "application/pdf",
    *,
    follow_redirects: bool = True,
    **fields: str,
) -> Any:
    """Send the upload form as a browser does (multipart, the CSRF token as a field).

    `candidate` is a Candidate or an id (also a malformed one)."""
    return client.post(
        f"/candidates/{getattr(candidate, 'id', candidate)}/documents",
        data={"kind": kind, "_csrf_token": csrf_token(client), **fields},
        files={"file": (filename, content, browser_type)},
        follow_redirects=follow_redirects,
    )


def make_document(
    app: Any,
    candidate: Any,
    user: Any,
    *,
    content: bytes = PDF,
    filename: str = "Zeugnis.pdf",
    kind: DocumentKind = DocumentKind.certificate,
    shareable: bool = False,
) -> dict[str, Any]:
    """A stored document of `candidate`, uploaded by `user` through the service."""
    current = run(load_user(str(user.id), None))
    row = run(Candidate.select().where(Candidate.id == candidate.id).first())
    content_type = uploads.sniff(content)
    assert content_type
    document_id = run(
        uploads.upload_document(
            app.state["storage"],
            current,
            row,
            DocumentFields(kind=kind, shareable=shareable),
            Upload(data=content, filename=filename, content_type=content_type),
            address="",
        )
    )
    return run(Document.select().where(Document.id == document_id).first())
