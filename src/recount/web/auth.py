"""Logging in and out. The session cookie is HttpOnly, SameSite=Strict and Secure; the login
form itself is protected against CSRF by a one-time token in a cookie and in the form."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from recount.errors import LoginError
from recount.security.sessions import csrf_matches, end_session, start_session
from recount.security.users import authenticate
from recount.web.deps import COOKIE, Viewer, case_of, need, session_of, state
from recount.web.templating import page

router = APIRouter()
LOGIN_COOKIE = "recount_login"


def _safe_next(target: str | None) -> str:
    """Only paths on this site: never an open redirect to another one."""
    if (
        not target
        or urlparse(target).netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return "/"
    return target


def _cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=state(request).settings.secure_cookies,
        path="/",
    )


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", login_token=token, next=_safe_next(next))
    _cookie(request, response, LOGIN_COOKIE, token, max_age=3600)
    return response


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    name: str = Form(...),
    password: str = Form(...),
    token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE)
    if not expected or not secrets.compare_digest(expected, token):
        return page(
            request,
            "login.html",
            status_code=403,
            login_token=token,
            next=_safe_next(next),
            message="the login form expired or was not sent from this site; try again",
        )
    try:
        user = authenticate(case_of(request), name.strip(), password)
    except LoginError as exc:
        fresh = secrets.token_urlsafe(24)
        response = page(
            request,
            "login.html",
            status_code=401,
            login_token=fresh,
            next=_safe_next(next),
            message=str(exc),
            login_name=name,
        )
        _cookie(request, response, LOGIN_COOKIE, fresh, max_age=3600)
        return response
    cookie_token, _session = start_session(case_of(request), user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _cookie(request, response, COOKIE, cookie_token)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: str = Form("")) -> Response:
    session = session_of(request)
    if session is not None and csrf_matches(session, csrf):
        end_session(case_of(request), request.cookies.get(COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/api/me", tags=["account"])
def me(viewer: Annotated[Viewer, need("case.read")]) -> dict:
    from recount.security.roles import permissions_of

    return {"name": viewer.name, "role": viewer.role, "permissions": permissions_of(viewer.role)}
