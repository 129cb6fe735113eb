"""The console's audit log: a filtered list, newest first, and the same filter as CSV.

Read only: no route changes or deletes the log (portal/audit/chain.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Stream, Template

from portal.admin import audit_log
from portal.auth import operator_admin
from portal.clock import TIMEZONE
from portal.files import csv_cell
from portal.i18n import _
from portal.middleware import READS_ONLY
from portal.web import AnyRequest


def _id(raw: str | None) -> int | None:
    raw = raw or ""
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@get("/audit", name="admin:audit", opt=READS_ONLY)
async def audit(request: HTMXRequest) -> Template:
    params = request.query_params
    found = await audit_log.resolve_filter(params)
    listing = await audit_log.audit_page(
        found, before=_id(params.get("before")), after=_id(params.get("after"))
    )
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    return HTMXBlockTemplate(
        template_name="admin/audit.html",
        block_name="results" if partial else None,
        context={"listing": listing, "found": found, "values": found.values},
        status_code=400 if found.errors and not partial else 200,
    )


def _line(cells: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell(cell) for cell in cells])
    return buffer.getvalue()


@get("/audit.csv", name="admin:audit_csv")
async def audit_csv(request: AnyRequest) -> Stream:
    """Every row of the filter (not just the page), as the page shows it: codes and ids."""
    found = await audit_log.resolve_filter(request.query_params)
    header = _line(
        [
            _("Entry"),
            _("Time"),
            _("Actor"),
            _("Organisation"),
            _("Action"),
            _("Record type"),
            _("Record"),
            _("Candidate code"),
            _("IP address"),
            _("Detail"),
        ]
    )

    async def lines() -> AsyncIterator[str]:
        yield "\ufeff" + header  # the byte order mark: spreadsheets then read UTF-8
        async for batch in audit_log.csv_rows(found):
            yield "".join(
                _line(
                    [
                        row["id"],
                        row["at"].astimezone(TIMEZONE).isoformat(timespec="seconds"),
                        row["actor_name"] or "",
                        row["organisation_name"] or "",
                        row["action"],
                        row["record_type"],
                        row["record_id"],
                        row["code"],
                        row["address"],
                        "; ".join(f"{key}={value}" for key, value in row["detail"]),
                    ]
                )
                for row in batch
            )

    return Stream(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )


router = Router(path="/admin", guards=[operator_admin], route_handlers=[audit, audit_csv])
