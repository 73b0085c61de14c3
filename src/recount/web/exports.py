"""Exports from the browser and the API: the same tables as `recount export`, with the
columns the role table allows, each download in the audit log."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from recount.errors import InvalidValueError
from recount.export.redacted import redacted_export
from recount.export.tables import QUERIES
from recount.export.writers import WRITERS
from recount.security import audit
from recount.web.deps import Viewer, case_of, need
from recount.web.templating import page

router = APIRouter()
Exporter = Annotated[Viewer, need("export")]
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@router.get("/exports", response_class=HTMLResponse, include_in_schema=False)
def exports_page(request: Request, viewer: Exporter) -> HTMLResponse:
    return page(request, "exports.html", viewer=viewer, tables=list(QUERIES))


def _export(request: Request, viewer: Viewer, what: str, fmt: str, source: str | None) -> Response:
    if what not in QUERIES or fmt not in WRITERS:
        raise InvalidValueError(
            f"cannot export {what}.{fmt}; choose {', '.join(QUERIES)} as csv or json"
        )
    case = case_of(request)
    columns, rows = redacted_export(case, what, viewer.role, source)
    audit.record(
        case,
        viewer.name or "-",
        viewer.role or "-",
        "export",
        f"export:{what}",
        {"format": fmt, "columns": columns, "source": source},
    )

    buffer = io.StringIO()
    WRITERS[fmt](rows, buffer, columns)
    return Response(
        buffer.getvalue(),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{what}.{fmt}"'},
    )


@router.get("/export/{what}.{fmt}", tags=["exports"])
def export_file(
    request: Request, viewer: Exporter, what: str, fmt: str, source: str | None = None
) -> Response:
    return _export(request, viewer, what, fmt, source)


@router.get("/api/export/{what}.{fmt}", tags=["exports"])
def api_export_file(
    request: Request, viewer: Exporter, what: str, fmt: str, source: str | None = None
) -> Response:
    return _export(request, viewer, what, fmt, source)
