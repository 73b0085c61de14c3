"""The case at a glance, its sources and imports; linking started from the browser."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from recount.case.summary import summarise
from recount.estimate.stored import list_estimates
from recount.linkage.review import candidates
from recount.linkage.settings import LinkageSettings
from recount.web.deps import Viewer, case_of, need, state
from recount.web.templating import page

router = APIRouter()
Reader = Annotated[Viewer, need("case.read")]


def _overview(request: Request) -> dict[str, Any]:
    case = case_of(request)
    summary = summarise(case)
    band = LinkageSettings.for_case(case.settings).review_band
    pending = len(candidates(case, band[0], band[1], limit=1000))
    return {
        "summary": summary.to_dict(),
        "review_pending": pending,
        "review_pending_capped": pending >= 1000,
        "estimates": list_estimates(case)[:5],
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request, viewer: Reader) -> HTMLResponse:
    return page(
        request,
        "dashboard.html",
        viewer=viewer,
        jobs=state(request).jobs.recent(5),
        **_overview(request),
    )


@router.get("/api/case", tags=["case"])
def api_case(request: Request, viewer: Reader) -> dict[str, Any]:
    return _overview(request)


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request, viewer: Reader) -> HTMLResponse:
    summary = summarise(case_of(request))
    return page(request, "sources.html", viewer=viewer, summary=summary)


@router.get("/api/sources", tags=["case"])
def api_sources(request: Request, viewer: Reader) -> dict[str, Any]:
    summary = summarise(case_of(request)).to_dict()
    return {"sources": summary["sources"], "imports": summary["imports"]}
