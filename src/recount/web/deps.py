"""What every route needs: the case, who is asking, whether the role table lets them, CSRF.

``need("permission")`` is the one gate: a route declares the permission it needs and gets the
viewer, or the request ends in 401 (not logged in) or 403 (the role may not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, Request

from recount.case.folder import Case
from recount.errors import ForbiddenError
from recount.security.roles import Reader, require
from recount.security.sessions import Session, csrf_matches, find_session

COOKIE = "recount_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf"


@dataclass(frozen=True)
class Viewer(Reader):
    """The reader of a request (None, None: the anonymous public) and their session's CSRF token."""

    csrf: str | None


PUBLIC_VIEWER = Viewer(None, None, None)


def state(request: Request):
    return request.app.state.recount


def case_of(request: Request) -> Case:
    return state(request).case


def session_of(request: Request) -> Session | None:
    if not hasattr(request.state, "session"):
        request.state.session = find_session(case_of(request), request.cookies.get(COOKIE))
    return request.state.session


def viewer_of(request: Request) -> Viewer:
    session = session_of(request)
    if session is None:
        return PUBLIC_VIEWER
    return Viewer(session.user.name, session.user.role, session.csrf_token)


async def _check_csrf(request: Request, viewer: Viewer) -> None:
    """Unsafe methods need the session's CSRF token, in a header (htmx, API) or a form field."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    session = session_of(request)
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = (await request.form()).get(CSRF_FIELD)  # type: ignore[assignment]
    if session is None or not csrf_matches(session, given if isinstance(given, str) else None):
        raise ForbiddenError(
            "the form was not sent from this site's page (CSRF check failed);"
            " reload the page and try again"
        )


def need(permission: str) -> Callable:
    async def dependency(request: Request) -> Viewer:
        viewer = viewer_of(request)
        require(viewer.role, permission)
        await _check_csrf(request, viewer)
        return viewer

    return Depends(dependency)
