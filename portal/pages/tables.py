"""Operator-configurable text of the legal pages (imprint, privacy, accessibility statement)."""

import enum

from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class PageSlug(enum.StrEnum):
    imprint = "imprint"
    privacy = "privacy"
    accessibility = "accessibility"


class SiteText(Table):
    slug = Varchar(length=20, choices=PageSlug)
    language = Varchar(length=2)
    body = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())
