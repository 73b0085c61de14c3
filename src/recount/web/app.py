"""The app factory: one case, its keys, the routers, security headers, one error shape.

The app holds the case open for its lifetime; every request reads it through the core
functions (``recount.persons``, ``recount.linkage``, ``recount.evidence`` ...), never SQL.

``recount serve`` may run several worker processes (uvicorn spawns each and calls
:func:`app_from_environment` in it). Nothing a request needs lives in one worker's memory:
sessions and the audit log are in the case's database, jobs in a folder the workers share.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from recount import __version__
from recount.case.folder import Case, open_case
from recount.errors import UsageError
from recount.evidence.crypto import Key
from recount.evidence.keys import PASSPHRASE_ENV, KeySource, keys_for
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


# The settings of `recount serve`, for its worker processes (JSON; never a passphrase, which
# a worker reads from $RECOUNT_PASSPHRASE as any recount command does).
SETTINGS_ENV = "RECOUNT_SERVE_SETTINGS"


@dataclass
class WebSettings:
    case_path: Path
    keys: list[KeySource] = field(default_factory=list)
    secure_cookies: bool = True  # False only for plain HTTP tests; `serve` always sets it
    jobs_dir: Path | None = None  # shared by a server's workers; None: a folder of the app's own

    def to_json(self) -> str:
        return json.dumps(
            {
                "case_path": str(self.case_path),
                "key_files": [str(k.key_file) for k in self.keys if k.key_file is not None],
                "passphrase": any(k.passphrase is not None for k in self.keys),
                "secure_cookies": self.secure_cookies,
                "jobs_dir": str(self.jobs_dir) if self.jobs_dir else None,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> WebSettings:
        data = json.loads(text)
        keys = [KeySource(key_file=Path(path)) for path in data["key_files"]]
        if data["passphrase"]:
            if not os.environ.get(PASSPHRASE_ENV):
                raise UsageError(f"the server was started with a passphrase: set ${PASSPHRASE_ENV}")
            keys.append(KeySource(passphrase=os.environ[PASSPHRASE_ENV]))
        jobs_dir = Path(data["jobs_dir"]) if data["jobs_dir"] else None
        return cls(Path(data["case_path"]), keys, bool(data["secure_cookies"]), jobs_dir)


def app_from_environment() -> FastAPI:
    """The app of one worker of `recount serve`, from the settings it left in the environment."""
    if SETTINGS_ENV not in os.environ:
        raise UsageError(f"${SETTINGS_ENV} is not set: start the server with `recount serve`")
    return create_app(WebSettings.from_json(os.environ[SETTINGS_ENV]))


@dataclass
class AppState:
    case: Case
    keys: dict[str, Key]
    settings: WebSettings
    jobs: Jobs


def create_app(settings: WebSettings) -> FastAPI:
    case = open_case(settings.case_path)
    keys = keys_for(case, settings.keys)
    ensure_index(case)
    jobs = Jobs(settings.jobs_dir)

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
    app.state.recount = AppState(case, keys, settings, jobs)
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
