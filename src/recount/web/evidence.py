"""Evidence: the list, an item's page (viewer, metadata, custody chain), its file, verifying
the archive, and witness identities.

What a role sees follows the role table: restricted items only with ``evidence.restricted``;
a protected item's sealed description and file only with ``evidence.protected`` and only when
the server was started with its key; a witness's identity only with ``witness.identity``. Every
such view goes to the audit log, and opening a protected or restricted item also to the item's
own custody chain, as `recount evidence open` does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from recount.evidence.access import (
    identity_for,
    item_for,
    original_for,
    reader_actor,
    visible_items,
)
from recount.evidence.actions import record_verification
from recount.evidence.testimony import witnesses_of
from recount.evidence.verify import verify_case
from recount.web.deps import Viewer, case_of, need, state
from recount.web.jobs import Job
from recount.web.templating import page

router = APIRouter()
Reader = Annotated[Viewer, need("evidence.read")]
Verifier = Annotated[Viewer, need("evidence.verify")]
IdentityReader = Annotated[Viewer, need("witness.identity")]
INLINE = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")


@router.get("/evidence", response_class=HTMLResponse, include_in_schema=False)
def evidence_page(request: Request, viewer: Reader) -> HTMLResponse:
    case = case_of(request)
    return page(
        request,
        "evidence.html",
        viewer=viewer,
        items=visible_items(case, viewer),
        witnesses=[w.to_dict() for w in witnesses_of(case)],
        jobs=state(request).jobs.recent(3),
    )


@router.get("/api/evidence", tags=["evidence"])
def api_evidence(request: Request, viewer: Reader) -> list[dict[str, Any]]:
    return visible_items(case_of(request), viewer)


def _item(request: Request, viewer: Viewer, item_id: int) -> dict[str, Any]:
    return item_for(case_of(request), viewer, item_id, state(request).keys)


@router.get("/evidence/{item_id}", response_class=HTMLResponse, include_in_schema=False)
def item_page(request: Request, viewer: Reader, item_id: int) -> HTMLResponse:
    return page(request, "evidence_item.html", viewer=viewer, item=_item(request, viewer, item_id))


@router.get("/api/evidence/{item_id}", tags=["evidence"])
def api_item(request: Request, viewer: Reader, item_id: int) -> dict[str, Any]:
    return _item(request, viewer, item_id)


@router.get("/evidence/{item_id}/file", tags=["evidence"])
def item_file(request: Request, viewer: Reader, item_id: int) -> Response:
    """The original file, checked against its sha256 as it streams."""
    original = original_for(case_of(request), viewer, item_id, state(request).keys)
    inline = original.media_type in INLINE
    headers = {
        "Content-Disposition": f"{'inline' if inline else 'attachment'}; "
        f'filename="item-{original.item_id}"',
        # A file is evidence, not a page of this site: it may never run scripts here.
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; "
        "style-src 'unsafe-inline'; plugin-types "
        "application/pdf",
        "Cache-Control": "no-store",
    }
    return StreamingResponse(
        original.chunks,
        media_type=original.media_type if inline else "application/octet-stream",
        headers=headers,
    )


def _verify(request: Request, viewer: Viewer) -> Job:
    case = case_of(request)
    keys = list(state(request).keys.values())

    def work(job: Job) -> dict[str, Any]:
        job.progress("re-hashing every file and checking every custody chain")
        report = verify_case(
            case,
            keys[0] if keys else None,
            progress=lambda _what, done, total: job.progress(
                f"checking files: {done:,} of {total or 0:,}", done, total
            ),
        )
        recorded = record_verification(case, report, reader_actor(viewer))
        return {**report.to_dict(), "verify_entries": recorded}

    return state(request).jobs.start("evidence verify", viewer.name or "-", work)


@router.post("/evidence/verify", response_class=HTMLResponse, include_in_schema=False)
def verify_page(request: Request, viewer: Verifier) -> HTMLResponse:
    return page(request, "job.html", viewer=viewer, job=_verify(request, viewer))


@router.post("/api/evidence/verify", tags=["evidence"])
def api_verify(request: Request, viewer: Verifier) -> dict[str, Any]:
    return {"job": _verify(request, viewer).id}


def _identity(request: Request, viewer: Viewer, pseudonym: str) -> dict[str, Any]:
    return identity_for(case_of(request), viewer, pseudonym, state(request).keys)


@router.get("/evidence/witnesses/{pseudonym}", response_class=HTMLResponse, include_in_schema=False)
def identity_page(request: Request, viewer: IdentityReader, pseudonym: str) -> HTMLResponse:
    return page(
        request, "witness.html", viewer=viewer, witness=_identity(request, viewer, pseudonym)
    )


@router.get("/api/witnesses/{pseudonym}", tags=["evidence"])
def api_identity(request: Request, viewer: IdentityReader, pseudonym: str) -> dict[str, Any]:
    return _identity(request, viewer, pseudonym)
