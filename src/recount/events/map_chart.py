"""Where events happened: a chart of the events that have coordinates, by longitude and latitude.

recount runs offline and ships no base map, so the chart is a plain plot in degrees — each event
a point labelled with its name and date — not a tiled map. Events without coordinates are left
out (``recount event edit SLUG --latitude .. --longitude ..`` adds them).
"""

from __future__ import annotations

from typing import Any

from recount.events.event import Event, format_when


def has_places(events: list[Event]) -> bool:
    return any(e.latitude is not None and e.longitude is not None for e in events)


def map_spec(events: list[Event]) -> dict[str, Any]:
    """A Vega-Lite spec of the events with coordinates (save with ``estimate.chart``)."""
    points = [
        {
            "name": e.name,
            "slug": e.slug,
            "latitude": e.latitude,
            "longitude": e.longitude,
            "when": format_when(e.date_low, e.date_high, e.date_precision) or "undated",
            "precision": e.place_precision or "unknown",
        }
        for e in events
        if e.latitude is not None and e.longitude is not None
    ]
    axis = {"type": "quantitative", "scale": {"zero": False, "padding": 40}}
    encoding = {
        "x": {"field": "longitude", "title": "longitude (°)", **axis},
        "y": {"field": "latitude", "title": "latitude (°)", **axis},
        "tooltip": [{"field": "name"}, {"field": "when"}, {"field": "precision"}],
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {
            "text": "Where the events happened",
            "subtitle": "by their coordinates; no base map (recount works offline)",
        },
        "width": 520,
        "height": 360,
        "data": {"values": points},
        "layer": [
            {
                "mark": {"type": "point", "filled": True, "size": 90, "color": "#c0392b"},
                "encoding": encoding,
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 8, "dy": -6},
                "encoding": {**encoding, "text": {"field": "name"}},
            },
        ],
    }
