"""The review queue: uncertain pairs side by side, one click (or key) per decision."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from recount.linkage.review_queue import decide, queue
from recount.web.deps import Viewer, case_of, need
from recount.web.templating import page

router = APIRouter()
Reviewer = Annotated[Viewer, need("review.decide")]
LABEL_OF = {"match": "match", "non-match": "non-match", "unsure": "unsure"}


class Decision(BaseModel):
    record_l: int
    record_r: int
    label: str


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(request: Request, viewer: Reviewer) -> HTMLResponse:
    return page(
        request, "review.html", viewer=viewer, pairs=queue(case_of(request), 20), decided=None
    )


@router.get("/api/review", tags=["review"])
def api_review(request: Request, viewer: Reviewer, limit: int = 20) -> list[dict[str, Any]]:
    return queue(case_of(request), min(max(limit, 1), 200))


@router.post("/review/decide", response_class=HTMLResponse, include_in_schema=False)
def review_decide(
    request: Request,
    viewer: Reviewer,
    record_l: Annotated[int, Form()],
    record_r: Annotated[int, Form()],
    label: Annotated[str, Form()],
) -> HTMLResponse:
    decided = decide(case_of(request), record_l, record_r, label, viewer.name or "-")
    pairs = queue(case_of(request), 20)
    name = "review_queue.html" if request.headers.get("HX-Request") else "review.html"
    return page(request, name, viewer=viewer, pairs=pairs, decided=decided)


@router.post("/api/review/decide", tags=["review"])
def api_review_decide(request: Request, viewer: Reviewer, decision: Decision) -> dict[str, Any]:
    return decide(
        case_of(request), decision.record_l, decision.record_r, decision.label, viewer.name or "-"
    )
