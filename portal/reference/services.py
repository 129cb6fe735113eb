"""Reference data: looking up occupations (KldB 2010), municipalities and programmes.

The occupations are loaded by loading.py. Municipalities and programmes are set up by the
operator.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from portal.i18n import N_, _
from portal.reference.tables import Municipality, Occupation, Programme

CODE_RE = re.compile(r"^\d{1,5}$")
# A typed code, alone or at the start of an option's label ("24422 – Berufe in …").
LEADING_CODE_RE = re.compile(r"^(\d{1,5})(?:\s*[–-]\s*.*)?$")
AGS_RE = re.compile(r"^\d{8}$")
SEARCH_LIMIT = 15

# The fifth digit of a code is the requirement level (Anforderungsniveau); the official titles
# of the 5-digit codes end with its long name, the labels we show end with its short name.
REQUIREMENT_LEVELS = {
    "1": ("Helfer-/Anlerntätigkeiten", N_("helper")),
    "2": ("fachlich ausgerichtete Tätigkeiten", N_("skilled worker")),
    "3": ("komplexe Spezialistentätigkeiten", N_("specialist")),
    "4": ("hoch komplexe Tätigkeiten", N_("expert")),
}


class InvalidInput(ValueError):
    """Input that is refused, with a message for the person who gave it."""


# --- occupations: looking them up --------------------------------------------------------------


@dataclass(frozen=True)
class OccupationHit:
    code: str
    name: str
    level: int

    @property
    def label(self) -> str:
        return occupation_label(self.code, self.name)


def occupation_label(code: str, name: str) -> str:
    """`24422 – Berufe in der Schweiß- und Verbindungstechnik (Fachkraft)` for people to read."""
    if len(code) == 5 and code[-1] in REQUIREMENT_LEVELS:
        long_name, short_name = REQUIREMENT_LEVELS[code[-1]]
        for dash in (" – ", " - "):
            if name.endswith(dash + long_name):
                return f"{code} – {name[: -len(dash + long_name)]} ({_(short_name)})"
    return f"{code} – {name}"


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_occupations(term: str, limit: int = SEARCH_LIMIT) -> list[OccupationHit]:
    """Occupations whose name contains `term` or whose code starts with it; one query.

    An exact match (the whole name or the code) comes first, then the most specific (5 digits,
    then 4, 3 …), then by name. `%` and `_` in the term are matched literally. On SQLite the
    comparison ignores case for ASCII letters only (an "ä" does not find an "Ä"); PostgreSQL's
    ILIKE knows all of Unicode.
    """
    term = " ".join(term.split())[:100]
    # No occupation's name holds a NUL, and PostgreSQL refuses one in a query (a 500 there).
    if not term or "\x00" in term:
        return []
    operator = "ILIKE" if Occupation._meta.db.engine_type == "postgres" else "LIKE"
    column = f'"{Occupation._meta.tablename}"."name"'
    pattern = f"%{_escape_like(term)}%"
    condition: Any = WhereRaw(f"{column} {operator} {{}} ESCAPE '\\'", pattern)
    if CODE_RE.match(term):
        condition = condition | Occupation.code.like(f"{term}%")
    code = f'"{Occupation._meta.tablename}"."code"'
    exact = QueryString(
        f"CASE WHEN lower({column}) = lower({{}}) OR {code} = {{}} THEN 0 ELSE 1 END", term, term
    )
    rows = (
        await Occupation.select(Occupation.code, Occupation.name, Occupation.level)
        .where(condition)
        .order_by(exact)
        .order_by(Occupation.level, ascending=False)
        .order_by(Occupation.name)
        .limit(limit)
    )
    return [OccupationHit(**row) for row in rows]


async def occupation(code: str) -> OccupationHit | None:
    if not CODE_RE.match(code):
        return None
    row = (
        await Occupation.select(Occupation.code, Occupation.name, Occupation.level)
        .where(Occupation.code == code)
        .first()
    )
    return OccupationHit(**row) if row else None


class OccupationChoice(NamedTuple):
    code: str | None
    matches: list[OccupationHit]
    error: str | None


async def resolve_occupation(
    values: MutableMapping[str, Any], name: str = "occupation", *, required: bool = True
) -> OccupationChoice:
    """The occupation an occupation picker (macros/occupation.html) submitted.

    The picker sends `<name>` (the code, chosen from the list with JavaScript),
    `<name>_query` (the text typed) and, after a search without JavaScript, `<name>_choice`
    (a radio button among the matches). An explicit choice wins, then the code unless the
    text was changed after it was chosen, then the text: a valid code, or a text that matches
    exactly one occupation (or one by its full name). Several matches come back as `matches`
    with an error, so that the form offers them to choose from.

    `values` is updated for showing the form again: `<name>` holds the code ("" if none),
    `<name>_query` the occupation's label, `<name>_matches` the matches.
    """
    query_key, matches_key = f"{name}_query", f"{name}_matches"
    code = str(values.get(name) or "").strip()
    query = " ".join(str(values.get(query_key) or "").split())[:100]
    values[matches_key] = []
    chosen = await occupation(str(values.get(f"{name}_choice") or "").strip())
    if chosen is None and code:
        chosen = await occupation(code)
        # Without JavaScript the code stays in the form when the text is changed afterwards.
        if chosen and query and query != chosen.label and not query.startswith(chosen.code):
            chosen = None
    if chosen is None and query:
        typed = LEADING_CODE_RE.match(query)
        if typed:
            chosen = await occupation(typed.group(1))
            if chosen is None:
                values[name] = ""
                return OccupationChoice(
                    None,
                    [],
                    _("There is no occupation with the code %(code)s.", code=typed.group(1)),
                )
        else:
            matches = await search_occupations(query)
            exact = [hit for hit in matches if hit.name.casefold() == query.casefold()]
            if len(matches) == 1 or len(exact) == 1:
                chosen = exact[0] if len(exact) == 1 else matches[0]
            else:
                values[name] = ""
                values[matches_key] = matches
                if matches:
                    return OccupationChoice(
                        None, matches, _("Several occupations match. Please choose one.")
                    )
                return OccupationChoice(
                    None,
                    [],
                    _("No occupation matches „%(query)s“. Please try another word.", query=query),
                )
    if chosen is not None:
        values[name] = chosen.code
        values[query_key] = chosen.label
        return OccupationChoice(chosen.code, [], None)
    values[name] = ""
    return OccupationChoice(None, [], _("Please choose an occupation.") if required else None)


# --- municipalities and programmes ---------------------------------------------------------


async def municipalities() -> list[dict[str, Any]]:
    """The active municipalities, by name (for the pickers of forms)."""
    return await (
        Municipality.select(
            Municipality._meta.primary_key, Municipality.name, Municipality.district
        )
        .where(Municipality.active.eq(True))
        .order_by(Municipality.name)
    )


async def all_municipalities() -> list[dict[str, Any]]:
    return await Municipality.select().order_by(Municipality.name)


async def add_municipality(
    name: str, *, ags: str | None = None, district: str = ""
) -> Municipality:
    """A new municipality; refused if the name is taken or the AGS is not 8 digits."""
    name, district, ags = " ".join(name.split()), " ".join(district.split()), (ags or "").strip()
    if not name:
        raise InvalidInput(_("Please give the municipality's name."))
    if len(name) > 100 or len(district) > 100:
        raise InvalidInput(_("Please use at most %(n)s characters.", n=100))
    if ags and not AGS_RE.match(ags):
        raise InvalidInput(_("The AGS (Amtlicher Gemeindeschlüssel) has 8 digits, e.g. 09162000."))
    taken = await Municipality.select(Municipality.name, Municipality.ags)
    if any(row["name"].casefold() == name.casefold() for row in taken):
        raise InvalidInput(_("A municipality named %(name)s exists already.", name=name))
    if ags and any(row["ags"] == ags for row in taken):
        raise InvalidInput(_("A municipality with the AGS %(ags)s exists already.", ags=ags))
    municipality = Municipality(name=name, ags=ags or None, district=district)
    await municipality.save()
    return municipality


async def programmes() -> list[dict[str, Any]]:
    """The active programmes, by name."""
    return await (
        Programme.select(Programme._meta.primary_key, Programme.name)
        .where(Programme.active.eq(True))
        .order_by(Programme.name)
    )


async def all_programmes() -> list[dict[str, Any]]:
    return await Programme.select().order_by(Programme.name)


async def add_programme(name: str, *, description: str = "") -> Programme:
    """A new programme; refused if the name is taken."""
    name, description = " ".join(name.split()), description.strip()
    if not name:
        raise InvalidInput(_("Please give the programme's name."))
    if len(name) > 150:
        raise InvalidInput(_("Please use at most %(n)s characters.", n=150))
    taken = await Programme.select(Programme.name)
    if any(row["name"].casefold() == name.casefold() for row in taken):
        raise InvalidInput(_("A programme named %(name)s exists already.", name=name))
    programme = Programme(name=name, description=description)
    await programme.save()
    return programme
