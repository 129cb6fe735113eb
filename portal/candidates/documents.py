"""Documents of a candidate: one writer at a time, listing, loading, who may download, deleting.

The bytes live in the storage (portal/storage.py) under a random key; the database keeps the
metadata. An upload stores the object first and then inserts the row; whatever fails after the
object was stored deletes it again, so neither an orphaned object nor a row without its object
is left behind (uploads.py checks and stores an upload).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from piccolo.engine.sqlite import SQLiteEngine

from portal.auth import CurrentUser, policy
from portal.candidates.access import audit
from portal.candidates.tables import Candidate, Consent, Document
from portal.db import writing
from portal.i18n import _
from portal.pagination import Page, paginate
from portal.storage import Storage

log = logging.getLogger("portal.documents")

EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


class Refused(Exception):
    """An action the candidate's state does not allow; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StorageFailed(Exception):
    """The storage did not take the file (nothing was kept); `message` tells the user."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        self.message = message or storage_failed_message()


# -- one writer per candidate ----------------------------------------------------------------


def candidate_transaction() -> Any:
    """A transaction that changes one candidate's records, one writer at a time.

    SQLite: BEGIN IMMEDIATE takes the write lock at once (a deferred transaction would read,
    then fail to upgrade when another writer came first). PostgreSQL: lock_candidate() locks
    the candidate's row.
    """
    return writing(Candidate)


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


def scanner_unavailable_message() -> str:
    return _(
        "The file could not be checked for viruses at the moment, so it has not been saved. "
        "Please try again later."
    )


def infected_message() -> str:
    return _(
        "The virus scanner found malware in this file. It has not been saved. Please check "
        "the device the file comes from, or ask the person who sent it for a clean copy."
    )
