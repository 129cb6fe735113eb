"""Reference data in the console: programmes, municipalities and the operating limits.

Programmes and municipalities are created, renamed and retired (reactivated) — never deleted:
cases, slots and the statistics keep naming what was retired; the forms' pickers offer only the
active ones. Every change is audited (reference.services, reference.limits). The lists answer
htmx with their `section` block (200, also for a refused input: htmx swaps only 2xx), and
without JavaScript with the whole page (400 on a refused input) or a redirect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.auth import operator_admin
from portal.forms import Errors, form_data
from portal.i18n import N_, _
from portal.reference import services
from portal.reference.limits import SPECS, InvalidLimit, check_limit, load_limits, save_limit
from portal.reference.services import Actor, InvalidInput
from portal.web import AnyRequest, client_address, flash, see_other, settings_of, user_of


@dataclass(frozen=True)
class Kind:
    """Programmes or municipalities: their names, fields and service functions."""

    name: str  # route names: admin:<name>_create, admin:<name>, …
    plural: str  # the list's route name: admin:<plural>
    title: str
    fields: tuple[tuple[str, str, int], ...]  # (field, label, max length)
    done_created: str
    done_changed: str
    done_retired: str
    done_reactivated: str


PROGRAMME = Kind(
    "programme",
    "programmes",
    N_("Programmes"),
    (("name", N_("Name"), 150), ("description", N_("Description"), 1000)),
    N_("The programme %(name)s has been added."),
    N_("The programme has been saved."),
    N_("The programme %(name)s has been retired: new cases can no longer choose it."),
    N_("The programme %(name)s is active again."),
)
MUNICIPALITY = Kind(
    "municipality",
    "municipalities",
    N_("Municipalities"),
    (
        ("name", N_("Name"), 100),
        ("ags", N_("AGS (Amtlicher Gemeindeschlüssel)"), 8),
        ("district", N_("District"), 100),
    ),
    N_("The municipality %(name)s has been added."),
    N_("The municipality has been saved."),
    N_("The municipality %(name)s has been retired: it is no longer offered in the forms."),
    N_("The municipality %(name)s is active again."),
)


def _actor(request: AnyRequest) -> Actor:
    user = user_of(request)
    return Actor(user.id, user.organisation_id, client_address(request))


def _partial(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


async def _rows(kind: Kind) -> list[dict[str, Any]]:
    if kind is PROGRAMME:
        return await services.all_programmes()
    return await services.all_municipalities()


async def _list(
    request: HTMXRequest,
    kind: Kind,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: tuple[str, str] | None = None,
) -> Template:
    """The list with its form to add one: the page, or for htmx the `section` block."""
    partial = _partial(request)
    return HTMXBlockTemplate(
        template_name="admin/reference_list.html",
        block_name="section" if partial else None,
        context={
            "kind": kind,
            "rows": await _rows(kind),
            "values": values or {},
            "errors": errors or {},
            "message": message,
        },
        status_code=400 if errors and not partial else 200,
    )


async def _create(request: HTMXRequest, kind: Kind) -> Template | Redirect:
    data = await form_data(request)
    values = {field: data.get(field, "") for field, _label, _n in kind.fields}
    errors = Errors(values)
    if not errors:
        try:
            if kind is PROGRAMME:
                await services.add_programme(
                    values["name"], description=values["description"], actor=_actor(request)
                )
            else:
                await services.add_municipality(
                    values["name"],
                    ags=values["ags"],
                    district=values["district"],
                    actor=_actor(request),
                )
        except InvalidInput as refused:
            errors[refused.field] = str(refused)
    if errors:
        return await _list(request, kind, values=values, errors=errors)
    done = _(kind.done_created, name=" ".join(values["name"].split()))
    if _partial(request):
        return await _list(request, kind, message=(done, "success"))
    flash(request, done)
    return see_other(request.app.route_reverse(f"admin:{kind.plural}"))


async def _set_active(
    request: HTMXRequest, kind: Kind, row_id: int, change: str
) -> Template | Redirect:
    if change not in ("retire", "reactivate"):
        raise NotFoundException()
    active = change == "reactivate"
    setter = (
        services.set_programme_active if kind is PROGRAMME else services.set_municipality_active
    )
    if not await setter(row_id, active, actor=_actor(request)):
        raise NotFoundException()
    name = next(row["name"] for row in await _rows(kind) if row["id"] == row_id)
    done = _(kind.done_reactivated if active else kind.done_retired, name=name)
    if _partial(request):
        return await _list(request, kind, message=(done, "success"))
    flash(request, done)
    return see_other(request.app.route_reverse(f"admin:{kind.plural}"))


async def _edit_page(
    kind: Kind,
    row_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    row = next((row for row in await _rows(kind) if row["id"] == row_id), None)
    if row is None:
        raise NotFoundException()
    shown = values or {field: row[field] or "" for field, _label, _n in kind.fields}
    return Template(
        template_name="admin/reference_edit.html",
        context={"kind": kind, "row": row, "values": shown, "errors": errors or {}},
        status_code=400 if errors else 200,
    )


async def _update(request: AnyRequest, kind: Kind, row_id: int) -> Template | Redirect:
    data = await form_data(request)
    values = {field: data.get(field, "") for field, _label, _n in kind.fields}
    errors = Errors(values)
    found = True
    if not errors:
        try:
            if kind is PROGRAMME:
                found = await services.change_programme(
                    row_id, values["name"], description=values["description"], actor=_actor(request)
                )
            else:
                found = await services.change_municipality(
                    row_id,
                    values["name"],
                    ags=values["ags"],
                    district=values["district"],
                    actor=_actor(request),
                )
        except InvalidInput as refused:
            errors[refused.field] = str(refused)
    if not found:
        raise NotFoundException()
    if errors:
        return await _edit_page(kind, row_id, values=values, errors=errors)
    flash(request, _(kind.done_changed))
    return see_other(request.app.route_reverse(f"admin:{kind.plural}"))


# -- programmes -------------------------------------------------------------------------------


@get("/programmes", name="admin:programmes")
async def programmes(request: HTMXRequest) -> Template:
    return await _list(request, PROGRAMME)


@post("/programmes", name="admin:programme_create", status_code=200)
async def programme_create(request: HTMXRequest) -> Template | Redirect:
    return await _create(request, PROGRAMME)


@get("/programmes/{programme_id:int}", name="admin:programme")
async def programme(programme_id: FromPath[int]) -> Template:
    return await _edit_page(PROGRAMME, programme_id)


@post("/programmes/{programme_id:int}", name="admin:programme_update")
async def programme_update(request: AnyRequest, programme_id: FromPath[int]) -> Template | Redirect:
    return await _update(request, PROGRAMME, programme_id)


@post("/programmes/{programme_id:int}/{change:str}", name="admin:programme_active", status_code=200)
async def programme_active(
    request: HTMXRequest, programme_id: FromPath[int], change: FromPath[str]
) -> Template | Redirect:
    return await _set_active(request, PROGRAMME, programme_id, change)


# -- municipalities ---------------------------------------------------------------------------


@get("/municipalities", name="admin:municipalities")
async def municipalities(request: HTMXRequest) -> Template:
    return await _list(request, MUNICIPALITY)


@post("/municipalities", name="admin:municipality_create", status_code=200)
async def municipality_create(request: HTMXRequest) -> Template | Redirect:
    return await _create(request, MUNICIPALITY)


@get("/municipalities/{municipality_id:int}", name="admin:municipality")
async def municipality(municipality_id: FromPath[int]) -> Template:
    return await _edit_page(MUNICIPALITY, municipality_id)


@post("/municipalities/{municipality_id:int}", name="admin:municipality_update")
async def municipality_update(
    request: AnyRequest, municipality_id: FromPath[int]
) -> Template | Redirect:
    return await _update(request, MUNICIPALITY, municipality_id)


@post(
    "/municipalities/{municipality_id:int}/{change:str}",
    name="admin:municipality_active",
    status_code=200,
)
async def municipality_active(
    request: HTMXRequest, municipality_id: FromPath[int], change: FromPath[str]
) -> Template | Redirect:
    return await _set_active(request, MUNICIPALITY, municipality_id, change)


# -- operating limits -------------------------------------------------------------------------


async def _limits_page(
    request: HTMXRequest,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: tuple[str, str] | None = None,
) -> Template:
    limits = await load_limits(settings_of(request))
    partial = _partial(request)
    return HTMXBlockTemplate(
        template_name="admin/limits.html",
        block_name="form" if partial else None,
        context={
            "specs": SPECS,
            "values": values or {key: str(value) for key, value in limits.values.items()},
            "errors": errors or {},
            "message": message,
        },
        status_code=400 if errors and not partial else 200,
    )


@get("/limits", name="admin:limits")
async def limits(request: HTMXRequest) -> Template:
    return await _limits_page(request)


@post("/limits", name="admin:limits_save", status_code=200)
async def limits_save(request: HTMXRequest) -> Template | Redirect:
    """Every limit checked first; then the changed ones saved, each audited (save_limit)."""
    data = await form_data(request)
    current = (await load_limits(settings_of(request))).values
    values = {spec.key: data.get(spec.key, "") for spec in SPECS}
    errors: dict[str, str] = Errors(values)
    checked: dict[str, int] = {}
    for spec in SPECS:
        if spec.key in errors:
            continue
        try:
            checked[spec.key] = check_limit(spec.key, values[spec.key])
        except InvalidLimit as refused:
            errors[spec.key] = _(str(refused), min=spec.minimum, max=spec.maximum)
    if errors:
        return await _limits_page(request, values=values, errors=errors)
    user = user_of(request)
    changed = 0
    for key, value in checked.items():
        if value != current[key]:
            await save_limit(
                key, value, actor_id=user.id, actor_organisation_id=user.organisation_id
            )
            changed += 1
    done = (
        _("The limits have been saved.") if changed else _("Nothing changed: no limit was saved.")
    )
    if _partial(request):
        return await _limits_page(request, message=(done, "success"))
    flash(request, done)
    return see_other(request.app.route_reverse("admin:limits"))


router = Router(
    path="/admin",
    guards=[operator_admin],
    route_handlers=[
        programmes,
        programme_create,
        programme,
        programme_update,
        programme_active,
        municipalities,
        municipality_create,
        municipality,
        municipality_update,
        municipality_active,
        limits,
        limits_save,
    ],
)
