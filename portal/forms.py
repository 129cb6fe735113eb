"""Small helpers for reading and checking submitted forms.

Handlers take the raw form (never typed parameters that Litestar would reject with a bare 400),
check it here, and re-render the page with a message next to each field that is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from litestar import Request

from portal.i18n import _

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()/\-]{3,38}[0-9]$")
POSTCODE_RE = re.compile(r"^[0-9]{5}$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")  # what <input type="date"> sends
GERMAN_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # typed by hand
# No date the portal keeps lies outside these years; each field has its own, narrower window
# (date_within). Year 9999 broke the calendar export, year 1 printed as "01.01.1".
EARLIEST_YEAR, LATEST_YEAR = 1900, 2199


async def form_data(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The submitted fields as stripped strings; repeated fields keep the last value."""
    form = await request.form()
    return {key: str(value).strip() for key, value in form.items() if isinstance(value, str)}


def not_allowed(value: str) -> bool:
    """A character no text of the portal may hold: NUL (PostgreSQL refuses it in text), and
    U+FFFD, which stands for bytes that were not UTF-8 (portal.edge reads them so)."""
    return "\x00" in value or "\ufffd" in value


def not_allowed_message() -> str:
    return _("This field contains a character that is not allowed.")


class Errors(dict[str, str]):
    """Field name → message in the user's language.

    Made from the submitted fields, it starts with a message on every field holding a NUL
    character: PostgreSQL refuses NUL in text (a 500 there), SQLite would store it. So no form
    stores one, on either engine, and the user sees which field to correct.
    """

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        for name, value in (data or {}).items():
            if isinstance(value, str) and not_allowed(value):
                self[name] = not_allowed_message()

    def require(self, data: Mapping[str, str], *names: str) -> None:
        for name in names:
            if not data.get(name):
                self.setdefault(name, _("Please fill in this field."))

    def max_length(self, data: Mapping[str, str], name: str, limit: int) -> None:
        if len(data.get(name, "")) > limit:
            self.setdefault(name, _("Please use at most %(n)s characters.", n=limit))

    def choice(self, data: Mapping[str, str], name: str, allowed: set[str]) -> None:
        if data.get(name) and data[name] not in allowed:
            self.setdefault(name, _("Please choose one of the options."))


def normalise_email(value: str) -> str:
    return value.strip().lower()


def check_email(errors: Errors, data: Mapping[str, str], name: str = "email") -> None:
    value = data.get(name, "")
    if not value:
        errors.setdefault(name, _("Please fill in this field."))
    elif len(value) > 254 or not EMAIL_RE.match(value):
        errors.setdefault(name, _("Please enter a valid e-mail address, e.g. name@example.org."))


def check_phone(errors: Errors, data: Mapping[str, str], name: str) -> None:
    if data.get(name) and not PHONE_RE.match(data[name]):
        errors.setdefault(name, _("Please enter a phone number of digits, e.g. 0341 123456-0."))


def parse_date(raw: str) -> dt.date | None:
    """YYYY-MM-DD (the browser's date field) or DD.MM.YYYY (typed by hand); None otherwise."""
    if match := ISO_DATE_RE.match(raw):
        year, month, day = match.groups()
    elif match := GERMAN_DATE_RE.match(raw):
        day, month, year = match.groups()
    else:
        return None
    if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:  # 31.02.2026
        return None


def date_within(
    errors: Errors, name: str, value: dt.date | None, low: dt.date, high: dt.date
) -> dt.date | None:
    """`value` if it lies from `low` to `high`; None (with a message naming them) otherwise."""
    if value is None or low <= value <= high:
        return value
    errors.setdefault(
        name,
        _(
            "Please enter a date from %(low)s to %(high)s.",
            low=low.strftime("%d.%m.%Y"),
            high=high.strftime("%d.%m.%Y"),
        ),
    )
    return None


def years_from(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (or earlier); 28 February for a 29th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
