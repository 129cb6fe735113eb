"""Reference data: looking up occupations (KldB 2010), municipalities and programmes.

The occupations are loaded by loading.py. Municipalities and programmes are set up by the
operator.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from uuid import UUID

from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from portal.audit.services import record
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
    """Input that is refused, with a message for the person who gave it (and its field)."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


# --- occupations: looking them up --------------------------------------------------------------


@dataclass(frozen=True)
class OccupationHit:
    code: str
    name: str
    level: int

    @property
    def label(self) -> str:
        return occupation_label(self.code, self.name)

    @property
    def value(self) -> str:
        """What a picker (macros/combobox.html) sends for this hit."""
        return self.code


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

    Ranked as people read: an exact match (the whole name or the code) first, then names that
    start with the term, then names with a word that starts with it ("Berufe im Metallbau"),
    then names that merely contain it, then codes; within a rank, the earlier the term stands
    in the name the better, then the most specific (5 digits, then 4 …), then by code (so the
    helper and skilled levels of an occupation come before the specialist and expert ones).
    `%` and `_` in the term are matched literally. On SQLite the comparison ignores case for
    ASCII letters only (an "ä" does not find an "Ä"); PostgreSQL's ILIKE knows all of Unicode.
    """
    term = " ".join(term.split())[:100]
    # No occupation's name holds a NUL, and PostgreSQL refuses one in a query (a 500 there).
    if not term or "\x00" in term:
        return []
    postgres = Occupation._meta.db.engine_type == "postgres"
    operator = "ILIKE" if postgres else "LIKE"
    column = f'"{Occupation._meta.tablename}"."name"'
    code = f'"{Occupation._meta.tablename}"."code"'
    escaped = _escape_like(term)
    like = f"{column} {operator} {{}} ESCAPE '\\'"
    condition: Any = WhereRaw(like, f"%{escaped}%")
    if CODE_RE.match(term):
        condition = condition | Occupation.code.like(f"{term}%")
    word_starts = [f"% {escaped}%", f"%-{escaped}%", f"%({escaped}%", f"%/{escaped}%"]
    rank = QueryString(
        f"CASE WHEN lower({column}) = lower({{}}) OR {code} = {{}} THEN 0 "
        f"WHEN {like} THEN 1 "
        f"WHEN {like} OR {like} OR {like} OR {like} THEN 2 "
        f"WHEN {like} THEN 3 ELSE 4 END",
        term,
        term,
        f"{escaped}%",
        *word_starts,
        f"%{escaped}%",
    )
    find = "strpos" if postgres else "instr"
    position = QueryString(f"{find}(lower({column}), lower({{}}))", term)
    rows = (
        await Occupation.select(Occupation.code, Occupation.name, Occupation.level)
        .where(condition)
        .order_by(rank)
        .order_by(position)
        .order_by(Occupation.level, ascending=False)
        .order_by(Occupation.code)
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


def _municipality_fields(name: str, ags: str | None, district: str) -> tuple[str, str, str]:
    name, district, ags = " ".join(name.split()), " ".join(district.split()), (ags or "").strip()
    if not name:
        raise InvalidInput(_("Please give the municipality's name."))
    if len(name) > 100 or len(district) > 100:
        field = "name" if len(name) > 100 else "district"
        raise InvalidInput(_("Please use at most %(n)s characters.", n=100), field)
    if ags and not AGS_RE.match(ags):
        raise InvalidInput(
            _("The AGS (Amtlicher Gemeindeschlüssel) has 8 digits, e.g. 09162000."), "ags"
        )
    return name, ags, district


async def _refuse_taken_municipality(name: str, ags: str, *, other_than: int | None = None) -> None:
    taken = await Municipality.select(
        Municipality._meta.primary_key, Municipality.name, Municipality.ags
    )
    taken = [row for row in taken if row["id"] != other_than]
    if any(row["name"].casefold() == name.casefold() for row in taken):
        raise InvalidInput(_("A municipality named %(name)s exists already.", name=name))
    if ags and any(row["ags"] == ags for row in taken):
        raise InvalidInput(_("A municipality with the AGS %(ags)s exists already.", ags=ags), "ags")


async def add_municipality(
    name: str, *, ags: str | None = None, district: str = "", actor: Actor | None = None
) -> Municipality:
    """A new municipality; refused if the name is taken or the AGS is not 8 digits."""
    name, ags, district = _municipality_fields(name, ags, district)
    await _refuse_taken_municipality(name, ags)
    municipality = Municipality(name=name, ags=ags or None, district=district)
    await municipality.save()
    await _audit("municipality.created", primary_key(municipality), actor)
    return municipality


async def change_municipality(
    municipality_id: int, name: str, *, ags: str | None, district: str, actor: Actor
) -> bool:
    """Rename a municipality (its AGS and district too); False if there is none."""
    name, ags, district = _municipality_fields(name, ags, district)
    old = (
        await Municipality.select().where(Municipality._meta.primary_key == municipality_id).first()
    )
    if old is None:
        return False
    await _refuse_taken_municipality(name, ags, other_than=municipality_id)
    new = {"name": name, "ags": ags or None, "district": district}
    changed = sorted(key for key, value in new.items() if old[key] != value)
    if changed:
        await Municipality.update(new).where(Municipality._meta.primary_key == municipality_id)  # type: ignore[arg-type]
        await _audit("municipality.changed", municipality_id, actor, fields=changed)
    return True


async def set_municipality_active(municipality_id: int, active: bool, *, actor: Actor) -> bool:
    """Retire a municipality (kept for the records that name it) or bring it back."""
    return await _set_active(Municipality, "municipality", municipality_id, active, actor)


async def programmes() -> list[dict[str, Any]]:
    """The active programmes, by name."""
    return await (
        Programme.select(Programme._meta.primary_key, Programme.name)
        .where(Programme.active.eq(True))
        .order_by(Programme.name)
    )


async def all_programmes() -> list[dict[str, Any]]:
    return await Programme.select().order_by(Programme.name)


def _programme_fields(name: str, description: str) -> tuple[str, str]:
    name, description = " ".join(name.split()), description.strip()
    if not name:
        raise InvalidInput(_("Please give the programme's name."))
    if len(name) > 150:
        raise InvalidInput(_("Please use at most %(n)s characters.", n=150))
    if len(description) > 1000:
        raise InvalidInput(_("Please use at most %(n)s characters.", n=1000), "description")
    return name, description


async def _refuse_taken_programme(name: str, *, other_than: int | None = None) -> None:
    taken = await Programme.select(Programme._meta.primary_key, Programme.name)
    if any(r["name"].casefold() == name.casefold() and r["id"] != other_than for r in taken):
        raise InvalidInput(_("A programme named %(name)s exists already.", name=name))


async def add_programme(
    name: str, *, description: str = "", actor: Actor | None = None
) -> Programme:
    """A new programme; refused if the name is taken."""
    name, description = _programme_fields(name, description)
    await _refuse_taken_programme(name)
    programme = Programme(name=name, description=description)
    await programme.save()
    await _audit("programme.created", primary_key(programme), actor)
    return programme


async def change_programme(programme_id: int, name: str, *, description: str, actor: Actor) -> bool:
    """Rename a programme (or change its description); False if there is none."""
    name, description = _programme_fields(name, description)
    old = await Programme.select().where(Programme._meta.primary_key == programme_id).first()
    if old is None:
        return False
    await _refuse_taken_programme(name, other_than=programme_id)
    new = {"name": name, "description": description}
    changed = sorted(key for key, value in new.items() if old[key] != value)
    if changed:
        await Programme.update(new).where(Programme._meta.primary_key == programme_id)  # type: ignore[arg-type]
        await _audit("programme.changed", programme_id, actor, fields=changed)
    return True


async def set_programme_active(programme_id: int, active: bool, *, actor: Actor) -> bool:
    """Retire a programme (its cases keep it; no new case can choose it) or bring it back."""
    return await _set_active(Programme, "programme", programme_id, active, actor)


# -- shared -------------------------------------------------------------------------------------


class Actor(NamedTuple):
    """Who changes the reference data, for the audit log (None from the command line)."""

    id: UUID
    organisation_id: UUID
    address: str = ""


async def _set_active(
    table: type[Municipality] | type[Programme],
    record_type: str,
    row_id: int,
    active: bool,
    actor: Actor,
) -> bool:
    """Nothing is ever deleted: cases, slots and statistics keep naming what was retired."""
    row = await table.select(table.active).where(table._meta.primary_key == row_id).first()
    if row is None:
        return False
    if row["active"] != active:
        await table.update({table.active: active}).where(table._meta.primary_key == row_id)
        await _audit(f"{record_type}.{'reactivated' if active else 'retired'}", row_id, actor)
    return True


def primary_key(row: Municipality | Programme) -> Any:
    return getattr(row, row._meta.primary_key._meta.name)


async def _audit(action: str, row_id: Any, actor: Actor | None, **detail: Any) -> None:
    await record(
        action,
        record_type=action.split(".")[0],
        record_id=str(row_id),
        actor_id=actor.id if actor else None,
        actor_organisation_id=actor.organisation_id if actor else None,
        address=actor.address if actor else "",
        **detail,
    )
