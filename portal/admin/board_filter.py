"""The board's filter in the URL (the board, its list view and the CSV export share it), and
matching a text typed into it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from piccolo.columns import Column
from piccolo.columns.combination import Combinable

from portal.forms import not_allowed
from portal.placements.tables import Placement

SEARCH_MAX_LENGTH = 60
# The periods a filter offers: placements nominated (or requested) in the last N days.
PERIODS = ("30", "90", "365")
# The list view's sort keys → (column, ascending by default).
SORTS: dict[str, tuple[Any, bool]] = {
    "code": (Placement.candidate.code, True),
    "state": (Placement.state, True),
    "days": (Placement.state_changed_at, True),
    "start": (Placement.start_date, True),
    "employer": (Placement.employer.name, True),
    "created": (Placement.created_at, False),
}
# What the attention list counts, each a filter of the board (`need=` in the URL).
NEEDS = ("unanswered", "no_start", "checklist", "evaluation", "follow_up")
# The filters picked from long lists (macros/combobox.html): the id chosen in the list, or
# without JavaScript the text typed (`<name>_query`), matched against the names.
PICKERS = ("employer", "agency", "case_worker")


@dataclass(frozen=True)
class BoardFilter:
    """The filter in the URL; anything malformed is simply no filter."""

    programme: str = ""
    municipality: str = ""
    field: str = ""  # KldB 2010 occupational area (one digit)
    employer: str = ""
    agency: str = ""
    case_worker: str = ""
    # A name typed into a picker, when nothing was chosen from its list (only then).
    employer_query: str = ""
    agency_query: str = ""
    case_worker_query: str = ""
    period: str = ""
    attention: bool = False
    closed: bool = False
    q: str = ""
    sort: str = ""
    desc: bool = False
    need: str = ""  # one of NEEDS: what the attention list links to

    def params(self, **changes: Any) -> dict[str, str]:
        """The filter as query parameters (only those set), with `changes` applied."""
        values = {**self.__dict__, **changes}
        out = {}
        for key, value in values.items():
            if value is True:
                out[key] = "1"
            elif value:
                out[key] = str(value)
        return out

    def query(self, **changes: Any) -> str:
        return urlencode(self.params(**changes))

    @property
    def active(self) -> bool:
        """Whether anything narrows the board (the closed toggle and the sort do not)."""
        return any(
            (self.programme, self.municipality, self.field, self.employer, self.agency,
             self.case_worker, self.employer_query, self.agency_query, self.case_worker_query,
             self.period, self.attention, self.q, self.need)
        )  # fmt: skip

    @property
    def chosen(self) -> dict[str, str]:
        """Picker → the id chosen in it (only those chosen)."""
        return {name: getattr(self, name) for name in PICKERS if getattr(self, name)}


def _digits(value: str) -> str:
    return value if value.isascii() and value.isdigit() and len(value) <= 9 else ""


def _uuid(value: str) -> str:
    try:
        return str(UUID(value)) if value else ""
    except ValueError:
        return ""


def _text(value: str) -> str:
    return " ".join(value.split())[:SEARCH_MAX_LENGTH]


def _param(params: Mapping[str, str], key: str) -> str:
    """A filter's value; one holding a character no text may hold (NUL: PostgreSQL refuses it
    in a query) counts as not given."""
    value = (params.get(key) or "").strip()
    return "" if not_allowed(value) else value


def typed(params: Mapping[str, str], key: str) -> str:
    """A text typed into the filter: its spaces collapsed, at most SEARCH_MAX_LENGTH."""
    return _text(_param(params, key))


def _chosen(params: Mapping[str, str], name: str) -> str:
    """The id chosen in a picker; none when its text was sent empty (the person cleared the
    field — with JavaScript or without, where the hidden id stays in the form)."""
    query = f"{name}_query"
    if query in params and not _param(params, query):
        return ""
    return _uuid(_param(params, name))


def parse_filter(params: Mapping[str, str]) -> BoardFilter:
    get = lambda key: _param(params, key)  # noqa: E731
    area = get("field")
    chosen = {name: _chosen(params, name) for name in PICKERS}
    # A picker's text is its chosen item's label once an item is chosen: then the id counts.
    typed = {
        f"{name}_query": "" if chosen[name] else _text(get(f"{name}_query")) for name in PICKERS
    }
    return BoardFilter(
        programme=_digits(get("programme")),
        municipality=_digits(get("municipality")),
        field=area if len(area) == 1 and area.isascii() and area.isdigit() else "",
        **chosen,
        **typed,
        period=get("period") if get("period") in PERIODS else "",
        attention=get("attention") == "1",
        closed=get("closed") == "1",
        q=_text(get("q")),
        sort=get("sort") if get("sort") in SORTS else "",
        desc=get("desc") == "1",
        need=get("need") if get("need") in NEEDS else "",
    )


def text_match(columns: tuple[Column, ...], term: str) -> Combinable:
    r"""`term` anywhere in one of `columns`, ignoring case (PostgreSQL: ILIKE with \ % _
    escaped, as admin.services; SQLite: LIKE, which ignores the case of ASCII letters)."""
    postgres = Placement._meta.db.engine_type == "postgres"
    if postgres:
        for special in ("\\", "%", "_"):
            term = term.replace(special, "\\" + special)
    pattern = f"%{term}%"
    match: Combinable | None = None
    for column in columns:
        this = column.ilike(pattern) if postgres else column.like(pattern)
        match = this if match is None else match | this
    assert match is not None  # noqa: S101
    return match
