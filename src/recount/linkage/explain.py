"""Why were these records joined into one person? The evidence, comparison by comparison.

For a person, every pair of its records is scored again with the model of the newest run:
the match weight each comparison contributes (name, father, sex, birth year, date, place), their
sum with the prior, and the probability. Splink's waterfall chart of the same pairs can be
written as a self-contained HTML page.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.errors import NotFoundError
from recount.linkage.features import read_features
from recount.linkage.model import linker_from_model
from recount.linkage.run import latest_model, stored_name_counts
from recount.store import linkage as linkage_store

if TYPE_CHECKING:
    from recount.store import Connection

log = logging.getLogger(__name__)

COMPARISONS = ("name", "father", "sex", "birth_year", "date", "place")


@dataclass
class PairEvidence:
    record_l: int
    record_r: int
    probability: float
    weight: float
    weights: dict[str, float]  # comparison (and tf_ adjustment) → match weight it adds
    levels: dict[str, str]  # comparison → the level the pair fell in


@dataclass
class PersonExplanation:
    person_id: int
    records: list[dict[str, Any]]
    pairs: list[PairEvidence] = field(default_factory=list)
    chart: str | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def explain_person(case: Case, person_id: int, chart_path: Path | None = None) -> PersonExplanation:
    with case.reading() as conn:
        members = _person_records(conn, person_id)
        trained = latest_model(conn)
        if len(members) < 2 or trained is None:
            return _unexplained(person_id, members)
        model, settings = trained
        features = read_features(conn, {r["record_id"] for r in members}, settings.extra_columns)
        name_counts = stored_name_counts(conn)
    explanation = PersonExplanation(person_id, members)
    for row in features:
        row["source"] = "person"  # one table: score every pair of the person's records
    scoring = copy.deepcopy(model)
    scoring["blocking_rules_to_generate_predictions"] = [{"blocking_rule": "1=1"}]
    linker = linker_from_model(scoring, features, "duckdb", name_counts, settings.extra_columns)
    rows = linker.inference.predict().as_record_list()
    labels = level_labels(model)
    explanation.pairs = [_evidence(row, labels) for row in rows]
    if chart_path is not None:
        linker.visualisations.waterfall_chart(rows, filter_nulls=False).save_offline_chart(
            str(chart_path), overwrite=True, print_msg=False
        )
        explanation.chart = str(chart_path)
    return explanation


def _unexplained(person_id: int, members: list[dict[str, Any]]) -> PersonExplanation:
    note = (
        "one record: nothing was joined"
        if len(members) < 2
        else "the case has not been linked yet (`recount link`)"
    )
    return PersonExplanation(person_id, members, note=note)


def level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Comparison → gamma value → the level's label (Splink numbers levels from the top,
    highest gamma first, with -1 for the null level)."""
    result = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        names = {len(levels) - 1 - i: lv.get("label_for_charts", "") for i, lv in enumerate(levels)}
        result[comparison["output_column_name"]] = {-1: "missing", **names}
    return result


def _evidence(row: dict[str, Any], labels: dict[str, dict[int, str]]) -> PairEvidence:
    left, right = sorted((row["unique_id_l"], row["unique_id_r"]))
    weights = {
        key[3:]: round(value, 3)
        for key, value in row.items()
        if key.startswith("mw_") and value is not None
    }
    levels = {name: labels.get(name, {}).get(row.get(f"gamma_{name}"), "") for name in COMPARISONS}
    return PairEvidence(left, right, row["match_probability"], row["match_weight"], weights, levels)


def _person_records(conn: Connection, person_id: int) -> list[dict[str, Any]]:
    found = linkage_store.records_of_person(conn, person_id)
    if not found:
        raise NotFoundError(f"no person {person_id} in this case (see `recount export persons`)")
    return found
