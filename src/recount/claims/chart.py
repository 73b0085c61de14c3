"""The figures table as a chart: claims as points and ranges, the documented count as a line,
the estimate as an interval — one panel per kind of harm and group, nothing merged.

A claim's range runs between its bounds (``model.py``); an open bound ("at least 400", "over
1,000") is drawn dashed to the edge of the panel, and "up to" ranges start at zero. The spec is
Vega-Lite, saved with ``recount.estimate.chart.save_chart`` like every chart in recount.
"""

from __future__ import annotations

from typing import Any

from recount.claims.figures import EventFigures, FigureRow

COLOURS = {
    "claim": "#2c7fb8",
    "proposed claim": "#9ecae1",
    "estimate": "#c0392b",
    "documented": "#222222",
}


def figures_spec(figures: EventFigures) -> dict[str, Any]:
    rows = [r for r in figures.rows if r.claims or r.documented or r.estimate]
    edge = _edge(rows)
    items = [item for row in rows for item in _items(row, edge)]
    encode_type = {
        "field": "type",
        "type": "nominal",
        "title": None,
        "scale": {"domain": list(COLOURS), "range": list(COLOURS.values())},
        "legend": {"orient": "top"},
    }
    x = {"type": "quantitative", "title": "people", "scale": {"domain": [0, edge]}}
    y = {"field": "label", "type": "nominal", "title": None, "sort": None}
    tooltip = [{"field": "label"}, {"field": "figure"}, {"field": "detail"}]
    spans = {
        "transform": [{"filter": "datum.low != null && datum.high != null"}],
        "mark": {"type": "rule", "strokeWidth": 3},
        "encoding": {
            "x": {**x, "field": "low"},
            "x2": {"field": "high"},
            "y": y,
            "color": encode_type,
            "tooltip": tooltip,
            "strokeDash": {
                "field": "open",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": [False, True], "range": [[1, 0], [5, 3]]},
            },
        },
    }
    points = {
        "transform": [{"filter": "datum.value != null && datum.type != 'documented'"}],
        "mark": {"type": "point", "filled": True, "size": 70},
        "encoding": {
            "x": {**x, "field": "value"},
            "y": y,
            "color": encode_type,
            "tooltip": tooltip,
        },
    }
    documented = {
        "transform": [{"filter": "datum.type == 'documented'"}],
        "mark": {"type": "rule", "strokeWidth": 2},
        "encoding": {"x": {**x, "field": "value"}, "color": encode_type, "tooltip": tooltip},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {
            "text": f"{figures.event.name}: figures by source",
            "subtitle": "claims as sources state them; documented = persons the case "
            "lists; estimate = 95% interval",
        },
        "data": {"values": items},
        "facet": {
            "row": {
                "field": "section",
                "type": "nominal",
                "title": None,
                "sort": None,
                "header": {"labelAngle": 0, "labelAlign": "left"},
            }
        },
        "spec": {"width": 520, "layer": [spans, points, documented]},
        "resolve": {"scale": {"y": "independent"}},
    }


def _items(row: FigureRow, edge: float) -> list[dict[str, Any]]:
    section = f"{row.kind} · {row.group or 'all'}"
    items = []
    for claim in row.claims:
        low, high = claim.low, claim.high
        value = claim.count
        open_range = claim.qualifier in ("at least", "over")
        if open_range:
            high = edge
        elif claim.qualifier in ("up to", "fewer than"):
            low = 0
        items.append(
            {
                "section": section,
                "type": "claim" if claim.status == "accepted" else "proposed claim",
                "label": f"#{claim.id} {claim.speaker}",
                "value": value,
                "low": low,
                "high": high,
                "open": open_range,
                "figure": claim.figure.label(),
                "detail": claim.date or "",
            }
        )
    if row.documented:
        items.append(
            {
                "section": section,
                "type": "documented",
                "label": "documented",
                "value": row.documented,
                "low": None,
                "high": None,
                "open": False,
                "figure": f"{row.documented:,} persons listed",
                "detail": "",
            }
        )
    if row.estimate:
        low, high = row.estimate["interval"]
        items.append(
            {
                "section": section,
                "type": "estimate",
                "label": f"estimate #{row.estimate['id']} ({row.estimate['method']})",
                "value": row.estimate["estimate"],
                "low": low,
                "high": high,
                "open": high is None,
                "figure": f"{row.estimate['estimate']:,.0f}",
                "detail": f"95% {low:,.0f}–{high:,.0f}"
                if high is not None
                else f"95% from {low:,.0f}, no upper limit",
            }
        )
        if high is None:
            items[-1]["high"] = edge
    return items


def _edge(rows: list[FigureRow]) -> float:
    values = [v for row in rows for c in row.claims for v in (c.count, c.low, c.high) if v]
    values += [row.documented for row in rows if row.documented]
    values += [v for row in rows if row.estimate for v in row.estimate["interval"] if v]
    return max(values, default=10) * 1.15
