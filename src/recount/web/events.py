"""Events (timeline, an event's acts and interventions) and the figures table with its chart:
claims as their sources state them, the documented count and the estimate, side by side."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from recount.claims.chart import figures_spec
from recount.claims.figures import all_figures, event_figures
from recount.events.event import list_events
from recount.events.map_chart import has_places, map_spec
from recount.events.timeline import describe_event, timeline
from recount.web.deps import Viewer, case_of, need
from recount.web.templating import page

router = APIRouter()
Reader = Annotated[Viewer, need("case.read")]


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events_page(request: Request, viewer: Reader) -> HTMLResponse:
    case = case_of(request)
    entries = [e.to_dict() for e in timeline(case)]
    return page(
        request, "events.html", viewer=viewer, entries=entries, mapped=has_places(list_events(case))
    )


@router.get("/events/map.svg", tags=["events"])
def events_map(request: Request, viewer: Reader) -> Response:
    import vl_convert

    spec = map_spec(list_events(case_of(request)))
    return Response(vl_convert.vegalite_to_svg(json.dumps(spec)), media_type="image/svg+xml")


@router.get("/api/events", tags=["events"])
def api_events(request: Request, viewer: Reader) -> list[dict[str, Any]]:
    return [e.to_dict() for e in timeline(case_of(request))]


@router.get("/events/{slug}", response_class=HTMLResponse, include_in_schema=False)
def event_page(request: Request, viewer: Reader, slug: str) -> HTMLResponse:
    return page(
        request, "event.html", viewer=viewer, event=describe_event(case_of(request), slug).to_dict()
    )


@router.get("/api/events/{slug}", tags=["events"])
def api_event(request: Request, viewer: Reader, slug: str) -> dict[str, Any]:
    return describe_event(case_of(request), slug).to_dict()


@router.get("/figures", response_class=HTMLResponse, include_in_schema=False)
def figures_page(request: Request, viewer: Reader, as_of: str = "") -> HTMLResponse:
    tables = [t.to_dict() for t in all_figures(case_of(request), as_of or None)]
    return page(request, "figures.html", viewer=viewer, tables=tables, as_of=as_of)


@router.get("/api/figures", tags=["figures"])
def api_figures(request: Request, viewer: Reader, as_of: str = "") -> list[dict[str, Any]]:
    return [t.to_dict() for t in all_figures(case_of(request), as_of or None)]


@router.get("/figures/{slug}/chart.svg", tags=["figures"])
def figures_chart(request: Request, viewer: Reader, slug: str) -> Response:
    import vl_convert

    spec = figures_spec(event_figures(case_of(request), slug))
    return Response(vl_convert.vegalite_to_svg(json.dumps(spec)), media_type="image/svg+xml")
