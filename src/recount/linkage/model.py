"""Splink behind one small interface: register records, train, score pairs.

Every backend (DuckDB by default, Spark at scale) goes through ``make_db_api``; the rest of
recount sees only lists of dicts in and ``ScoredPair`` out.

Training (Fellegi–Sunter with EM, as Splink does it):

1. the prior λ that two random records match, from deterministic rules and an assumed recall;
2. u probabilities from random pairs (seeded, so a run is reproducible);
3. m probabilities by EM, in sessions blocked on the name and on birth year, sex and date;
4. m probabilities from review labels, when reviewers have labelled matches;
5. regularisation: no m below ``FLOOR``, no u below one in the random pairs sampled
   (``u_floor``), and a prior that is neither 0 nor 1. EM on clean data can learn that a
   level never occurs among matches (m = 0), which would make one typo in a birth year veto
   a match forever; real lists are never that clean. A level EM did not train says nothing
   (m = u).
"""

from __future__ import annotations

import atexit
import copy
import functools
import logging
import math
import os
import re
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recount._typing import Progress
from recount.errors import InvalidValueError
from recount.linkage import settings as model_settings
from recount.linkage.features import FEATURE_TYPES
from recount.linkage.settings import LinkageSettings, extra_feature

log = logging.getLogger(__name__)

BACKENDS = ("duckdb", "spark")
FLOOR = 1e-3
TF_COLUMNS = {"name_sorted", "name_single"}  # columns with term-frequency adjustments
PAIR_LEFT_OUT_FLOOR = 0.5  # records: the least frequency a name is given (frequency_tables)


@dataclass(frozen=True)
class ScoredPair:
    record_l: int
    record_r: int
    probability: float
    weight: float


def check_backend(backend: str) -> None:
    """Refuse an unknown backend, or one whose optional part is not installed, before any
    work is done."""
    if backend not in BACKENDS:
        raise InvalidValueError(f"backend {backend!r}: expected one of {', '.join(BACKENDS)}")
    if backend == "spark":
        from recount.linkage.spark import require_pyspark

        require_pyspark()


SCRATCH_PREFIX = "recount-duckdb-"


@functools.cache
def scratch_folder() -> str:
    """This process's folder for DuckDB's spill files, in the temporary directory, removed when
    the process exits. DuckDB deletes its files when a connection closes; the folder is ours
    to remove. Folders of recount processes that were killed (their pid, in the name, is gone)
    are removed first, so that no run leaves one behind for good."""
    _remove_orphaned_scratch(Path(tempfile.gettempdir()))
    folder = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _remove_orphaned_scratch(temporary: Path) -> None:
    for folder in temporary.glob(f"{SCRATCH_PREFIX}*"):
        owner = folder.name[len(SCRATCH_PREFIX) :].split("-")[0]
        if owner.isdigit() and not _process_alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to judge
        return True
    return True


def make_db_api(backend: str) -> Any:
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        # A bounded memory with spilling to a temporary folder keeps a million records
        # within a laptop's memory; RECOUNT_DUCKDB_MEMORY raises or lowers the bound.
        connection = duckdb.connect(
            config={
                "memory_limit": os.environ.get("RECOUNT_DUCKDB_MEMORY", "4GB"),
                "preserve_insertion_order": False,
                "temp_directory": scratch_folder(),
            }
        )
        return DuckDBAPI(connection=connection)
    if backend == "spark":
        from recount.linkage.spark import spark_api

        return spark_api()
    raise InvalidValueError(f"backend {backend!r}: expected one of {', '.join(BACKENDS)}")


def register(
    db_api: Any, features: list[dict[str, Any]], extra_columns: tuple[str, ...] = ()
) -> tuple[list[Any], str]:
    """One Splink table per source (link_and_dedupe), or one table when there is one source."""
    import pyarrow as pa

    by_source: dict[str, list[dict[str, Any]]] = {}
    for row in features:
        by_source.setdefault(row["source"], []).append(row)
    schema = _schema(extra_columns)
    # Table names unique per registration: a Spark session outlives one Linker.
    token = uuid.uuid4().hex[:8]
    tables = [
        db_api.register(
            pa.Table.from_pylist(rows, schema=schema),
            dataset_display_name=source,
            table_name=f"recount_{re.sub(r'[^a-z0-9_]', '_', source)}_{token}",
        )
        for source, rows in sorted(by_source.items())
    ]
    return tables, "link_and_dedupe" if len(tables) > 1 else "dedupe_only"


