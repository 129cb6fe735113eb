"""Checking an upload (its real type, size and name) and storing it without orphans."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import anyio
from litestar.datastructures import FormMultiDict, UploadFile

from portal.auth import CurrentUser
from portal.candidates.access import audit
from portal.candidates.documents import (
    Refused,
    StorageFailed,
    candidate_transaction,
    infected_message,
    lock_candidate,
    scanner_unavailable_message,
)
from portal.candidates.tables import Document, DocumentKind
from portal.clock import now
from portal.edge import UnreadableName
from portal.filecheck import Unacceptable, check_file
from portal.forms import Errors
from portal.i18n import _
from portal.storage import Storage
from portal.virusscan import Infected, ScannerUnavailable

log = logging.getLogger("portal.documents")

# The only types accepted, told apart by their first bytes (never by name or browser claim).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
TYPE_LABELS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}
MAX_FILENAME = 255


# -- checking an upload -----------------------------------------------------------------------


def sniff(data: bytes) -> str | None:
    """The content type the bytes really have (PDF, PNG or JPEG), or None."""
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def clean_filename(raw: str) -> str:
    """The uploader's file name as harmless metadata: no folders, no control characters."""
    # Some browsers send the whole path ("C:\\Users\\…\\Zeugnis.pdf").
    name = re.split(r"[\\/]", raw)[-1]
    # Category C: control and format characters, e.g. a right-to-left override that would
    # show "Zeugnis\u202efdp.exe" as "Zeugnisexe.pdf".
    name = "".join(
        ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C"
    )
    name = name.strip()
    if name in (".", ".."):
        return ""
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        keep = f".{extension}" if dot and stem and len(extension) <= 10 else ""
        name = name[: MAX_FILENAME - len(keep)] + keep
    return name


@dataclass(frozen=True)
class Upload:
    """A checked file, not yet stored."""

    data: bytes
    filename: str
    content_type: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def megabytes(max_bytes: int) -> int:
    return max_bytes // (1024 * 1024)


async def read_upload(
    errors: Errors,
    form: FormMultiDict,
    name: str,
    *,
    max_bytes: int,
    required: bool = True,
) -> Upload | None:
    """The file sent in field `name`, checked for what it is; None (with a message in
    `errors`) otherwise.

    A field without a file arrives as an empty string (the browser sends no file name). A form
    carries one file at most: a second file part (under any name) refuses the upload, so that
    nothing unchecked rides along.
    """
    files = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
    value = form.get(name)
    if len(files) > 1:
        errors.setdefault(name, _("Please send one file at a time."))
        return None
    if not isinstance(value, UploadFile):
        if required:
            errors.setdefault(name, _("Please choose a file."))
        return None
    if isinstance(value, UnreadableName):
        errors.setdefault(
            name,
            _(
                "The name of this file cannot be read. Please rename the file (letters, digits) "
                "and choose it again."
            ),
        )
        return None
    # Litestar spools the part to a temporary file; read at most one byte past the limit.
    data = await value.read(max_bytes + 1)
    if len(data) > max_bytes:
        errors.setdefault(name, _("The file is larger than %(n)s MB.", n=megabytes(max_bytes)))
        return None
    if not data:
        errors.setdefault(name, _("The file is empty."))
        return None
    content_type = sniff(data)
    if content_type is None:
        errors.setdefault(
            name,
            _("Only PDF, PNG and JPEG files can be uploaded. This file is none of them."),
        )
        return None
    try:
        checked = await check_file(data, content_type)
    except Unacceptable as refused:
        errors.setdefault(name, refused.message)
        return None
    return Upload(
        data=checked.data, filename=clean_filename(value.filename), content_type=content_type
    )


@dataclass(frozen=True)
class DocumentFields:
    kind: DocumentKind
    shareable: bool


def check_document(errors: Errors, data: Mapping[str, str]) -> DocumentFields | None:
    errors.require(data, "kind")
    errors.choice(data, "kind", {kind.value for kind in DocumentKind})
    if "kind" in errors:
        return None
    return DocumentFields(kind=DocumentKind(data["kind"]), shareable=data.get("shareable") == "yes")


# -- storing ----------------------------------------------------------------------------------


def new_key() -> str:
    """A random object key: nothing in it comes from the file or the person."""
    return "documents/" + secrets.token_urlsafe(24)


@asynccontextmanager
async def stored(
    storage: Storage,
    upload: Upload,
    *,
    user: CurrentUser,
    candidate: Mapping[str, Any],
    address: str,
) -> AsyncIterator[str]:
    """Put the bytes under a new key; delete them again if the block raises.

    The block inserts the row (and commits): so a failed insert or commit leaves no object,
    and a failed put (StorageFailed) never reaches the database. With a virus scanner
    (CLAMD_SOCKET) the put scans first: a finding is Refused, a scanner that does not answer
    StorageFailed, both audited with what was found, never the file or its name.
    """
    key = new_key()
    try:
        await storage.put(key, upload.data, upload.content_type)
    except Infected as infected:
        log.warning("upload refused by the virus scanner")
        await audit(
            user,
            "document.infected",
            candidate["id"],
            address,
            signature=infected.signature,
            content_type=upload.content_type,
            size=upload.size,
            checksum=upload.checksum,
        )
        raise Refused(infected_message()) from None
    except ScannerUnavailable as error:
        log.error("upload refused: the virus scanner did not answer (%s)", error)
        await audit(
            user,
            "document.not_scanned",
            candidate["id"],
            address,
            content_type=upload.content_type,
            size=upload.size,
        )
        raise StorageFailed(scanner_unavailable_message()) from error
    except Exception as error:
        log.error("document not stored", exc_info=error)
        raise StorageFailed() from error
    try:
        yield key
    except BaseException:
        # Also when the request is cancelled (the client went away): finish the clean-up.
        with anyio.CancelScope(shield=True):
            await forget(storage, key)
        raise


async def forget(storage: Storage, key: str) -> None:
    try:
        await storage.delete(key)
    except Exception as error:
        # The key is random and names nobody; logged so that an operator can remove the object.
        log.error("stored object left behind: %s", key, exc_info=error)


async def insert_document(
    user: CurrentUser,
    candidate: Mapping[str, Any],
    upload: Upload,
    key: str,
    *,
    kind: DocumentKind,
    shareable: bool = False,
    address: str,
) -> UUID:
    """The document's row and its audit event, in the caller's transaction."""
    document = Document(
        organisation=candidate["organisation"],
        candidate=candidate["id"],
        kind=kind,
        storage_key=key,
        filename=upload.filename,
        content_type=upload.content_type,
        size=upload.size,
        checksum=upload.checksum,
        shareable=shareable,
        uploaded_by=user.id,
        uploaded_at=now(),
    )
    await Document.insert(document)
    await audit(
        user,
        "document.upload",
        candidate["id"],
        address,
        document=str(document.id),
        kind=kind.value,
        content_type=upload.content_type,
        size=upload.size,
        shareable=shareable,
    )
    return document.id  # type: ignore[no-any-return]


async def upload_document(
    storage: Storage,
    user: CurrentUser,
    candidate: Mapping[str, Any],
    fields: DocumentFields,
    upload: Upload,
    *,
    address: str,
) -> UUID:
    """Store the file and its row; StorageFailed or Refused leave nothing behind."""
    async with (
        stored(storage, upload, user=user, candidate=candidate, address=address) as key,
        candidate_transaction(),
    ):
        await lock_candidate(candidate["id"])
        document_id = await insert_document(
            user,
            candidate,
            upload,
            key,
            kind=fields.kind,
            shareable=fields.shareable,
            address=address,
        )
    return document_id
