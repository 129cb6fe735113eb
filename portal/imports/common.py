"""What both imports share: the problems by row and column, the file's columns, yes/no cells,
the batch kept between the dry run and the import, and the one transaction of an import."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from portal.auth import CurrentUser
from portal.auth.policy import own
from portal.candidates.vault import Vault
from portal.clock import now
from portal.db import writing
from portal.i18n import _
from portal.imports.reading import Sheet
from portal.imports.tables import ImportBatch

# A checked upload is kept this long for its import.
BATCH_HOURS = 24
YES = {"yes", "ja", "j", "y", "x", "1", "true", "wahr"}
NO = {"", "no", "nein", "n", "0", "false", "falsch"}


@dataclass(frozen=True)
class Problem:
    """One problem of the file: the row as the spreadsheet numbers it (1 is the header) and the
    column's name."""

    row: int
    column: str
    message: str


def column_problems(sheet: Sheet, columns: Iterable[str], required: Iterable[str]) -> list[Problem]:
    """The header's problems: a column the template does not have, a required one missing."""
    known = list(columns)
    problems = [
        Problem(1, name or "?", _("This column is not one of the template's."))
        for name in sheet.columns
        if name not in known
    ]
    problems += [
        Problem(1, name, _("This column is missing; please use the template."))
        for name in required
        if name not in sheet.columns
    ]
    return problems


def yes_no(problems: list[Problem], number: int, values: dict[str, str], *names: str) -> None:
    """Turn the yes/no cells into the forms' checkbox values ("yes" or "")."""
    for name in names:
        cell = values.get(name, "").strip().lower()
        if cell in YES:
            values[name] = "yes"
        elif cell in NO:
            values[name] = ""
        else:
            problems.append(Problem(number, name, _("Please write yes or no.")))


def field_problems(
    number: int, errors: Mapping[str, str], column_of: Mapping[str, str] | None = None
) -> list[Problem]:
    """A form's errors (field → message) as the row's problems (field → the file's column)."""
    column_of = column_of or {}
    return [
        Problem(number, column_of.get(field, field), message) for field, message in errors.items()
    ]


def import_transaction(table: Any) -> Any:
    """One transaction for the whole import (immediate on SQLite: the write lock first, as the
    audit log's chain needs it anyway)."""
    return writing(table)


# -- the batch between the dry run and the import ----------------------------------------------


async def keep_batch(
    user: CurrentUser, kind: str, filename: str, rows: list[Any], vault: Vault
) -> UUID:
    """Keep the checked rows (sealed) for the import; forget batches past their day."""
    batch_id = uuid4()
    moment = now()
    await ImportBatch.delete().where(
        ImportBatch.created_at < moment - dt.timedelta(hours=BATCH_HOURS)
    )
    await ImportBatch.insert(
        ImportBatch(
            id=batch_id,
            organisation=user.organisation_id,
            uploaded_by=user.id,
            kind=kind,
            filename=filename[:200],
            row_count=len(rows),
            sealed=vault.seal(json.dumps(rows), record_id=batch_id, field="import"),
            created_at=moment,
        )
    )
    return batch_id


async def take_batch(
    user: CurrentUser, kind: str, batch_id: UUID, vault: Vault
) -> list[Any] | None:
    """The rows of the user's own batch (None if there is none, or it is older than a day);
    the batch is deleted by the caller's transaction."""
    row = await (
        ImportBatch.select(ImportBatch.sealed)
        .where(
            (ImportBatch.id == batch_id)
            & (ImportBatch.uploaded_by == user.id)
            & own(user, ImportBatch.organisation)
            & (ImportBatch.kind == kind)
            & (ImportBatch.created_at >= now() - dt.timedelta(hours=BATCH_HOURS))
        )
        .first()
    )
    if row is None:
        return None
    return json.loads(vault.open(row["sealed"], record_id=batch_id, field="import"))  # type: ignore[no-any-return]


async def drop_batch(batch_id: UUID) -> None:
    await ImportBatch.delete().where(ImportBatch.id == batch_id)
