"""The prior model: in step with the settings, and what links a case too small for EM."""

from __future__ import annotations

import json
from pathlib import Path

from recount.case.folder import init_case
from recount.case.sources import add_source
from recount.export.tables import export_rows
from recount.ingest.importer import import_file
from recount.linkage.prior import fill_untrained, level_labels, prior_m
from recount.linkage.review import add_label, candidates
from recount.linkage.run import apply_labels, link_case
from recount.linkage.settings import LinkageSettings
from recount.store import linkage as linkage_store
from tests.conftest import run_cli, write_csv

COMMUNITY = """full_name,sex,age
Ali Mammadov,M,40
Rauf Aliyev,M,10
Leyla Huseynova,F,33
Nigar Mammadova,F,8
Elchin Aliyev,M,45
Sevda Qasimova,F,61
"""
PRESS = """full_name,sex,age
Ali Mamedov,M,41
Leyla Guseynova,F,35
Rauf Aliev,M,12
Tural Nasirov,M,29
"""
SAME = {
    ("community", 1): ("press", 1),
    ("community", 3): ("press", 2),
    ("community", 2): ("press", 3),
}


def _small_case(tmp_path: Path, database_url: str | None):
    case = init_case(tmp_path / "case", database=database_url)
    for slug, text in (("community", COMMUNITY), ("press", PRESS)):
        add_source(case, slug, slug, "ngo")
        import_file(case, slug, write_csv(tmp_path / f"{slug}.csv", text))
    return case


def test_a_case_too_small_for_em_links_with_the_prior(
    tmp_path: Path, database_url: str | None
) -> None:
    case = _small_case(tmp_path, database_url)
    result = link_case(case)
    person = {(r["source"], r["row_number"]): r["person_id"] for r in export_rows(case, "links")}
    for left, right in SAME.items():
        assert person[left] == person[right], (left, right)
    assert len(set(person.values())) == 10 - len(SAME)
    assert any("prior model" in note for note in result.notes)
    # No library's wall of advice in the notes: one line each.
    assert all("\n" not in note and len(note) < 300 for note in result.notes), result.notes


def test_the_run_says_so_in_one_line_and_prints_no_warning_wall(
    tmp_path: Path, database_url: str | None
) -> None:
    case = _small_case(tmp_path, database_url)
    done = run_cli("link", case=case.root)
    assert done.returncode == 0, done.stderr
    assert "prior model" in done.stdout
    assert "WARNING" not in done.stderr and "count_comparisons" not in done.stdout + done.stderr
    assert "review: 0 pairs decided by reviewers" in done.stdout and "next: `recount" in done.stdout


def test_a_run_ends_with_where_the_review_stands(tmp_path: Path, database_url: str | None) -> None:
    case = _small_case(tmp_path, database_url)
    first = link_case(case)
    waiting = candidates(case, *LinkageSettings().review_band, limit=1000)
    assert first.labelled_pairs == 0 and first.awaiting_review == len(waiting) > 0
    add_label(case, waiting[0].record_l, waiting[0].record_r, "match", "tester")
    after = apply_labels(case)
    assert (after.labelled_pairs, after.awaiting_review) == (1, len(waiting) - 1)


def test_the_prior_matches_the_levels_the_settings_define(
    tmp_path: Path, database_url: str | None
) -> None:
    case = _small_case(tmp_path, database_url)
    link_case(case)
    with case.reading() as conn:
        stored = linkage_store.newest_trained_model(conn)
    assert stored is not None
    model = json.loads(stored[0])
    prior = prior_m()["comparisons"]
    by_name = {c["output_column_name"]: c for c in model["comparisons"]}
    for name, values in prior.items():
        assert values["levels"] == level_labels(by_name[name]), name
        assert abs(sum(values["m"]) - 1.0) < 1e-3, name
    assert {"name", "sex", "birth_year"} <= set(prior)


def test_trained_comparisons_keep_their_own_m() -> None:
    name = next(iter(prior_m()["comparisons"]))
    levels = prior_m()["comparisons"][name]["levels"]
    model = {
        "comparisons": [
            {
                "output_column_name": name,
                "comparison_levels": [{"is_null_level": True}]
                + [{"label_for_charts": label, "m_probability": 0.5} for label in levels],
            }
        ]
    }
    assert fill_untrained(model) == []
    assert all(
        level.get("m_probability") in (None, 0.5)
        for level in model["comparisons"][0]["comparison_levels"]
    )
