"""The app factory: one case, its keys, the routers, security headers, one error shape.

The app holds the case open for its lifetime; every request reads it through the core
functions (``recount.persons``, ``recount.linkage``, ``recount.evidence`` ...), never SQL.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from recount import __version__
from recount.case.folder import Case, open_case
from recount.evidence.crypto import Key
from recount.evidence.keys import KeySource, resolve_key
from recount.persons.index import ensure_index
from recount.web import errors, templating
from recount.web.jobs import Jobs

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"

# Scripts and styles only from this server: no inline script can run even if some text
# slipped through escaping; frames and other sites cannot embed the pages.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; "
    "form-action 'self'"
)


@dataclass
class WebSettings:
    case_path: Path
    keys: list[KeySource] = field(default_factory=list)
    secure_cookies: bool = True  # False only for plain HTTP tests; `serve` always sets it


@dataclass
class AppState:
    case: Case
    keys: dict[str, Key]
    settings: WebSettings
    jobs: Jobs


def create_app(settings: WebSettings) -> FastAPI:
    case = open_case(settings.case_path)
    with case.engine.begin() as conn:
        keys = [resolve_key(conn, source) for source in settings.keys]
    ensure_index(case)
    jobs = Jobs(case)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()
        case.close()

    app = FastAPI(
        title="recount",
        version=__version__,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.recount = AppState(case, {k.key_id: k for k in keys if k is not None}, settings, jobs)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: object) -> Response:
        response: Response = await call_next(request)  # type: ignore[operator]
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if not request.url.path.startswith(("/static", "/public")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    from recount.web import (
        admin,
        auth,
        dashboard,
        estimates,
        events,
        evidence,
        exports,
        persons,
        public,
        review,
    )

    for module in (
        auth,
        dashboard,
        persons,
        review,
        events,
        evidence,
        estimates,
        exports,
        admin,
        public,
    ):
        app.include_router(module.router)

    templating.setup(app)
    return app
