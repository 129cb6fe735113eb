"""Reference data, read-only: occupations (KldB 2010) with search, CEFR levels,
municipalities, programmes — the same services as the forms' pickers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Router, get
from litestar.params import FromPath, FromQuery, QueryParameter

from portal.api.http import DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, encode_cursor
from portal.api.problems import PROBLEMS, ApiProblem
from portal.auth import active_member
from portal.i18n import _
from portal.reference import services
from portal.reference.tables import CEFR, Occupation

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Rows per page")]


@dataclass
class OccupationOut:
    code: str
    name: str
    level: int


@dataclass
class OccupationPage:
    data: list[OccupationOut]
    next_cursor: str | None


@dataclass
class MunicipalityOut:
    id: int
    name: str
    district: str


@dataclass
class ProgrammeOut:
    id: int
    name: str


@get("/occupations", name="api:occupations", guards=[active_member], responses=PROBLEMS)
async def occupations(
    q: Annotated[str, QueryParameter(max_length=100, description="Search term or code")] = "",
    cursor: FromQuery[str | None] = None,
    limit: Limit = DEFAULT_LIMIT,
) -> OccupationPage:
    """The KldB 2010 occupations: with q the best matches (as the forms' picker, at most 15),
    without it every occupation by code, a page at a time."""
    if q:
        hits = await services.search_occupations(q)
        return OccupationPage([OccupationOut(h.code, h.name, h.level) for h in hits], None)
    after = decode_cursor(cursor, 1)
    query = Occupation.select(Occupation.code, Occupation.name, Occupation.level)
    if after:
        query = query.where(Occupation.code > after[0])
    rows = await query.order_by(Occupation.code).limit(limit + 1)
    more = len(rows) > limit
    data = [OccupationOut(**row) for row in rows[:limit]]
    return OccupationPage(data, encode_cursor([data[-1].code]) if more else None)


@get("/occupations/{code:str}", name="api:occupation", guards=[active_member], responses=PROBLEMS)
async def occupation(code: FromPath[str]) -> OccupationOut:
    """One occupation by its code (1 to 5 digits)."""
    hit = await services.occupation(code)
    if hit is None:
        raise ApiProblem(404, _("There is no occupation with the code %(code)s.", code=code[:10]))
    return OccupationOut(hit.code, hit.name, hit.level)


@get("/cefr-levels", name="api:cefr_levels", guards=[active_member], responses=PROBLEMS)
async def cefr_levels() -> list[str]:
    """The German levels a slot may require and a profile records (CEFR)."""
    return [level.value for level in CEFR]


@get("/municipalities", name="api:municipalities", guards=[active_member], responses=PROBLEMS)
async def municipalities() -> list[MunicipalityOut]:
    """The active municipalities of the district, by name."""
    return [
        MunicipalityOut(row["id"], row["name"], row["district"])
        for row in await services.municipalities()
    ]


@get("/programmes", name="api:programmes", guards=[active_member], responses=PROBLEMS)
async def programmes() -> list[ProgrammeOut]:
    """The active funding programmes, by name."""
    return [ProgrammeOut(row["id"], row["name"]) for row in await services.programmes()]


router = Router(
    path="/",
    route_handlers=[occupations, occupation, cefr_levels, municipalities, programmes],
)
