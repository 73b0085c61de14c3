"""The posterior of N as a chart: Vega-Lite (Splink's chart format), saved as PNG, SVG or HTML.

The chart shows the distribution of the posterior draws (a histogram), the observed count (the
people any list recorded: a hard lower limit), the estimate and the 95% interval. Methods
without draws (log-linear, Chao) show the point and interval alone. ``vl-convert`` renders the
spec offline, with no browser.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from recount.errors import InvalidValueError
from recount.estimate.result import Estimate

FORMATS = ("png", "svg", "html")
BINS = 60


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


def save_chart(spec: dict[str, Any], path: Path) -> Path:
    """Write the chart; the format comes from the file's suffix (.png, .svg or .html)."""
    import vl_convert

    kind = Path(path).suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise InvalidValueError(
            f"{path}: a chart is saved as {', '.join(FORMATS)}, chosen by the file's suffix"
        )
    text = json.dumps(spec)
    if kind == "png":
        Path(path).write_bytes(vl_convert.vegalite_to_png(text, scale=2))
    elif kind == "svg":
        Path(path).write_text(vl_convert.vegalite_to_svg(text), encoding="utf-8")
    else:
        Path(path).write_text(vl_convert.vegalite_to_html(text, bundle=True), encoding="utf-8")
    return Path(path)
