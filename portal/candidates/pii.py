"""The PII guard: free text an employer may see must not identify the person.

PRODUCT.md section 4: a text that contains the person's name, an e-mail address, a phone number
or a date (of birth) is refused with a clear message; the issue adds address-like patterns.
The guard refuses rather than redacts: the case manager rewrites the sentence, knowing what
the employer will read. It errs on the side of refusing (a surname that is also a word, such as
"Bauer", is refused too) and lets ordinary competence text through: years ("seit 2019"),
durations, levels ("B1"), occupation codes, tool names, times ("06–14 Uhr").

It also refuses the name of a country (the nationality must not show: training and experience
are "abroad" or "in Germany") and an exact age ("29 Jahre alt"): employers see an age band at
most. A five-digit postcode alone is let through, since occupation codes (KldB 2010) look the
same; with a street and a number the address is caught.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from babel import Locale

from portal.forms import Errors
from portal.i18n import N_, _

_MONTHS = (
    "januar|jänner|jan|februar|feb|märz|maerz|mär|april|apr|mai|juni|jun|juli|jul|august|aug|"
    "september|sept|sep|oktober|okt|november|nov|dezember|dez|"
    "january|february|march|mar|may|june|july|october|oct|december|dec"
)
# A month's first letter, looked ahead for before the alternatives are tried one by one.
_MONTH_START = "(?=[" + "".join(sorted({month[0] for month in _MONTHS.split("|")})) + "])"

_STREETS = r"straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|pfad|steig|markt"
# Compounds of the street words that are no street: "Arbeitsplatz 2", "Supermarkt 3".
_NOT_A_STREET = r"(?!(?:arbeits|ausbildungs|praktikums|lager|stell|park)platz|supermarkt)"
# "Arbeitsweg 20 Minuten", "Am Band 2 Jahre" are a distance or a duration, not an address.
_NOT_A_MEASURE = (
    r"(?!\s*(?i:min\b|minuten|minutes|km|std|stunden|hours?\b|h\b|m\b|meter|uhr|"
    r"jahre?\b|monate?\b|wochen?\b|tage?\b|years?\b|months?\b|weeks?\b|days?\b|mal\b|x\b))"
)
# A house number: up to three digits and a letter ("4a"), not a year ("Im Mai 2024").
_HOUSE_NUMBER = rf"\d{{1,3}}(?!\d)\s?[a-zA-Z]?\b{_NOT_A_MEASURE}"

# In the order they are looked for: a date such as 03/12/1990 would also pass for a phone number.
PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "email": [
        # Starts only where a run of local-part characters starts: a match from the middle of
        # a run is also one from its start, and trying every position of a 100k run is quadratic.
        re.compile(
            r"(?<![\w.+-])[\w.+-]++\s*+(?:@|\(at\)|\[at\])\s*+[\w-]++(?:\s*+(?:\.|\(dot\))\s*+[\w-]++)+",
            re.I,
        )
    ],
    "date": [
        # 3.12.1990, 3.12.90 and 3.12. (a birthday without the year)
        re.compile(r"(?<![\d.])\d{1,2}\.\s?\d{1,2}\.(?:\s?(?:\d{4}|\d{2}))?(?![\d])"),
        re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)"),  # 1990-12-03
        re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?![\d/])"),  # 12/03/1990
        # 12. März 1990, 12 März, 1. August
        re.compile(
            rf"(?<![\d.,])\d{{1,2}}\.?\s*+{_MONTH_START}(?:{_MONTHS})\b\.?(?:\s+\d{{2,4}}(?!\d))?",
            re.I,
        ),
        re.compile(
            rf"\b{_MONTH_START}(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)", re.I
        ),
        # geboren 1994, Jahrgang 94, born in 1994: a year of birth.
        re.compile(
            r"\b(?:geboren|geb\.|jahrgang|born|birth)\s*+(?:(?:am|im|in|on|:)\s*+)?(?:jahre?\s*+)?"
            r"\d{2,4}(?!\d)",
            re.I,
        ),
    ],
    "phone": [
        # +49 171 2345678, 0049 …, 0171/2345678, (0561) 12 34 56, 0561-123456: starts like a
        # phone number and holds at least six digits, each separated by at most three of
        # " /()-" — not "06 - 14 Uhr" (four digits) nor "01/2020" (a month).
        re.compile(
            r"(?<![\w.,])(?!\d{1,2}/\d{4}\b)(?:\+|00|\(0|0)\d(?:[\s/()-]{0,3}\d){5,}(?!\w|[.,]\d)"
        ),
        # Nine or more digits in a row (a number without any separator).
        re.compile(r"(?<!\d)\d{9,}(?!\d)"),
    ],
    "age": [
        # 29 Jahre alt, 29-jährig, Alter: 29, aged 29, 29 years old: the exact age.
        re.compile(
            r"\b\d{1,2}\s*+(?:jahre\s+alt|-?\s*+jährige?r?\b|years?\s+old|-year-old)"
            r"|\b(?:alter|aged?)\s*+:?\s*+\d{1,2}\b",
            re.I,
        ),
    ],
    "address": [
        # Hauptstraße 12, Birkenweg 7a, Karl-Marx-Straße 5 (a compound street name, a number) …
        re.compile(rf"\b{_NOT_A_STREET}[^\W\d_]{{2,}}-?(?:{_STREETS})\s*{_HOUSE_NUMBER}", re.I),
        # … Kasseler Str. 4a, Am Markt 3 (a capitalised word before it; not "Platz 3 im Test") …
        # Every capital in "Ab-Ab-Ab-…" is a start whose word runs to the same end: the run is
        # entered once, at its start, if a capital at a word boundary lies in it.
        re.compile(
            rf"(?<![\wäöüß-])(?=[\wäöüß-]*?\b[A-ZÄÖÜ])[\wäöüß-]*+\s++(?i:{_STREETS})\s*{_HOUSE_NUMBER}"
        ),
        # … An der Kirche 2, Auf dem Berg 7 (a street named by a preposition and an article; the
        # number ends the phrase: "Auf der Baustelle 2 Kollegen angeleitet" is no address).
        re.compile(
            r"\b(?:An|Auf|Hinter|Unter|Vor|In)\s+(?:der|dem|den)\s+"
            rf"[A-ZÄÖÜ][\wäöüß-]+\s+{_HOUSE_NUMBER}(?=\s*(?:$|[,;)]|\.(?!\d)|\d{{5}}))"
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
    "country": N_(
        "Please remove the country: employers learn only whether training or experience was "
        "gained abroad or in Germany."
    ),
    "age": N_("Please remove the age: employers see at most an age band, if the person agreed."),
    "address": N_(
        "Please remove the address: employers see only the municipalities the candidate can reach."
    ),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# "Müller" is also written "Mueller"; folding alone makes it "muller".
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _name_parts(names: Iterable[str]) -> set[str]:
    """Each word of the names, case and accents folded, with and without umlauts spelt out."""
    parts = set()
    for name in names:
        for token in re.findall(r"[^\W\d_]+", name):
            parts |= {_fold(token), _fold(token.translate(_UMLAUTS))}
    return {part for part in parts if len(part) >= 2}


# Codes of CLDR's territories that are no country (the EU, the UN, unknown, pseudo-regions),
# and Germany: employers may learn that experience was gained "in Germany".
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "DE"}
_MORE_COUNTRIES = ("USA", "Palästina", "Palestine", "Weißrussland")


@functools.cache
def _countries() -> re.Pattern[str]:
    """Country names in German and English (CLDR), folded: the nationality must not show.

    Names only; adjectives and demonyms ("syrisch", "Syrer") are not caught.
    """
    names = set(_MORE_COUNTRIES)
    for language in ("de", "en"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                names.add(name)
    folded = sorted({_fold(name) for name in names}, key=len, reverse=True)
    # The first letters up front let the engine skip other characters without trying ~300
    # alternatives at each of them (a 100k text of spaces: 0.13 s without, 2 ms with).
    first = "".join(sorted({name[0] for name in folded}))
    return re.compile(
        rf"(?=[{re.escape(first)}])(?<!\w)(?:{'|'.join(map(re.escape, folded))})(?!\w)"
    )


def find_personal_data(text: str, *, names: Iterable[str] = ()) -> list[str]:
    """The kinds of personal data in `text`: name, country, email, phone, date, age, address."""
    found = []
    folded = _fold(text)
    for part in _name_parts(names):
        if re.search(rf"(?<![^\W\d_]){re.escape(part)}(?![^\W\d_])", folded):
            found.append("name")
            break
    if _countries().search(folded):
        found.append("country")
    for kind, patterns in PATTERNS.items():
        if any(pattern.search(text) for pattern in patterns):
            found.append(kind)
    return found


def check_free_text(
    errors: Errors, field: str, text: str, *, limit: int, names: Iterable[str] = ()
) -> None:
    """Put a message on `field` if `text` is longer than `limit`, else for the first kind of
    personal data found in it.

    The length comes first, and a field already refused is left alone: the guard never reads a
    text that is refused anyway (a 1 MB summary once kept the event loop busy for 20 minutes).
    """
    if field in errors:
        return
    if len(text) > limit:
        errors[field] = _("Please use at most %(n)s characters.", n=limit)
        return
    found = find_personal_data(text, names=names)
    if found:
        errors.setdefault(field, _(MESSAGES[found[0]]))
