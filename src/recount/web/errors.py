"""One error shape: JSON ``{"error", "message"}`` under /api, a page elsewhere; never a
traceback. Errors the user can act on (``RecountError``) say what to do; anything else is
logged here in full and shown as a short apology with a reference to find it in the log."""

from __future__ import annotations

import logging
import secrets

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from recount.errors import (
    RecountError,
)

log = logging.getLogger(__name__)


def status_of(exc: RecountError) -> int:
    return exc.http_status


def respond(request: Request, status: int, body: dict) -> Response:
    if request.url.path.startswith("/api"):
        return JSONResponse(body, status_code=status)
    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    from recount.web.templating import page

    return page(request, "error.html", status_code=status, error=body, status=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(RecountError)
    async def _recount(request: Request, exc: RecountError) -> Response:
        return respond(request, status_of(exc), exc.to_dict())

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404:
            message = "there is no such page"
        return respond(request, exc.status_code, {"error": "HTTPError", "message": message})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        return respond(
            request,
            400,
            {"error": "InvalidValueError", "message": f"the request is not valid ({problems})"},
        )

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        reference = secrets.token_hex(4)
        log.error("error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
        return respond(
            request,
            500,
            {
                "error": "InternalError",
                "message": f"something went wrong in recount (reference {reference}); the "
                "server's log has the details.",
            },
        )
