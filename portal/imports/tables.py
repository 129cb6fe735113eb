"""A checked upload waiting for its import: kept between the dry run and the confirmation."""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.accounts.tables import Organisation, User


class ImportBatch(Table):
    """The rows of an upload whose dry run found no problem, until the user imports them (or a
    day passes). `sealed` is the rows as JSON, encrypted with the identity key (the candidates'
    rows hold identities); only the user who uploaded them may import them."""

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    uploaded_by = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20)
    filename = Varchar(length=200, default="")
    row_count = Integer(default=0)
    sealed = Text()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
