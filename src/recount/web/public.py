"""The public memorial view, /public: no login, off unless the case enables it.

The case's settings are read again on each request, so `recount public off` takes effect on a
running server. Only ``recount.security.public``'s whitelisted values reach these pages.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from recount.errors import NotFoundError
from recount.security.public import (
    public_enabled_now,
    public_events,
    public_person,
    public_persons,
)
from recount.web.deps import PUBLIC_VIEWER, case_of
from recount.web.templating import page

router = APIRouter()


def _check_enabled(request: Request) -> None:
    if not public_enabled_now(case_of(request)):
        # Not found rather than forbidden: a disabled memorial does not announce itself.
        raise NotFoundError("there is no such page")


def _public_page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return page(request, name, viewer=PUBLIC_VIEWER, public=True, **context)


@router.get("/public", response_class=HTMLResponse, include_in_schema=False)
def public_home(request: Request) -> HTMLResponse:
    _check_enabled(request)
    case = case_of(request)
    return _public_page(
        request, "public_home.html", events=public_events(case), persons=public_persons(case)
    )


@router.get("/public/persons", response_class=HTMLResponse, include_in_schema=False)
def public_persons_page(
    request: Request, page_: Annotated[int, Query(alias="page", ge=1)] = 1
) -> HTMLResponse:
    _check_enabled(request)
    return _public_page(
        request, "public_persons.html", persons=public_persons(case_of(request), page_)
    )


@router.get("/public/persons/{person_id}", response_class=HTMLResponse, include_in_schema=False)
def public_person_page(request: Request, person_id: int) -> HTMLResponse:
    _check_enabled(request)
    return _public_page(
        request, "public_person.html", person=public_person(case_of(request), person_id)
    )


@router.get("/public/events", response_class=HTMLResponse, include_in_schema=False)
def public_events_page(request: Request) -> HTMLResponse:
    _check_enabled(request)
    return _public_page(request, "public_events.html", events=public_events(case_of(request)))


@router.get("/api/public/persons", tags=["public"])
def api_public_persons(
    request: Request, page_: Annotated[int, Query(alias="page", ge=1)] = 1
) -> dict[str, Any]:
    _check_enabled(request)
    return public_persons(case_of(request), page_)


@router.get("/api/public/events", tags=["public"])
def api_public_events(request: Request) -> list[dict[str, Any]]:
    _check_enabled(request)
    return public_events(case_of(request))
