"""Jinja2 templates (autoescaped) and the values every page gets: viewer, CSRF, navigation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from recount import __version__
from recount.web.deps import Viewer, case_of, viewer_of

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)

# Navigation: (path, label, the permission that shows it).
NAV = [
    ("/", "Dashboard", "case.read"),
    ("/sources", "Sources", "case.read"),
    ("/persons", "Persons", "case.read"),
    ("/events", "Events", "case.read"),
    ("/figures", "Figures", "case.read"),
    ("/review", "Review", "review.decide"),
    ("/evidence", "Evidence", "evidence.read"),
    ("/estimates", "Estimates", "estimates.read"),
    ("/exports", "Exports", "export"),
    ("/audit", "Audit log", "audit.read"),
    ("/users", "Users", "users.manage"),
]


def setup(app: FastAPI) -> None:
    templates.env.globals["version"] = __version__


def page(
    request: Request,
    template: str,
    status_code: int = 200,
    viewer: Viewer | None = None,
    **context: Any,
) -> HTMLResponse:
    viewer = viewer or viewer_of(request)
    nav = [(path, label) for path, label, permission in NAV if viewer.can(permission)]
    return templates.TemplateResponse(
        request,
        template,
        {"viewer": viewer, "nav": nav, "case_name": case_of(request).name, **context},
        status_code=status_code,
    )


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api")