def _schema(extra_columns: tuple[str, ...]) -> Any:
    import pyarrow as pa

    kinds = {
        "int": pa.int64(),
        "text": pa.string(),
        "keys": pa.list_(pa.string()),
        "bool": pa.bool_(),
    }
    return pa.schema(
        [(name, kinds[kind]) for name, kind in FEATURE_TYPES.items()]
        + [(extra_feature(c), pa.string()) for c in extra_columns]
    )


def train(
    features: list[dict[str, Any]],
    settings: LinkageSettings,
    backend: str,
    labels: list[dict[str, Any]],
    progress: Progress,
) -> tuple[dict[str, Any], list[str]]:
    """The trained model (Splink's JSON) on all ``features``, and notes on training steps that
    could not run. λ is the one the deterministic rules gave: an EM session blocked on
    strong fields (date and place) can leave its within-block λ behind, near 1."""
    from splink import Linker

    db_api = make_db_api(backend)
    tables, link_type = register(db_api, features, settings.extra_columns)
    linker = Linker(
        tables,
        model_settings.splink_settings(link_type, settings.extra_columns),
        log_level=logging.getLogger("splink").getEffectiveLevel(),
    )
    _register_frequencies(linker, db_api, name_counts(features), TF_COLUMNS)
    notes: list[str] = []
    progress("estimating the prior probability of a match", 0, None)
    _attempt(
        notes,
        "prior",
        lambda: linker.training.estimate_probability_two_random_records_match(
            model_settings.prior_rules(), recall=settings.prior_recall
        ),
    )
    prior = linker.misc.save_model_to_json()["probability_two_random_records_match"]
    progress("estimating u from random pairs", 0, None)
    _attempt(
        notes,
        "u",
        lambda: linker.training.estimate_u_using_random_sampling(
            max_pairs=settings.u_max_pairs, seed=settings.seed
        ),
    )
    # EM sessions sample about em_max_pairs blocked pairs; the probe that sizes the sample
    # need not count every pair (sex + place blocks hold billions at a million records).
    probe = min(1.0, math.sqrt(2 * settings.em_max_pairs) / max(len(features), 1))
    em_notes: list[str] = []
    for session in model_settings.training_rules():
        for rule in session:  # the first rule the data can support
            progress(
                f"EM training blocked on {rule.get_blocking_rule('duckdb').blocking_rule_sql}",
                0,
                None,
            )
            # Splink's EM session takes the blocked-on comparisons out of the linker's model
            # when it starts and puts them back only when it succeeds: a session the data
            # cannot support would drop them (and λ) for good. Keep a copy to restore.
            kept = linker._settings_obj.core_model_settings.copy()
            # Without term frequencies EM iterates over agreement patterns, not pairs: the
            # sessions take half the time; m is a level's average either way.
            if _attempt(
                em_notes,
                "EM",
                lambda rule=rule: (
                    linker.training.estimate_parameters_using_expectation_maximisation(
                        rule,
                        estimate_without_term_frequencies=True,
                        record_sample_proportion=probe,
                        max_pairs=settings.em_max_pairs,
                    )
                ),
            ):
                break
            linker._settings_obj.core_model_settings = kept
    if em_notes:
        # One line for the sessions, not one per blocking rule tried.
        reason = em_notes[0].removeprefix("EM skipped: ")
        notes.append(
            f"EM skipped {len(em_notes)} blocking rule(s) the data could not support: {reason}"
        )
    if any(label["clerical_match_score"] == 1.0 for label in labels):
        progress("estimating m from review labels", 0, None)
        _attempt(
            notes,
            "labels",
            lambda: linker.training.estimate_m_from_pairwise_labels(
                db_api.register(_labels_table(labels))
            ),
        )
    model = linker.misc.save_model_to_json()
    model["probability_two_random_records_match"] = prior
    return model, notes


def _attempt(notes: list[str], what: str, action: Callable[[], Any]) -> bool:
    """Run one training step; a step the data cannot support is noted, not fatal."""
    try:
        action()
    except Exception as exc:  # Splink raises plain exceptions for untrainable data
        # Splink's messages run to paragraphs of advice for its own API: the run's notes keep
        # the first sentence; the whole message goes to the debug log.
        log.debug("linkage training step %s skipped", what, exc_info=exc)
        notes.append(f"{what} skipped: {first_sentence(str(exc))}")
        return False
    return True


def first_sentence(message: str) -> str:
    """The first sentence (or line) of a library's message, for one line of a summary."""
    line = message.strip().splitlines()[0] if message.strip() else "no reason given"
    end = line.find(".  ")
    return line[: end + 1] if end > 0 else line


