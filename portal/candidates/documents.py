"""Documents of a candidate: checking an upload, storing it without orphans, who may download.

The bytes live in the storage (portal/storage.py) under a random key; the database keeps the
metadata. An upload stores the object first and then inserts the row; whatever fails after the
object was stored deletes it again, so neither an orphaned object nor a row without its object
is left behind.
"""

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
from litestar.datastructures import UploadFile
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from portal.auth import CurrentUser, policy
from portal.candidates.access import audit
from portal.candidates.tables import Candidate, Consent, Document, DocumentKind
from portal.clock import now
from portal.forms import Errors
from portal.i18n import _
from portal.pagination import Page, paginate
from portal.storage import Storage

log = logging.getLogger("portal.documents")

# The only types accepted, told apart by their first bytes (never by name or browser claim).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
TYPE_LABELS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}
MAX_FILENAME = 255


class Refused(Exception):
    """An action the candidate's state does not allow; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StorageFailed(Exception):
    """The storage did not take the file (nothing was kept)."""


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
    errors: Errors, name: str, value: Any, *, max_bytes: int, required: bool = True
) -> Upload | None:
    """The file sent in field `name`, checked; None (with a message in `errors`) otherwise.

    A field without a file arrives as an empty string (the browser sends no file name).
    """
    if not isinstance(value, UploadFile):
        if required:
            errors.setdefault(name, _("Please choose a file."))
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
    return Upload(data=data, filename=clean_filename(value.filename), content_type=content_type)


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
async def stored(storage: Storage, upload: Upload) -> AsyncIterator[str]:
    """Put the bytes under a new key; delete them again if the block raises.

    The block inserts the row (and commits): so a failed insert or commit leaves no object,
    and a failed put (StorageFailed) never reaches the database.
    """
    key = new_key()
    try:
        await storage.put(key, upload.data, upload.content_type)
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


def candidate_transaction() -> Any:
    """A transaction that changes one candidate's records, one writer at a time.

    SQLite: BEGIN IMMEDIATE takes the write lock at once (a deferred transaction would read,
    then fail to upgrade when another writer came first). PostgreSQL: lock_candidate() locks
    the candidate's row.
    """
    db = Candidate._meta.db
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


async def lock_candidate(candidate_id: UUID) -> dict[str, Any]:
    """The candidate's current status, read under the lock; Refused if it is gone or erased."""
    query = Candidate.select(
        Candidate.id, Candidate.status, Candidate.retention_from, Candidate.erased_at
    ).where(Candidate.id == candidate_id)
    if not isinstance(Candidate._meta.db, SQLiteEngine):
        query = query.lock_rows()
    row = await query.first()
    if row is None:
        raise Refused(_("This candidate no longer exists."))
    if row["erased_at"] is not None:
        raise Refused(erased_message())
    return row


def erased_message() -> str:
    return _("The personal data of this candidate have been erased. Nothing can be added.")


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
    async with stored(storage, upload) as key, candidate_transaction():
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


# -- reading ----------------------------------------------------------------------------------


async def documents_page(candidate_id: UUID, number: int) -> Page:
    """One page of the candidate's documents, newest first (two queries)."""
    query = Document.select(
        Document.id,
        Document.kind,
        Document.filename,
        Document.content_type,
        Document.size,
        Document.shareable,
        Document.uploaded_at,
        Document.uploaded_by.display_name.as_alias("uploaded_by_name"),
    )
    return await paginate(
        Document,
        query,
        [Document.candidate == candidate_id],
        number=number,
        order_by=[(Document.uploaded_at, False)],
    )


async def load_document(document_id: UUID) -> dict[str, Any] | None:
    """The document with what may_download needs to know about its candidate (one query)."""
    return await (  # type: ignore[no-any-return]
        Document.select(
            *Document.all_columns(),
            Document.candidate.organisation.as_alias("candidate_organisation"),
            Document.candidate.case_manager.as_alias("candidate_case_manager"),
            Document.candidate.organisation.caseload_shared.as_alias(  # type: ignore[union-attr]
                "candidate_shared"
            ),
        )
        .where(Document.id == document_id)
        .first()
    )


def may_download(user: CurrentUser, document: Mapping[str, Any]) -> bool:
    """Whether `user` may have the document's bytes on the candidate's pages
    (policy.may_download_document: whoever may see the case; never an operator or another
    organisation). An employer downloads through its placement: placements.detail.may_download.
    """
    return policy.may_download_document(user, document)


def may_manage(user: CurrentUser, document: Mapping[str, Any]) -> bool:
    """Share, unshare, delete: only those who work on the case (policy.may_manage_document)."""
    return policy.may_manage_document(user, document)


def download_name(document: Mapping[str, Any]) -> str:
    """The name to save the file under, ending in the extension of its real type."""
    extension = EXTENSIONS.get(document["content_type"], "")
    name = document["filename"] or "document"
    stem, dot, current = name.rpartition(".")
    current = f".{current.lower()}" if dot and stem else ""
    if current == extension or (extension == ".jpg" and current == ".jpeg"):
        return name
    # A PDF named "Zeugnis.png" is saved as "Zeugnis.pdf"; any other name gets ".pdf" added.
    return (stem if current in {".pdf", ".png", ".jpg", ".jpeg"} else name) + extension


# -- sharing and deleting ---------------------------------------------------------------------


async def set_shareable(
    user: CurrentUser, document: Mapping[str, Any], shareable: bool, *, address: str
) -> None:
    async with Document._meta.db.transaction():
        await Document.update({Document.shareable: shareable}).where(Document.id == document["id"])
        await audit(
            user,
            "document.share",
            document["candidate"],
            address,
            document=str(document["id"]),
            shareable=shareable,
        )


async def delete_document(
    storage: Storage, user: CurrentUser, document: Mapping[str, Any], *, address: str
) -> None:
    """Delete the row and the object (StorageFailed keeps both); Refused for the signed form of
    a recorded consent."""
    if await Consent.exists().where(Consent.document == document["id"]):
        raise Refused(
            _(
                "This is the signed form of a recorded consent. It is kept as proof of the "
                "consent and cannot be deleted here."
            )
        )
    async with Document._meta.db.transaction():
        deleted = (
            await Document.delete().where(Document.id == document["id"]).returning(Document.id)
        )
        if not deleted:
            return  # deleted a moment ago by someone else
        await audit(
            user,
            "document.delete",
            document["candidate"],
            address,
            document=str(document["id"]),
            kind=document["kind"],
        )
        # Inside the transaction: if the storage fails, the row stays too and the user can try
        # again — the file must not outlive an answer that says it was deleted.
        try:
            await storage.delete(document["storage_key"])
        except Exception as error:
            log.error("document not deleted from the storage", exc_info=error)
            raise StorageFailed() from error


def storage_failed_message() -> str:
    return _("The file could not be stored. Nothing has been saved. Please try again later.")
