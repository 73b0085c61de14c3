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

from recount.errors import KeyRequiredError, NotFoundError
from recount.evidence import custody
from recount.evidence.actions import read_original, record_verification
from recount.evidence.crypto import Key
from recount.evidence.items import details, get_item, list_items
from recount.evidence.signing import Actor
from recount.evidence.testimony import list_witnesses, reveal_identity
from recount.evidence.verify import verify_case
from recount.security import audit
from recount.security.redaction import item_visible
from recount.security.roles import require
from recount.web.deps import Viewer, case_of, need, state
from recount.web.templating import page

router = APIRouter()
Reader = Annotated[Viewer, need("evidence.read")]
Verifier = Annotated[Viewer, need("evidence.verify")]
IdentityReader = Annotated[Viewer, need("witness.identity")]
INLINE = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")


def actor(viewer: Viewer) -> Actor:
    # Prefixed so that a web user is never mistaken for a CLI actor who signs their entries.
    return Actor(f"web:{viewer.name}")


def _key(request: Request, key_id: str | None) -> Key | None:
    return state(request).keys.get(key_id or "")


def _visible_items(request: Request, viewer: Viewer) -> list[dict[str, Any]]:
    with case_of(request).engine.connect() as conn:
        items = list_items(conn)
    return [i for i in items if item_visible(viewer.role, i)]


def _item(request: Request, viewer: Viewer, item_id: int) -> dict[str, Any]:
    """An item as ``viewer`` may see it; views of guarded items are audited."""
    case = case_of(request)
    with case.engine.connect() as conn:
        row = get_item(conn, item_id)
        if not item_visible(viewer.role, row):
            raise NotFoundError(f"no evidence item {item_id!r}; see `recount evidence list`")
        protected = row["sensitivity"] == "protected"
        key = (
            _key(request, row["key_id"]) if protected and viewer.can("evidence.protected") else None
        )
        data = details(conn, row, key)
        chain = [e.to_dict() for e in custody.entries(conn, custody.item_subject(row["id"]))]
    data["opened"] = key is not None
    data["can_open"] = protected and viewer.can("evidence.protected")
    data["key_loaded"] = protected and _key(request, row["key_id"]) is not None
    if protected and not key:
        for entry in chain:  # the chain's details describe the sealed item
            entry["details"] = {}
    data["custody"] = chain
    if key is not None:
        _log_view(request, viewer, row["id"], "view.evidence_protected", "sealed metadata")
    elif row["sensitivity"] == "restricted":
        audit.record(
            case,
            viewer.name or "-",
            viewer.role or "-",
            "view.evidence_restricted",
            f"item:{row['id']}",
            {"view": "metadata"},
        )
    return data


def _log_view(request: Request, viewer: Viewer, item_id: int, action: str, what: str) -> None:
    case = case_of(request)
    with case.writing() as conn:
        custody.append(
            conn,
            custody.item_subject(item_id),
            "view",
            actor(viewer),
            {"view": what, "via": "web"},
            None,
            item_id,
        )
        audit.append(
            conn, viewer.name or "-", viewer.role or "-", action, f"item:{item_id}", {"view": what}
        )


@router.get("/evidence", response_class=HTMLResponse, include_in_schema=False)
def evidence_page(request: Request, viewer: Reader) -> HTMLResponse:
    with case_of(request).engine.connect() as conn:
        witnesses = [w.to_dict() for w in list_witnesses(conn)]
    return page(
        request,
        "evidence.html",
        viewer=viewer,
        items=_visible_items(request, viewer),
        witnesses=witnesses,
        jobs=state(request).jobs.recent(3),
    )


@router.get("/api/evidence", tags=["evidence"])
def api_evidence(request: Request, viewer: Reader) -> list[dict[str, Any]]:
    return _visible_items(request, viewer)


@router.get("/evidence/{item_id}", response_class=HTMLResponse, include_in_schema=False)
def item_page(request: Request, viewer: Reader, item_id: int) -> HTMLResponse:
    return page(request, "evidence_item.html", viewer=viewer, item=_item(request, viewer, item_id))


@router.get("/api/evidence/{item_id}", tags=["evidence"])
def api_item(request: Request, viewer: Reader, item_id: int) -> dict[str, Any]:
    return _item(request, viewer, item_id)


