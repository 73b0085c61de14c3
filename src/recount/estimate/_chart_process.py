"""Writing a chart with vl-convert, here or in a process of its own started early.

``write_chart`` renders a Vega-Lite spec once as SVG and rasterises that SVG for a PNG
(vl-convert's own PNG is that same rasterisation of that same SVG), or writes HTML.

Starting vl-convert's JavaScript engine takes about half a second. ``recount estimate`` starts
this file as a script in a child process at its very beginning, so that the engine starts on
the other core while the command imports and samples (in a thread of the command's own
process, measured, it slowed those imports about as much as it saved). The script imports
nothing of recount, and serves one job
per line of its standard input — ``{"spec": TEXT, "paths": [...]}`` — answering each with one
line, ``{"ok": true}`` or ``{"error": MESSAGE}``; it ends when its standard input does. A line
with a spec and no paths (no answer) draws that chart ahead, while the caller stores the
estimate and learns where the chart goes.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

PNG_SCALE = 2
# The smallest chart that starts everything a real one needs: the engine, Vega-Lite, fonts.
WARM_UP_SPEC = json.dumps(
    {
        "data": {"values": [{"x": 1}]},
        "mark": "rule",
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
)


@dataclass(frozen=True)
class Drawing:
    """A spec drawn: its SVG and, when asked for, the PNG rasterised from that SVG."""

    text: str
    svg: str
    png: bytes | None


def draw(text: str, png: bool = True) -> Drawing:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(text)
    return Drawing(text, svg, vl_convert.svg_to_png(svg, scale=PNG_SCALE) if png else None)


def write_chart(text: str, paths: Sequence[str | Path], drawn: Drawing | None = None) -> None:
    """The Vega-Lite spec ``text`` in each of ``paths`` (.png, .svg or .html, checked before),
    from ``drawn`` when that is this spec drawn already."""
    kinds = [Path(path).suffix.lower().lstrip(".") for path in paths]
    if drawn is None or drawn.text != text or ("png" in kinds and drawn.png is None):
        drawn = draw(text, png="png" in kinds) if {"png", "svg"} & set(kinds) else None
    for path, kind in zip(paths, kinds, strict=True):
        if kind == "png":
            assert drawn is not None and drawn.png is not None
            Path(path).write_bytes(drawn.png)
        elif kind == "svg":
            assert drawn is not None
            Path(path).write_text(drawn.svg, encoding="utf-8")
        else:
            import vl_convert

            Path(path).write_text(vl_convert.vegalite_to_html(text, bundle=True), encoding="utf-8")


def serve(jobs: TextIO, replies: TextIO) -> None:
    """Start the engine, then draw or write each job's chart, until ``jobs`` ends."""
    try:
        import vl_convert

        vl_convert.vegalite_to_svg(WARM_UP_SPEC)
    except Exception:  # noqa: S110 (the first job meets the same failure, and reports it)
        pass
    drawn: Drawing | None = None
    for line in jobs:
        job = json.loads(line)
        if "paths" not in job:
            try:
                drawn = draw(job["spec"])
            except Exception:  # writing it fails the same way, and answers with the reason
                drawn = None
            continue
        try:
            write_chart(job["spec"], job["paths"], drawn)
            reply: dict[str, object] = {"ok": True}
        except Exception as exc:  # the parent then writes the chart itself, and meets it
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
    # Every answer is flushed and every file closed: tearing the engine down would only keep
    # the parent waiting.
    os._exit(0)
