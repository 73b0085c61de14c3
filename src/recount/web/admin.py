"""For admins: the audit log (and whether its chain is intact) and the accounts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from recount.security import audit
from recount.security.users import list_users
from recount.web.deps import Viewer, case_of, need
from recount.web.templating import page

router = APIRouter()
Auditor = Annotated[Viewer, need("audit.read")]
Admin = Annotated[Viewer, need("users.manage")]


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    request: Request, viewer: Auditor, action: str = "", actor: str = ""
) -> HTMLResponse:
    case = case_of(request)
    return page(
        request,
        "audit.html",
        viewer=viewer,
        entries=audit.entries(case, 300, action or None, actor or None),
        problems=audit.verify_log(case),
        action=action,
        actor=actor,
    )


@router.get("/api/audit", tags=["admin"])
def api_audit(
    request: Request, viewer: Auditor, action: str = "", actor: str = "", limit: int = 200
) -> dict[str, Any]:
    case = case_of(request)
    return {
        "entries": audit.entries(case, min(max(limit, 1), 5000), action or None, actor or None),
        "chain_problems": audit.verify_log(case),
    }


@router.get("/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, viewer: Admin) -> HTMLResponse:
    return page(request, "users.html", viewer=viewer, users=list_users(case_of(request)))


@router.get("/api/users", tags=["admin"])
def api_users(request: Request, viewer: Admin) -> list[dict[str, Any]]:
    return [u.to_dict() for u in list_users(case_of(request))]