@router.get("/evidence/{item_id}/file", tags=["evidence"])
def item_file(request: Request, viewer: Reader, item_id: int) -> Response:
    """The original file, checked against its sha256 as it streams."""
    case = case_of(request)
    with case.engine.connect() as conn:
        row = get_item(conn, item_id)
    if not item_visible(viewer.role, row):
        raise NotFoundError(f"no evidence item {item_id!r}")
    key = None
    if row["sensitivity"] == "protected":
        require(viewer.role, "evidence.protected")
        key = _key(request, row["key_id"])
        if key is None:
            raise KeyRequiredError(
                f"item {item_id} is protected and this server was started "
                "without its key (recount serve --key-file)"
            )
    if row["sensitivity"] in ("protected", "restricted"):
        _log_view(request, viewer, row["id"], "view.evidence_file", "original")
    else:
        audit.record(
            case,
            viewer.name or "-",
            viewer.role or "-",
            "view.evidence_file",
            f"item:{row['id']}",
            {"view": "original"},
        )
    media = row["media_type"]
    inline = media in INLINE
    headers = {
        "Content-Disposition": f"{'inline' if inline else 'attachment'}; "
        f'filename="item-{row["id"]}"',
        # A file is evidence, not a page of this site: it may never run scripts here.
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; "
        "style-src 'unsafe-inline'; plugin-types "
        "application/pdf",
        "Cache-Control": "no-store",
    }
    return StreamingResponse(
        read_original(case, row, key),
        media_type=media if inline else "application/octet-stream",
        headers=headers,
    )


def _verify(request: Request, viewer: Viewer) -> int:
    case = case_of(request)
    keys = list(state(request).keys.values())

    def work(job: Any) -> dict[str, Any]:
        job.progress("re-hashing every file and checking every custody chain")
        report = verify_case(
            case,
            keys[0] if keys else None,
            progress=lambda done, total: job.progress(
                f"checking files: {done:,} of {total:,}", done, total
            ),
        )
        recorded = record_verification(case, report, actor(viewer))
        return {**report.to_dict(), "verify_entries": recorded}

    return state(request).jobs.start("evidence verify", viewer.name or "-", work).id


@router.post("/evidence/verify", response_class=HTMLResponse, include_in_schema=False)
def verify_page(request: Request, viewer: Verifier) -> HTMLResponse:
    job = state(request).jobs.get(_verify(request, viewer))
    return page(request, "job.html", viewer=viewer, job=job)


@router.post("/api/evidence/verify", tags=["evidence"])
def api_verify(request: Request, viewer: Verifier) -> dict[str, Any]:
    return {"job": _verify(request, viewer)}


def _identity(request: Request, viewer: Viewer, pseudonym: str) -> dict[str, Any]:
    case = case_of(request)
    with case.engine.connect() as conn:
        known = {w.pseudonym: w for w in list_witnesses(conn)}
    if pseudonym not in known:
        raise NotFoundError(f"unknown witness {pseudonym!r}")
    key = _key(request, known[pseudonym].key_id)
    if key is None:
        raise KeyRequiredError(
            f"witness {pseudonym}'s identity is sealed and this server was "
            "started without its key (recount serve --key-file)"
        )
    with case.writing() as conn:
        identity = reveal_identity(conn, pseudonym, key, actor(viewer), "viewed on the web")
        audit.append(
            conn,
            viewer.name or "-",
            viewer.role or "-",
            "view.witness_identity",
            f"witness:{pseudonym}",
            {"fields": sorted(identity)},
        )
    return {"pseudonym": pseudonym, "identity": identity}


@router.get("/evidence/witnesses/{pseudonym}", response_class=HTMLResponse, include_in_schema=False)
def identity_page(request: Request, viewer: IdentityReader, pseudonym: str) -> HTMLResponse:
    return page(
        request, "witness.html", viewer=viewer, witness=_identity(request, viewer, pseudonym)
    )


@router.get("/api/witnesses/{pseudonym}", tags=["evidence"])
def api_identity(request: Request, viewer: IdentityReader, pseudonym: str) -> dict[str, Any]:
    return _identity(request, viewer, pseudonym)
