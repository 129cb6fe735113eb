"""Languages a person speaks or was informed in (ISO 639 codes), with names from Babel's CLDR data.

The list covers the languages most often met in German integration programmes; it names
languages, never nationalities or origins.
"""

from __future__ import annotations

from babel import Locale

from portal.i18n import current_language

CODES = (
    "ar", "fa", "ps", "ku", "ckb", "ti", "am", "so", "om", "uk", "ru", "tr", "en", "fr", "es",
    "it", "pt", "pl", "ro", "bg", "sr", "hr", "bs", "sq", "mk", "el", "hu", "ka", "hy", "az",
    "uz", "tg", "ur", "hi", "bn", "ta", "ne", "vi", "zh", "ha", "yo", "ig", "ln", "sw", "wo",
    "rw", "de",
)  # fmt: skip


def language_name(code: str, language: str | None = None) -> str:
    """The name of `code` in the user's language (the code itself when CLDR has no name)."""
    names = Locale(language or current_language()).languages
    return str(names.get(code, code))


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, for a select."""
    return sorted(
        ((code, language_name(code, language)) for code in CODES), key=lambda pair: pair[1]
    )