def _labels_table(labels: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist(labels)


def u_floor(settings: LinkageSettings, total_pairs: float) -> float:
    """The least u a level is given: one in the number of random pairs u was estimated from
    (a level seen in none of them is rarer than that among non-matches, not impossible), at
    most ``FLOOR``. A floor of ``FLOOR`` itself capped every strong name level at about
    10 bits; the random pairs put "same name" at 2 in 10,000 and "every word similar" at
    2 in 100,000 on the simulated lists, 2–8 bits stronger."""
    return min(FLOOR, 1.0 / max(1.0, min(settings.u_max_pairs, total_pairs)))


def regularised_model(
    model: dict[str, Any], records: int, u_floor: float = FLOOR
) -> dict[str, Any]:
    """The model with every m probability at least ``FLOOR`` and every u at least
    ``u_floor`` (see the module docstring), and a usable prior: when the deterministic rules
    found no match at all (tiny or very sparse data), λ falls back to 1/records, one expected
    match per record. A level whose m was not trained (EM could not see it) says nothing:
    m = u; one seen in no random pair gets ``u_floor``."""
    model = copy.deepcopy(model)
    prior = model.get("probability_two_random_records_match") or 0.0
    if not 0.0 < prior < 1.0:
        model["probability_two_random_records_match"] = min(1.0 / max(records, 2), 0.5)
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if level.get("u_probability") is None:  # never seen among random pairs
                level["u_probability"] = FLOOR if level.get("m_probability") is None else u_floor
            level["u_probability"] = max(level["u_probability"], u_floor)
            if level.get("m_probability") is None:  # not trained: no evidence either way
                level["m_probability"] = level["u_probability"]
            level["m_probability"] = max(level["m_probability"], FLOOR)
    return model


def name_counts(features: list[dict[str, Any]]) -> dict[str, int]:
    """How many records bear each whole name (``name_sorted``): what the term frequencies of
    both name levels are derived from, and what a run stores for ``--explain``."""
    return dict(Counter(f["name_sorted"] for f in features if f["name_sorted"]))


def frequency_tables(counts: dict[str, float]) -> dict[str, Any]:
    """Splink's term-frequency lookups (column → table of value, ``tf_<column>``) from the
    number of records bearing each whole name.

    * ``name_sorted`` (all words equal): the frequency of the name among *other* people.
      Splink would take count/N, which counts the two records being compared: a name only one
      person bears, written in two lists, would look as common as 2 in N and two such
      records would stay apart. Here the pair is left out, (count − 2)/N, with half a record
      as a floor so that no name is certain (Splink's u = frequency; m/u is the weight).
    * ``name_single`` (one name within the other, for one-word names): the chance that a
      different person's record contains the word, 2·s·df/N, where df counts the records
      whose name contains it and s is the share of one-word names (either record of a pair
      may be the one-word one). With the level's own m this gives weight log2(m / tf).

    Counts stored before this scheme were shares (they sum to 1); those are used as they
    are, for ``name_sorted`` only."""
    import pyarrow as pa

    names = list(counts)
    total = sum(counts.values())
    if any(value != int(value) for value in counts.values()):  # stored shares
        return {
            "name_sorted": pa.table(
                {"name_sorted": names, "tf_name_sorted": [counts[v] for v in names]}
            )
        }
    words: Counter[str] = Counter()
    for name, count in counts.items():
        for word in name.split(" "):
            words[word] += count
    singles = [name for name in names if " " not in name]
    one_word_share = sum(counts[name] for name in singles) / total if total else 0.0
    return {
        "name_sorted": pa.table(
            {
                "name_sorted": names,
                "tf_name_sorted": [max(counts[v] - 2, PAIR_LEFT_OUT_FLOOR) / total for v in names],
            }
        ),
        "name_single": pa.table(
            {
                "name_single": singles,
                "tf_name_single": [2 * one_word_share * words[v] / total for v in singles],
            }
        ),
    }


def _tf_columns(model: dict[str, Any]) -> set[str]:
    return {
        level["tf_adjustment_column"]
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }


def _register_frequencies(
    linker: Any, db_api: Any, counts: dict[str, float], columns: set[str]
) -> None:
    for column, table in frequency_tables(counts).items():
        if column in columns and table.num_rows:
            linker.table_management.register_term_frequency_lookup(db_api.register(table), column)


def linker_from_model(
    model: dict[str, Any],
    features: list[dict[str, Any]],
    backend: str,
    counts: dict[str, float] | None = None,
    extra_columns: tuple[str, ...] = (),
    new_only: bool = False,
) -> Any:
    """A Linker with a stored (trained) model over ``features``; name frequencies come from
    ``counts`` (records per whole name, as stored by a run) or else from ``features``;
    ``new_only`` scores only pairs with a record marked ``is_new``."""
    from splink import Linker

    db_api = make_db_api(backend)
    tables, link_type = register(db_api, features, extra_columns)
    model = for_dialect(
        dict(model, link_type=link_type), db_api.sql_dialect.sql_dialect_str, extra_columns
    )
    if new_only:
        model = new_records_only(model)
    linker = Linker(tables, model, log_level=logging.getLogger("splink").getEffectiveLevel())
    _register_frequencies(
        linker, db_api, name_counts(features) if counts is None else counts, _tf_columns(model)
    )
    return linker


def for_dialect(
    model: dict[str, Any], dialect: str, extra_columns: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A stored model for another backend's SQL dialect. SQL does not transpile reliably
    between engines (string-similarity functions differ), so the comparisons and blocking
    rules are generated afresh for ``dialect`` from recount's settings, and the trained
    values (λ; m and u of every level) are carried over level by level."""
    if model.get("sql_dialect", "duckdb") == dialect:
        return copy.deepcopy(model)
    fresh = model_settings.splink_settings(model["link_type"], extra_columns).create_settings_dict(
        dialect
    )
    fresh["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    trained = {c["output_column_name"]: c["comparison_levels"] for c in model["comparisons"]}
    for comparison in fresh["comparisons"]:
        levels = trained.get(comparison["output_column_name"], [])
        if len(levels) != len(comparison["comparison_levels"]):
            raise InvalidValueError(
                "the stored model was trained with other comparisons (an "
                "earlier recount): retrain it with `recount link --full`"
            )
        for level, stored in zip(comparison["comparison_levels"], levels, strict=True):
            for key in ("m_probability", "u_probability"):
                if key in stored:
                    level[key] = stored[key]
    return fresh


def new_records_only(model: dict[str, Any]) -> dict[str, Any]:
    """The model with blocking limited to pairs that involve a new record (``is_new``), so an
    incremental run scores new records against everything and nothing old twice."""
    model = copy.deepcopy(model)
    for rule in model["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"] = f"({rule['blocking_rule']}) AND (l.is_new OR r.is_new)"
    return model


def score(linker: Any, threshold: float) -> list[ScoredPair]:
    """Every blocked pair with probability at or above ``threshold``."""
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    return _pairs(predictions)


def calibrate_prior(
    scored: list[ScoredPair],
    prior: float,
    total_pairs: float,
    iterations: int = 50,
    tolerance: float = 1e-10,
) -> float:
    """λ re-estimated from the scored pairs by EM with m and u held fixed.

    Model: a pair's Bayes factor B_i = 2^(w_i − w_0), where w_i is its match weight and
    w_0 = log2(λ/(1−λ)) the prior's. With m and u fixed, the EM update of the mixing
    proportion (Jaro 1989; Winkler 1988) is

        λ_{t+1} = (1/N) Σ_i λ_t B_i / (λ_t B_i + 1 − λ_t),

    summing over the pairs blocking produced; pairs it did not produce count as B = 0. N is
    every pair of records. The deterministic-rule prior λ_0 assumes a recall for its rules; on
    sparse or noisy lists that recall is lower and λ_0 too small, which makes every pair look
    less likely than it is. The fixed point is still a slight underestimate (unblocked
    matches are missed), so it can only move λ towards the truth from below.
    """
    if not scored or total_pairs <= 0:
        return prior
    prior_weight = math.log2(prior / (1 - prior))
    factors = [2.0 ** min(p.weight - prior_weight, 1000.0) for p in scored]
    lam = prior
    for _ in range(iterations):
        updated = sum(lam * b / (lam * b + 1 - lam) for b in factors) / total_pairs
        updated = min(max(updated, 1e-12), 0.5)
        if abs(updated - lam) < tolerance:
            return updated
        lam = updated
    return lam


def with_prior(scored: list[ScoredPair], old: float, new: float) -> list[ScoredPair]:
    """The same pairs, their weights and probabilities under prior ``new`` instead of ``old``."""
    shift = math.log2(new / (1 - new)) - math.log2(old / (1 - old))
    return [
        ScoredPair(
            p.record_l, p.record_r, 1.0 / (1.0 + 2.0 ** -(p.weight + shift)), p.weight + shift
        )
        for p in scored
    ]


def _pairs(predictions: Any) -> list[ScoredPair]:
    table = predictions.as_pyarrow_table()
    columns = [
        table.column(name).to_pylist()
        for name in ("unique_id_l", "unique_id_r", "match_probability", "match_weight")
    ]
    return [ScoredPair(min(a, b), max(a, b), p, w) for a, b, p, w in zip(*columns, strict=True)]
