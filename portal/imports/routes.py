"""The import pages: an employer's slots, a case-management organisation's cases.

Upload → dry run (every problem by row and column on the page; the checked rows kept, sealed,
for a day) → import (checked again, then all rows in one transaction, or none). The templates
(CSV, .xlsx) are downloaded from the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth import CurrentUser, case_worker, employer_user, parse_id
from portal.candidates.access import vault_of
from portal.files import UploadLimit
from portal.i18n import _, ngettext
from portal.imports import candidates, slots
from portal.imports.common import Problem, drop_batch, keep_batch, take_batch
from portal.imports.reading import MAX_ROWS, Sheet, Unreadable, read_upload, template_csv
from portal.imports.reading import template_xlsx as xlsx_bytes
from portal.templating import page
from portal.web import AnyRequest, client_address, flash, see_other, settings_of, user_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kind:
    name: str
    columns: list[str]
    required: list[str]
    example: dict[str, Any]
    done: str  # the route a successful import leads to


KINDS = {
    slots.KIND: Kind(slots.KIND, slots.COLUMNS, slots.REQUIRED, slots.EXAMPLE, "slots:list"),
    candidates.KIND: Kind(
        candidates.KIND,
        candidates.COLUMNS,
        candidates.REQUIRED,
        candidates.EXAMPLE,
        "candidates:list",
    ),
}


def _page(
    kind: Kind,
    *,
    problems: list[Problem] | None = None,
    unreadable: str = "",
    batch: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        "imports/upload.html",
        kind=kind.name,
        columns=kind.columns,
        required=set(kind.required),
        problems=problems or [],
        unreadable=unreadable,
        batch=batch,
        max_rows=MAX_ROWS,
        status_code=status_code,
    )


async def _sheet(request: AnyRequest) -> tuple[Sheet | None, str, str]:
    """The uploaded table, its file name, or why there is none."""
    form = await request.form()
    files = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
    if len(files) != 1 or not files[0].filename:
        return None, "", _("Please choose a file.")
    file = files[0]
    data = await file.read()
    try:
        return await read_upload(data, file.filename), file.filename, ""
    except Unreadable as refused:
        return None, file.filename, refused.message
    except TimeoutError:
        return None, file.filename, _("The file took too long to read. Please split it.")


async def _check(user: CurrentUser, kind: str, sheet: Sheet) -> tuple[list[Problem], list[Any]]:
    if kind == slots.KIND:
        return await slots.check_sheet(sheet)  # type: ignore[return-value]
    return await candidates.check_sheet(user, sheet)  # type: ignore[return-value]


async def _dry_run(request: AnyRequest, kind: Kind) -> Template:
    user = user_of(request)
    sheet, filename, unreadable = await _sheet(request)
    if sheet is None:
        return _page(kind, unreadable=unreadable, status_code=400)
    problems, checked = await _check(user, kind.name, sheet)
    if problems:
        return _page(kind, problems=problems, status_code=400)
    rows = [[number, cells] for number, cells in sheet.rows]
    batch_id = await keep_batch(user, kind.name, filename, rows, vault_of(request))
    batch = {"id": str(batch_id), "count": len(checked), "filename": filename}
    return _page(kind, batch=batch)


async def _import(request: AnyRequest, kind: Kind, batch_id: str) -> Template | Redirect:
    user = user_of(request)
    rows = await take_batch(user, kind.name, parse_id(batch_id), vault_of(request))
    if rows is None:
        raise NotFoundException()
    sheet = Sheet(kind.columns, [(int(number), cells) for number, cells in rows])
    # Checked again: a municipality or a programme may have been closed since the dry run.
    problems, checked = await _check(user, kind.name, sheet)
    if problems:
        return _page(kind, problems=problems, status_code=400)
    address = client_address(request)
    if kind.name == slots.KIND:
        count = await slots.import_slots(user, checked, address=address)
    else:
        settings = settings_of(request)
        count = await candidates.import_cases(
            user,
            checked,
            vault=vault_of(request),
            hash_key=settings.duplicate_hash_key,
            address=address,
        )
    await drop_batch(parse_id(batch_id))
    flash(
        request,
        ngettext("%(num)s row has been imported.", "%(num)s rows have been imported.", count),
    )
    return see_other(request.app.route_reverse(kind.done))


def _template(kind: Kind, fmt: str) -> Response[bytes]:
    if fmt == "csv":
        data, media_type = template_csv(kind.columns, kind.example), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        data, media_type = xlsx_bytes(kind.columns, kind.example), XLSX
    else:
        raise NotFoundException()
    disposition = f'attachment; filename="import-{kind.name}.{fmt}"'
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


UPLOAD: dict[str, Any] = {
    "status_code": 200,
    "request_max_body_size": None,  # UploadLimit applies UPLOAD_MAX_MB
    "middleware": [UploadLimit()],
    "opt": {"upload": True},
}


@get("/slots/import", name="imports:slots", guards=[employer_user])
async def slots_page(request: AnyRequest) -> Template:
    return _page(KINDS[slots.KIND])


@post("/slots/import", name="imports:slots_check", guards=[employer_user], **UPLOAD)
async def slots_check(request: AnyRequest) -> Template:
    return await _dry_run(request, KINDS[slots.KIND])


@post(
    "/slots/import/{batch_id:str}",
    name="imports:slots_import",
    guards=[employer_user],
    status_code=200,
)
async def slots_import(request: AnyRequest, batch_id: FromPath[str]) -> Template | Redirect:
    return await _import(request, KINDS[slots.KIND], batch_id)


@get("/slots/import/template/{fmt:str}", name="imports:slots_template", guards=[employer_user])
async def slots_template(fmt: FromPath[str]) -> Response[bytes]:
    return _template(KINDS[slots.KIND], fmt)


@get("/candidates/import", name="imports:candidates", guards=[case_worker])
async def candidates_page(request: AnyRequest) -> Template:
    return _page(KINDS[candidates.KIND])


@post("/candidates/import", name="imports:candidates_check", guards=[case_worker], **UPLOAD)
async def candidates_check(request: AnyRequest) -> Template:
    return await _dry_run(request, KINDS[candidates.KIND])


@post(
    "/candidates/import/{batch_id:str}",
    name="imports:candidates_import",
    guards=[case_worker],
    status_code=200,
)
async def candidates_import(request: AnyRequest, batch_id: FromPath[str]) -> Template | Redirect:
    return await _import(request, KINDS[candidates.KIND], batch_id)


@get(
    "/candidates/import/template/{fmt:str}",
    name="imports:candidates_template",
    guards=[case_worker],
)
async def candidates_template(fmt: FromPath[str]) -> Response[bytes]:
    return _template(KINDS[candidates.KIND], fmt)


router = Router(
    path="/",
    route_handlers=[
        slots_page,
        slots_check,
        slots_import,
        slots_template,
        candidates_page,
        candidates_check,
        candidates_import,
        candidates_template,
    ],
)
