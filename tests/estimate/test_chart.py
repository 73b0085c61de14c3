"""The posterior chart: one SVG render serves both files, and they are what vl-convert makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import vl_convert

from recount.errors import InvalidValueError
from recount.estimate import chart
from recount.estimate.run import EstimateRequest, compute, gather_inputs
from tests.conftest import MSE_DATA, run_cli


@pytest.fixture(scope="module")
def spec() -> dict:
    request = EstimateRequest(method="dga", counts_file=str(MSE_DATA / "kosovo.csv"))
    report = compute(request, gather_inputs(None, request))
    return chart.posterior_spec(report.result, "Estimated number of people")


def test_png_and_svg_are_vl_converts_own_renders(spec: dict, tmp_path: Path) -> None:
    chart.start_renderer()
    chart.start_renderer()  # once per process: a second call starts nothing more
    png, svg = chart.save_charts(spec, [tmp_path / "n.png", tmp_path / "n.svg"])
    text = json.dumps(spec)
    assert svg.read_text(encoding="utf-8") == vl_convert.vegalite_to_svg(text)
    # The PNG is rasterised from the SVG above; byte for byte vl-convert's own PNG.
    assert png.read_bytes() == vl_convert.vegalite_to_png(text, scale=chart.PNG_SCALE)


def test_an_unknown_suffix_is_refused_before_anything_is_written(
    spec: dict, tmp_path: Path
) -> None:
    with pytest.raises(InvalidValueError, match="chosen by the file's suffix"):
        chart.save_charts(spec, [tmp_path / "n.svg", tmp_path / "n.jpg"])
    assert not any(tmp_path.iterdir())


def test_charts_asked_for_from_a_counts_file_without_a_case(tmp_path: Path) -> None:
    paths = [tmp_path / "n.png", tmp_path / "n.svg", tmp_path / "n.html"]
    charts = [arg for path in paths for arg in ("--chart", str(path))]
    counts = str(MSE_DATA / "kosovo.csv")
    result = run_cli(
        "estimate", "--counts", counts, "--method", "dga", *charts, "--json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] is None and data["charts"] == [str(p) for p in paths]
    png, svg, html = paths
    assert png.read_bytes() == vl_convert.svg_to_png(svg.read_text(), scale=chart.PNG_SCALE)
    assert "<svg" in svg.read_text()[:500] and "vega" in html.read_text()
