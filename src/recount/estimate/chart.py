"""The posterior of N as a chart: Vega-Lite (Splink's chart format), saved as PNG, SVG or HTML.

The chart shows the distribution of the posterior draws (a histogram), the observed count (the
people any list recorded: a hard lower limit), the estimate and the 95% interval. Methods
without draws (log-linear, Chao) show the point and interval alone. ``vl-convert`` renders the
spec offline, with no browser.

Starting vl-convert's JavaScript engine takes about half a second, most of a tiny estimate's
chart. ``start_renderer`` starts it in a thread while the caller imports and samples (the
engine runs without the GIL), and ``save_charts`` renders the spec once as SVG and rasterises
that SVG for a PNG: vl-convert's own PNG is that same rasterisation of that same SVG.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recount.errors import InvalidValueError

if TYPE_CHECKING:
    import numpy as np

    from recount.estimate.result import Estimate

FORMATS = ("png", "svg", "html")
BINS = 60
PNG_SCALE = 2
# The smallest chart that starts everything a real one needs: the engine, Vega-Lite, fonts.
WARM_UP_SPEC = json.dumps(
    {
        "data": {"values": [{"x": 1}]},
        "mark": "rule",
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
)

log = logging.getLogger(__name__)
_renderer_lock = threading.Lock()
_renderer: threading.Thread | None = None


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
    import numpy as np  # here, so that ``start_renderer`` can be called before NumPy is loaded

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


def start_renderer() -> None:
    """Start vl-convert's engine in a background thread, once per process, so that the first
    chart does not wait for it. Not a daemon: the interpreter waits for it at exit rather than
    stopping it inside the engine."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = threading.Thread(target=_warm_up, name="chart-renderer")
            _renderer.start()


def _warm_up() -> None:
    try:
        import vl_convert

        vl_convert.vegalite_to_svg(WARM_UP_SPEC)
    except Exception:
        # The chart that needs the engine fails in its turn, and reports why, to the caller.
        log.debug("starting the chart engine failed", exc_info=True)


def _renderer_ready() -> None:
    """Wait for a warm-up under way: the engine then serves one call at a time, in order."""
    if _renderer is not None:
        _renderer.join()


def save_chart(spec: dict[str, Any], path: Path) -> Path:
    """Write the chart; the format comes from the file's suffix (.png, .svg or .html)."""
    return save_charts(spec, [path])[0]


def save_charts(spec: dict[str, Any], paths: Sequence[Path]) -> list[Path]:
    """Write the chart to each path, the format from each suffix; SVG and PNG from one render."""
    kinds = [_kind(Path(path)) for path in paths]
    _renderer_ready()
    import vl_convert

    text = json.dumps(spec)
    svg = vl_convert.vegalite_to_svg(text) if {"png", "svg"} & set(kinds) else ""
    for path, kind in zip(paths, kinds, strict=True):
        if kind == "png":
            Path(path).write_bytes(vl_convert.svg_to_png(svg, scale=PNG_SCALE))
        elif kind == "svg":
            Path(path).write_text(svg, encoding="utf-8")
        else:
            Path(path).write_text(vl_convert.vegalite_to_html(text, bundle=True), encoding="utf-8")
    return [Path(path) for path in paths]


def _kind(path: Path) -> str:
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise InvalidValueError(
            f"{path}: a chart is saved as {', '.join(FORMATS)}, chosen by the file's suffix"
        )
    return kind
