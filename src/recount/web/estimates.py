"""Estimates with their plots; linking and estimating started from the browser, with progress."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse

from recount.errors import InvalidValueError, NotFoundError
from recount.estimate.methods import DEFAULT_METHOD, METHODS
from recount.estimate.run import EstimateRequest
from recount.estimate.stored import chart_paths, list_estimates, load_estimate, run_estimate
from recount.events.event import list_events
from recount.linkage.run import link_case
from recount.persons.index import ensure_index
from recount.web.deps import Viewer, case_of, need, state
from recount.web.jobs import Job
from recount.web.templating import page

router = APIRouter()
Reader = Annotated[Viewer, need("estimates.read")]
Estimator = Annotated[Viewer, need("estimate.run")]
Linker = Annotated[Viewer, need("linkage.run")]
CaseReader = Annotated[Viewer, need("case.read")]


@router.get("/estimates", response_class=HTMLResponse, include_in_schema=False)
def estimates_page(request: Request, viewer: Reader) -> HTMLResponse:
    case = case_of(request)
    return page(
        request,
        "estimates.html",
        viewer=viewer,
        estimates=list_estimates(case),
        events=list_events(case),
        methods=METHODS,
    )


@router.get("/api/estimates", tags=["estimates"])
def api_estimates(request: Request, viewer: Reader) -> list[dict[str, Any]]:
    return list_estimates(case_of(request))


def _estimate(request: Request, estimate_id: int) -> dict[str, Any]:
    stored = load_estimate(case_of(request), estimate_id).to_dict()
    stored.pop("draws", None)  # thousands of numbers: the chart shows them
    return stored


@router.get("/estimates/{estimate_id}", response_class=HTMLResponse, include_in_schema=False)
def estimate_page(request: Request, viewer: Reader, estimate_id: int) -> HTMLResponse:
    return page(request, "estimate.html", viewer=viewer, estimate=_estimate(request, estimate_id))


@router.get("/api/estimates/{estimate_id}", tags=["estimates"])
def api_estimate(request: Request, viewer: Reader, estimate_id: int) -> dict[str, Any]:
    return _estimate(request, estimate_id)


@router.get("/estimates/{estimate_id}/chart.svg", tags=["estimates"])
def estimate_chart(request: Request, viewer: Reader, estimate_id: int) -> FileResponse:
    load_estimate(case_of(request), estimate_id)
    svg = next((p for p in chart_paths(case_of(request), estimate_id) if p.suffix == ".svg"), None)
    if svg is None or not svg.is_file():
        raise NotFoundError(f"estimate {estimate_id} has no chart")
    return FileResponse(svg, media_type="image/svg+xml")


def _start_estimate(request: Request, viewer: Viewer, method: str, event: str | None) -> Job:
    case = case_of(request)
    if method not in METHODS:
        raise InvalidValueError(f"method {method!r}: expected one of {', '.join(METHODS)}")
    wanted = EstimateRequest(method=method, event=event or None)

    def work(job: Job) -> dict[str, Any]:
        job.progress("gathering the capture histories")
        report = run_estimate(
            case, wanted, lambda what, done, total: job.progress(f"estimating: {what}", done, total)
        )
        return {k: v for k, v in report.to_dict().items() if k != "draws"}

    return state(request).jobs.start("estimate", viewer.name or "-", work)


def _start_link(request: Request, viewer: Viewer) -> Job:
    case = case_of(request)

    def work(job: Job) -> dict[str, Any]:
        result = link_case(case, progress=job.progress)
        ensure_index(case)
        return result.to_dict()

    return state(request).jobs.start("link", viewer.name or "-", work)


@router.post("/estimates/run", response_class=HTMLResponse, include_in_schema=False)
def estimate_run(
    request: Request,
    viewer: Estimator,
    method: Annotated[str, Form()] = DEFAULT_METHOD,
    event: Annotated[str, Form()] = "",
) -> HTMLResponse:
    return page(
        request, "job.html", viewer=viewer, job=_start_estimate(request, viewer, method, event)
    )


@router.post("/api/estimates/run", tags=["estimates"])
def api_estimate_run(request: Request, viewer: Estimator, body: dict[str, Any]) -> dict[str, Any]:
    job = _start_estimate(
        request, viewer, str(body.get("method", DEFAULT_METHOD)), body.get("event")
    )
    return job.to_dict()


@router.post("/link/run", response_class=HTMLResponse, include_in_schema=False)
def link_run(request: Request, viewer: Linker) -> HTMLResponse:
    return page(request, "job.html", viewer=viewer, job=_start_link(request, viewer))


@router.post("/api/link/run", tags=["linkage"])
def api_link_run(request: Request, viewer: Linker) -> dict[str, Any]:
    return _start_link(request, viewer).to_dict()


def _job(request: Request, job_id: int) -> Job:
    job = state(request).jobs.get(job_id)
    if job is None:
        raise NotFoundError(f"no job {job_id} (jobs are kept while the server runs)")
    return job


@router.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, viewer: CaseReader, job_id: int) -> HTMLResponse:
    name = "job_status.html" if request.headers.get("HX-Request") else "job.html"
    return page(request, name, viewer=viewer, job=_job(request, job_id))


@router.get("/api/jobs/{job_id}", tags=["jobs"])
def api_job(request: Request, viewer: CaseReader, job_id: int) -> dict[str, Any]:
    return _job(request, job_id).to_dict()
