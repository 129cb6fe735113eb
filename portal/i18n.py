"""Translations (Babel catalogues), the locale of the current request, German formats.

Message ids are English; `translations/de/LC_MESSAGES/messages.po` carries the German text and
`translations/en/…` the English one, so that wording can change without touching the code.
The catalogues are compiled in memory at start-up: there is no .mo build step to forget.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from portal.clock import TIMEZONE
from portal.settings import ROOT

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
TRANSLATIONS_DIR = ROOT / "translations"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)
_catalogues: dict[str, NullTranslations] = {}
# Compiled catalogues by (.po path, modification time, size): the apps built in one process
# (every test builds one) compile an unchanged file once (~45 ms each time otherwise).
_compiled: dict[tuple[str, int, int], NullTranslations] = {}


def load_catalogues(directory: Path = TRANSLATIONS_DIR) -> dict[str, NullTranslations]:
    """Compile every language's .po file; a language without one falls back to the message ids."""
    for language in LANGUAGES:
        po = directory / language / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            _catalogues[language] = NullTranslations()
            continue
        stat = po.stat()
        key = (str(po), stat.st_mtime_ns, stat.st_size)
        if key not in _compiled:
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=language)
            buffer = BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            buffer.seek(0)
            _compiled[key] = Translations(buffer)
        _catalogues[language] = _compiled[key]
    return _catalogues


def set_language(language: str) -> contextvars.Token[str]:
    return _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    return _current.get()


def _catalogue() -> NullTranslations:
    if not _catalogues:
        load_catalogues()
    return _catalogues.get(_current.get()) or NullTranslations()


def gettext(message: str, **variables: object) -> str:
    text = _catalogue().gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = _catalogue().ngettext(singular, plural, n)
    return text % {"num": n, **variables}


_ = gettext


def raw_gettext(message: str) -> str:
    """For Jinja's newstyle gettext, which does the %-formatting (and escaping) itself."""
    return _catalogue().gettext(message)


def raw_ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an Accept-Language header; German when nothing matches."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((quality, tag.strip().lower()[:2]))
    for _quality, language in sorted(weighted, key=lambda pair: -pair[0]):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def _locale() -> Locale:
    return Locale.parse(_current.get())


NAMED_FORMATS = ("short", "medium", "long", "full")


def format_date(value: dt.date | dt.datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(TIMEZONE).date() if value.tzinfo else value.date()
    return _format_date(value, format, _current.get())


@functools.lru_cache(maxsize=4096)
def _format_date(value: dt.date, format: str, language: str) -> str:
    """A date in a language, formatted once: babel takes about 0.1 ms a date, and a page of
    cards or rows prints the same few dates again and again."""
    locale = Locale.parse(language)
    pattern = locale.date_formats[format].pattern if format in NAMED_FORMATS else format
    # "y" prints year 1 as "1" ("01.01.1"); four digits at least, as every date is written.
    pattern = re.sub(r"(?<!y)y(?!y)", "yyyy", pattern)
    return dates.format_date(value, format=pattern, locale=locale)


def format_datetime(value: dt.datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return dates.format_datetime(value, format=format, tzinfo=TIMEZONE, locale=_locale())


def format_number(value: int | float | Decimal | None) -> str:
    if value is None:
        return ""
    return numbers.format_decimal(value, locale=_locale())
