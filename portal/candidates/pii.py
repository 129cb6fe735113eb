"""The PII guard: free text an employer may see must not identify the person.

PRODUCT.md section 4: a text that contains the person's name, an e-mail address, a phone number
or a date (of birth) is refused with a clear message; the issue adds address-like patterns.
The guard refuses rather than redacts: the case manager rewrites the sentence, knowing what
the employer will read. It errs on the side of refusing (a surname that is also a word, such as
"Bauer", is refused too) and lets ordinary competence text through: years ("seit 2019"),
durations, levels ("B1"), occupation codes, tool names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from portal.forms import Errors
from portal.i18n import N_, _

_MONTHS = (
    "januar|jänner|jan|februar|feb|märz|maerz|mär|april|apr|mai|juni|jun|juli|jul|august|aug|"
    "september|sept|sep|oktober|okt|november|nov|dezember|dez|"
    "january|february|march|mar|may|june|july|october|oct|december|dec"
)

_STREETS = r"straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|pfad|steig|markt"
# "Arbeitsweg 20 Minuten" is a distance, not an address.
_NOT_A_MEASURE = r"(?!\s*(?:min|minuten|minutes|km|std|stunden|hours|h\b|m\b|meter))"

PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "email": [
        re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\))\s*[\w-]+)+", re.I)
    ],
    "phone": [
        # +49 171 2345678, 0049 …, 0171/2345678, (0561) 12 34 56, 0561-123456: a run of digits
        # and separators that starts like a phone number and holds at least six digits.
        re.compile(r"(?<![\w.])(?:\+|00|\(0|0)\d[\d\s/()-]{4,}\d(?![\w.])"),
        # Nine or more digits in a row (a number without any separator).
        re.compile(r"(?<!\d)\d{9,}(?!\d)"),
    ],
    "date": [
        re.compile(r"(?<![\d.])\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})(?![\d])"),  # 3.12.1990
        re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)"),  # 1990-12-03
        re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?![\d/])"),  # 12/03/1990
        re.compile(rf"(?<!\d)\d{{1,2}}\.?\s*(?:{_MONTHS})\.?\s+\d{{2,4}}(?!\d)", re.I),
        re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)", re.I),
    ],
    "address": [
        # Hauptstraße 12, Birkenweg 7a (a compound street name and a house number) …
        re.compile(
            rf"\b[^\W\d_]{{2,}}(?:{_STREETS})\s*\d{{1,4}}\s?[a-z]?\b{_NOT_A_MEASURE}",
            re.I,
        ),
        # … Kasseler Str. 4a, Am Markt 3 (a capitalised word before it; not "Platz 3 im Test").
        re.compile(
            rf"\b[A-ZÄÖÜ][\wäöüß-]*\s+(?i:{_STREETS})\s*\d{{1,4}}\s?[a-z]?\b{_NOT_A_MEASURE}"
        ),
        re.compile(r"\b\d{1,4}\s+[A-Z][a-z]+\s+(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane)\b"),
        re.compile(r"\bD-\d{5}\b|\bPostfach\s+\d+|\bPLZ\b", re.I),
    ],
}

MESSAGES = {
    "name": N_("Please remove the candidate's name: employers must not learn who the person is."),
    "email": N_("Please remove the e-mail address: contact stays on the portal."),
    "phone": N_("Please remove the phone number: contact stays on the portal."),
    "date": N_(
        "Please remove the date: it could give away the date of birth. "
        "Write e.g. “since 2019” or “for three years” instead."
    ),
    "address": N_(
        "Please remove the address: employers see only the municipalities the candidate can reach."
    ),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def find_personal_data(text: str, *, names: Iterable[str] = ()) -> list[str]:
    """The kinds of personal data in `text` ("name", "email", "phone", "date", "address")."""
    found = []
    folded = _fold(text)
    for part in {_fold(token) for name in names for token in re.findall(r"[^\W\d_]+", name)}:
        if len(part) >= 2 and re.search(rf"(?<![^\W\d_]){re.escape(part)}(?![^\W\d_])", folded):
            found.append("name")
            break
    for kind, patterns in PATTERNS.items():
        if any(pattern.search(text) for pattern in patterns):
            found.append(kind)
    return found


def check_free_text(errors: Errors, field: str, text: str, *, names: Iterable[str] = ()) -> None:
    """Put a message on `field` for the first kind of personal data found in `text`."""
    found = find_personal_data(text, names=names)
    if found:
        errors.setdefault(field, _(MESSAGES[found[0]]))
