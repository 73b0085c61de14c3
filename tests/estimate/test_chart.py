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
    png, svg = chart.save_charts(spec, [tmp_path / "n.png", tmp_path / "n.svg"])
    text = json.dumps(spec)
    assert svg.read_text(encoding="utf-8") == vl_convert.vegalite_to_svg(text)
    # The PNG is rasterised from the SVG above; byte for byte vl-convert's own PNG.
    assert png.read_bytes() == vl_convert.vegalite_to_png(text, scale=chart.PNG_SCALE)


def test_the_chart_process_writes_the_same_files(spec: dict, tmp_path: Path) -> None:
    here = chart.save_charts(spec, [tmp_path / "here.png", tmp_path / "here.svg"])
    with chart.renderer_process():
        assert chart._child is not None  # the child runs: the files below are its own
        chart.prepare(spec)  # drawn ahead, then written where the caller says
        ahead = chart.save_charts(spec, [tmp_path / "ahead.png", tmp_path / "ahead.svg"])
        other = {**spec, "title": "another chart"}  # not drawn ahead: drawn when written
        later = chart.save_charts(other, [tmp_path / "later.svg"])[0]
        assert chart._child.write(json.dumps(spec), [tmp_path / "its.svg"])  # not a fallback
    assert chart._child is None
    for mine, theirs in zip(here, ahead, strict=True):
        assert mine.read_bytes() == theirs.read_bytes()
    assert later.read_text() == vl_convert.vegalite_to_svg(json.dumps(other))
    assert (tmp_path / "its.svg").read_bytes() == here[1].read_bytes()


def test_without_its_process_a_chart_is_written_here_or_fails_as_here(
    spec: dict, tmp_path: Path
) -> None:
    with chart.renderer_process():
        assert chart._child is not None
        chart._child.process.kill()
        chart._child.process.wait()
        png = chart.save_charts(spec, [tmp_path / "n.png"])[0]
        with pytest.raises(ValueError, match="conversion failed"):
            chart.save_charts({"mark": 5}, [tmp_path / "bad.svg"])
    assert png.read_bytes() == vl_convert.vegalite_to_png(json.dumps(spec), scale=2)
    with chart.renderer_process(), pytest.raises(ValueError, match="conversion failed"):
        chart.save_charts({"mark": 5}, [tmp_path / "bad.svg"])  # the child's failure, here
    assert not (tmp_path / "bad.svg").exists()


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
