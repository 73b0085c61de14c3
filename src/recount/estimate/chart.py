"""The posterior of N as a chart: Vega-Lite (Splink's chart format), saved as PNG, SVG or HTML.

The chart shows the distribution of the posterior draws (a histogram), the observed count (the
people any list recorded: a hard lower limit), the estimate and the 95% interval. Methods
without draws (log-linear, Chao) show the point and interval alone. ``vl-convert`` renders the
spec offline, with no browser.

``save_charts`` renders a spec once for both an SVG and a PNG. Within ``renderer_process()``
(``recount estimate`` wraps itself in it) charts are written by a child process that starts
vl-convert's engine at once, while the caller imports and samples (``_chart_process``);
elsewhere (the web server, scripts) they are written here, by the same code.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recount.errors import InvalidValueError
from recount.estimate import _chart_process

if TYPE_CHECKING:
    import numpy as np

    from recount.estimate.result import Estimate

FORMATS = ("png", "svg", "html")
BINS = 60
PNG_SCALE = _chart_process.PNG_SCALE

log = logging.getLogger(__name__)


def posterior_spec(estimate: Estimate, title: str) -> dict[str, Any]:
    """A Vega-Lite spec of the posterior of N with the observed count and the interval."""
    low, high = estimate.interval
    marks: list[dict[str, Any]] = [
        {
            "value": estimate.observed,
            "label": f"observed {estimate.observed:,}",
            "colour": "#444444",
        },
        {
            "value": estimate.estimate,
            "label": f"estimate {estimate.estimate:,.0f}",
            "colour": "#c0392b",
        },
        {"value": low, "label": f"95% low {low:,.0f}", "colour": "#2c7fb8"},
        {"value": high, "label": f"95% high {high:,.0f}", "colour": "#2c7fb8"},
    ]
    rules = {
        "data": {"values": marks},
        "mark": {"type": "rule", "strokeWidth": 2},
        "encoding": {
            "x": {"field": "value", "type": "quantitative"},
            "color": {
                "field": "label",
                "type": "nominal",
                "scale": {
                    "domain": [m["label"] for m in marks],
                    "range": [m["colour"] for m in marks],
                },
                "legend": {"title": None, "orient": "top"},
            },
        },
    }
    layers = [rules]
    if estimate.draws is not None:
        layers.insert(0, _histogram(estimate.draws))
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "subtitle": estimate.summary()},
        "width": 560,
        "height": 260,
        "layer": layers,
        "resolve": {"scale": {"color": "independent"}},
    }


def _histogram(draws: np.ndarray) -> dict[str, Any]:
    import numpy as np  # here: the chart process starts before NumPy is loaded

    counts, edges = np.histogram(draws, bins=min(BINS, max(1, len(np.unique(draws)))))
    share = counts / counts.sum()
    bars = [
        {"start": float(a), "end": float(b), "share": float(s)}
        for a, b, s in zip(edges[:-1], edges[1:], share, strict=True)
    ]
    return {
        "data": {"values": bars},
        "mark": {"type": "rect", "color": "#bdbdbd"},
        "encoding": {
            "x": {
                "field": "start",
                "type": "quantitative",
                "title": "people (N)",
                "scale": {"zero": False},
            },
            "x2": {"field": "end"},
            "y": {"field": "share", "type": "quantitative", "title": "posterior share"},
        },
    }


class _ChartProcess:
    """A child process writing charts (``_chart_process`` run as a script)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process

    @classmethod
    def start(cls) -> _ChartProcess | None:
        if not sys.executable:
            return None
        script = [sys.executable, "-P", _chart_process.__file__]
        try:
            process = subprocess.Popen(
                script,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # it answers on stdout; a crash is seen as no answer
                text=True,
                encoding="utf-8",
            )
        except OSError:
            log.debug("no chart process: charts are rendered in this one", exc_info=True)
            return None
        return cls(process)

    def prepare(self, text: str) -> None:
        """Have the child draw this spec now; writing it later then costs no more than that."""
        assert self.process.stdin is not None
        with suppress(OSError):  # a child gone is seen when writing: the caller then writes
            self.process.stdin.write(json.dumps({"spec": text}) + "\n")
            self.process.stdin.flush()

    def write(self, text: str, paths: Sequence[Path]) -> bool:
        """Whether the child wrote the charts (if not, the caller writes them itself)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            job = {"spec": text, "paths": [str(path) for path in paths]}
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        except OSError:
            return False
        if not reply:
            return False
        answer = json.loads(reply)
        if "error" in answer:
            log.debug("the chart process failed: %s", answer["error"])
        return answer.get("ok") is True

    def close(self) -> None:
        assert self.process.stdin is not None
        with suppress(OSError):
            self.process.stdin.close()  # the child ends when its input does
        self.process.wait()


_child: _ChartProcess | None = None


@contextmanager
def renderer_process() -> Iterator[None]:
    """Write the charts of this block in a child process, whose chart engine starts now."""
    global _child
    _child = _ChartProcess.start()
    try:
        yield
    finally:
        child, _child = _child, None
        if child is not None:
            child.close()


def prepare(spec: dict[str, Any]) -> None:
    """Draw ``spec`` ahead in the chart process, if one runs, for ``save_charts`` to write."""
    if _child is not None:
        _child.prepare(json.dumps(spec))


def save_chart(spec: dict[str, Any], path: Path) -> Path:
    """Write the chart; the format comes from the file's suffix (.png, .svg or .html)."""
    return save_charts(spec, [path])[0]


def save_charts(spec: dict[str, Any], paths: Sequence[Path]) -> list[Path]:
    """Write the chart to each path, the format from each suffix; SVG and PNG from one render."""
    for path in paths:
        _check_kind(Path(path))
    if paths:
        text = json.dumps(spec)
        if _child is None or not _child.write(text, paths):
            _chart_process.write_chart(text, paths)
    return [Path(path) for path in paths]


def _check_kind(path: Path) -> None:
    if path.suffix.lower().lstrip(".") not in FORMATS:
        raise InvalidValueError(
            f"{path}: a chart is saved as {', '.join(FORMATS)}, chosen by the file's suffix"
        )
