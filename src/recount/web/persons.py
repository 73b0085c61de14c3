"""Persons: search by any spelling in any script, filters, a person's whole file, publishing.

The raw rows of a person's records are in the file only for roles with ``records.raw``, and
every such view is in the audit log.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from recount.case.sources import list_sources
from recount.events.event import list_events
from recount.linkage.explain import explain_person
from recount.persons.detail import person_file_for, publish_person
from recount.persons.search import FATES, GROUPS, PersonFilter, search_persons
from recount.vocabulary import STATUSES
from recount.web.deps import Viewer, case_of, need
from recount.web.templating import page

router = APIRouter()
Reader = Annotated[Viewer, need("case.read")]
Publisher = Annotated[Viewer, need("publish")]


def _filter(
    q: str,
    event: str | None,
    fate: str | None,
    group: str | None,
    source: str | None,
    status: str | None = None,
) -> PersonFilter:
    return PersonFilter(
        q=q,
        event=event or None,
        fate=fate or None,
        group=group or None,
        source=source or None,
        status=status or None,
    )


@router.get("/persons", response_class=HTMLResponse, include_in_schema=False)
def persons_page(
    request: Request,
    viewer: Reader,
    q: str = "",
    event: str = "",
    fate: str = "",
    group: str = "",
    source: str = "",
    status: str = "",
    page_: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> HTMLResponse:
    case = case_of(request)
    found = search_persons(case, _filter(q, event, fate, group, source, status), page_)
    context = {
        "found": found,
        "q": q,
        "event": event,
        "fate": fate,
        "group": group,
        "source": source,
        "status": status,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return page(request, "persons_results.html", viewer=viewer, **context)
    return page(
        request,
        "persons.html",
        viewer=viewer,
        fates=FATES,
        groups=list(GROUPS),
        statuses=STATUSES,
        events=list_events(case),
        sources=list_sources(case),
        **context,
    )


@router.get("/api/persons", tags=["persons"])
def api_persons(
    request: Request,
    viewer: Reader,
    q: str = "",
    event: str = "",
    fate: str = "",
    group: str = "",
    source: str = "",
    status: str = "",
    page_: Annotated[int, Query(alias="page", ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    found = search_persons(
        case_of(request), _filter(q, event, fate, group, source, status), page_, per_page
    )
    return found.to_dict()


def _person(request: Request, viewer: Viewer, person_id: int) -> dict[str, Any]:
    return person_file_for(case_of(request), viewer, person_id)


@router.get("/persons/{person_id}", response_class=HTMLResponse, include_in_schema=False)
def person_page(request: Request, viewer: Reader, person_id: int) -> HTMLResponse:
    return page(request, "person.html", viewer=viewer, person=_person(request, viewer, person_id))


@router.get("/api/persons/{person_id}", tags=["persons"])
def api_person(request: Request, viewer: Reader, person_id: int) -> dict[str, Any]:
    return _person(request, viewer, person_id)


@router.get("/persons/{person_id}/explain", response_class=HTMLResponse, include_in_schema=False)
def person_explain(request: Request, viewer: Reader, person_id: int) -> HTMLResponse:
    """Scored again with the newest model: loaded after the page, as it takes a moment."""
    explanation = explain_person(case_of(request), person_id)
    return page(request, "person_explain.html", viewer=viewer, explanation=explanation.to_dict())


@router.get("/api/persons/{person_id}/explain", tags=["persons"])
def api_person_explain(request: Request, viewer: Reader, person_id: int) -> dict[str, Any]:
    return explain_person(case_of(request), person_id).to_dict()


@router.post("/persons/{person_id}/publish", include_in_schema=False)
def person_publish(
    request: Request,
    viewer: Publisher,
    person_id: int,
    records: Annotated[list[int] | None, Form()] = None,
    publishable: Annotated[str, Form()] = "yes",
) -> Response:
    publish_person(case_of(request), viewer, person_id, records, publishable == "yes")
    return RedirectResponse(f"/persons/{person_id}", status_code=303)


@router.post("/api/persons/{person_id}/publish", tags=["persons"])
def api_person_publish(
    request: Request, viewer: Publisher, person_id: int, body: dict[str, Any]
) -> dict[str, Any]:
    chosen = [int(r) for r in body.get("records") or []]
    count = publish_person(
        case_of(request), viewer, person_id, chosen, bool(body.get("publishable", True))
    )
    return {"person_id": person_id, "records": count}
