"""`recount link`: score record pairs with Splink, cluster them into persons, keep ids stable.

A full run trains a new model on every record; an incremental run (the default once a model
exists) scores only records imported since, against everything, with the stored model; a
rescore run scores every record with the stored model (another backend, say). Either
way the persons are re-derived from all stored pairs and the reviewers' labels, then matched to
the persons that existed before (``persons.assign_person_ids``), and the run is stored with its
settings, model, threshold, counts and duration.

Records without any name word cannot be compared by name; they stay persons of their own and
are counted in ``unlinkable``.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from recount import __version__
from recount._typing import Progress
from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import LinkageError, UsageError
from recount.linkage import model as splink_model
from recount.linkage.derive import persons_at, recluster
from recount.linkage.features import cap_common_keys, read_features
from recount.linkage.prior import fill_untrained
from recount.linkage.review import current_labels
from recount.linkage.settings import LinkageSettings
from recount.store import cases as cases_store
from recount.store import linkage as linkage_store
from recount.store import linkage_review as review_store

if TYPE_CHECKING:
    from recount.store import Connection

log = logging.getLogger(__name__)


@dataclass
class LinkResult:
    run_id: int
    mode: str  # full | incremental | relabel
    backend: str
    records: int
    scored_records: int
    unlinkable: int
    pairs: int
    persons: int
    merges: int
    splits: int
    new_persons: int
    seconds: float
    match_threshold: float
    notes: list[str] = field(default_factory=list)
    labelled_pairs: int = 0  # pairs a reviewer decided (any label)
    awaiting_review: int = 0  # unlabelled pairs in the review band: `recount review` asks

    def to_dict(self) -> dict:
        return asdict(self)


def link_case(
    case: Case,
    settings: LinkageSettings | None = None,
    backend: str = "duckdb",
    full: bool = False,
    progress: Progress | None = None,
    rescore: bool = False,
) -> LinkResult:
    """Link the case's records into persons (see the module docstring). ``rescore`` scores
    every record again with the newest model, without retraining (after changing the
    backend, say)."""
    if full and rescore:
        raise UsageError("--full retrains, --rescore reuses the model: choose one")
    settings = settings or LinkageSettings()
    splink_model.check_backend(backend)
    progress = progress or (lambda what, _done, _total: log.info("%s", what))
    started, started_at = time.perf_counter(), utc_now()
    progress("reading records and computing name features", 0, None)
    # One consistent state of the case; Splink then runs with no transaction open.
    with case.reading() as conn:
        snapshot = _read_snapshot(conn, settings, full)
    features, trained = snapshot.features, snapshot.trained
    if not features:
        raise LinkageError(
            "the case has no records to link; import a list first (`recount import SOURCE FILE`)"
        )
    linkable = [f for f in features if f["name_keys"]]
    cap_common_keys(linkable, settings.block_key_cap, settings.pair_cap)
    unlinked_ids = snapshot.unlinked & {f["unique_id"] for f in linkable}
    notes: list[str] = []
    if trained is not None and trained[1].extra_columns != settings.extra_columns:
        notes.append("extra_columns changed since the model was trained: retraining")
        trained = None
    previous_model = trained[0] if trained else None
    mode = "incremental" if previous_model is not None else "full"
    if rescore and previous_model is not None:
        mode = "rescore"
        unlinked_ids = {f["unique_id"] for f in linkable}
    scored: list[splink_model.ScoredPair] = []
    model: dict[str, Any] | None = previous_model
    if len(linkable) < 2:
        notes.append(f"only {len(linkable)} record(s) with a name: nothing to compare")
    elif mode == "incremental" and not unlinked_ids:
        mode = "relabel"
        notes.append(
            "no records imported since the last run; persons re-derived from the "
            "stored pairs and labels (use --full to retrain)"
        )
    elif mode in ("incremental", "rescore"):
        scored, model = _score_new(
            linkable, unlinked_ids, previous_model, settings, backend, progress
        )
    else:
        labels = _splink_labels(snapshot.labels, {f["unique_id"]: f["source"] for f in linkable})
        scored, model, training_notes = _train_and_score(
            linkable, labels, settings, backend, progress
        )
        notes += training_notes
    progress("clustering pairs into persons", 0, None)
    with case.writing() as conn:
        run_id = _insert_run(conn, started_at, backend, mode, settings, model)
        _store_pairs(conn, scored, run_id, replace=mode in ("full", "rescore"))
        if mode != "relabel":
            _store_name_frequencies(conn, linkable)
        # Records imported while Splink ran were not scored: they stay unlinked.
        read_up_to = max(f["unique_id"] for f in features)
        counts = recluster(conn, run_id, settings.match_threshold, read_up_to)
        scored_records = (
            len(linkable) if mode == "full" else len(unlinked_ids) if mode != "relabel" else 0
        )
        seconds = time.perf_counter() - started
        result = LinkResult(
            run_id,
            mode,
            backend,
            len(features),
            scored_records,
            len(features) - len(linkable),
            **counts,
            seconds=round(seconds, 2),
            match_threshold=settings.match_threshold,
            notes=notes,
        )
        _finish_run(conn, run_id, seconds, result, settings)
    return result


@dataclass
class _Snapshot:
    """What a run reads from the case before Splink starts."""

    features: list[dict[str, Any]]
    unlinked: set[int]
    trained: tuple[dict[str, Any], LinkageSettings] | None
    labels: dict[tuple[int, int], str]


def _read_snapshot(conn: Connection, settings: LinkageSettings, full: bool) -> _Snapshot:
    return _Snapshot(
        read_features(conn, extra_columns=settings.extra_columns),
        linkage_store.unlinked_record_ids(conn),
        None if full else latest_model(conn),
        current_labels(conn),
    )


def apply_labels(case: Case, settings: LinkageSettings | None = None) -> LinkResult:
    """Re-derive persons from the stored pairs and the newest labels, without scoring: what a
    review decision changes at once (a non-match splits a person, a match joins two)."""
    settings = settings or LinkageSettings()
    with case.writing() as conn:
        return apply_labels_in(conn, settings)


def apply_labels_in(conn: Connection, settings: LinkageSettings) -> LinkResult:
    """:func:`apply_labels` in the caller's transaction (after it stored a label, say)."""
    started, started_at = time.perf_counter(), utc_now()
    total = cases_store.record_count(conn)
    run_id = _insert_run(conn, started_at, "none", "review", settings, None)
    counts = recluster(conn, run_id, settings.match_threshold)
    seconds = time.perf_counter() - started
    result = LinkResult(
        run_id,
        "review",
        "none",
        total,
        0,
        0,
        **counts,
        seconds=round(seconds, 2),
        match_threshold=settings.match_threshold,
    )
    _finish_run(conn, run_id, seconds, result, settings)
    return result


def _finish_run(
    conn: Connection, run_id: int, seconds: float, result: LinkResult, settings: LinkageSettings
) -> None:
    result.labelled_pairs, result.awaiting_review = review_store.review_counts(
        conn, *settings.review_band
    )
    linkage_store.finish_linkage_run(conn, run_id, seconds, json.dumps(result.to_dict()))


def _train_and_score(
    linkable: list[dict[str, Any]],
    labels: list[dict[str, Any]],
    settings: LinkageSettings,
    backend: str,
    progress: Progress,
) -> tuple[list[splink_model.ScoredPair], dict[str, Any], list[str]]:
    trained, notes = splink_model.train(linkable, settings, backend, labels, progress)
    from_prior = fill_untrained(trained)
    if from_prior:
        notes.append(
            f"EM could not train {', '.join(from_prior)} on {len(linkable):,} records: "
            "their m comes from recount's prior model (docs/linkage.md, 'Small cases')"
        )
    total = len(linkable) * (len(linkable) - 1) / 2
    model = splink_model.regularised_model(
        trained, len(linkable), u_floor=splink_model.u_floor(settings, total)
    )
    progress(f"scoring pairs of {len(linkable):,} records", 0, None)
    scorer = splink_model.linker_from_model(
        model, linkable, backend, extra_columns=settings.extra_columns
    )
    # Score below the keep threshold: calibrating λ can lift pairs above it.
    scored = splink_model.score(scorer, settings.keep_threshold / 10)
    prior = model["probability_two_random_records_match"]
    # Both estimates tend to fall short (rules' recall, unblocked matches): take the larger.
    calibrated = max(prior, splink_model.calibrate_prior(scored, prior, total))
    model["probability_two_random_records_match"] = calibrated
    notes.append(
        f"prior λ {prior:.3g} from deterministic rules, {calibrated:.3g} after EM "
        "on the scored pairs"
    )
    scored = [
        p
        for p in splink_model.with_prior(scored, prior, calibrated)
        if p.probability >= settings.keep_threshold
    ]
    return scored, model, notes


def _score_new(
    linkable: list[dict[str, Any]],
    new_ids: set[int],
    model: dict[str, Any],
    settings: LinkageSettings,
    backend: str,
    progress: Progress,
) -> tuple[list[splink_model.ScoredPair], dict[str, Any]]:
    everything = len(new_ids) == len(linkable)
    for row in linkable:
        row["is_new"] = row["unique_id"] in new_ids
    progress(f"scoring {len(new_ids):,} records against {len(linkable):,}", 0, None)
    scorer = splink_model.linker_from_model(
        model, linkable, backend, extra_columns=settings.extra_columns, new_only=not everything
    )
    return splink_model.score(scorer, settings.keep_threshold), model


def latest_model(conn: Connection) -> tuple[dict[str, Any], LinkageSettings] | None:
    """The trained model of the newest run that has one, and the settings it was trained with."""
    stored = linkage_store.newest_trained_model(conn)
    if stored is None:
        return None
    model, settings = stored
    return json.loads(model), LinkageSettings.from_dict(json.loads(settings))


def _splink_labels(
    labels: dict[tuple[int, int], str], source_of: dict[int, str]
) -> list[dict[str, Any]]:
    """Reviewers' match and non-match labels in Splink's pairwise-labels format."""
    rows = []
    for (left, right), label in labels.items():
        if label == "unsure" or left not in source_of or right not in source_of:
            continue
        rows.append(
            {
                "source_dataset_l": source_of[left],
                "unique_id_l": left,
                "source_dataset_r": source_of[right],
                "unique_id_r": right,
                "clerical_match_score": 1.0 if label == "match" else 0.0,
            }
        )
    return rows


def _insert_run(
    conn: Connection,
    started_at: str,
    backend: str,
    mode: str,
    settings: LinkageSettings,
    model: dict[str, Any] | None,
) -> int:
    return linkage_store.insert_linkage_run(
        conn,
        started_at=started_at,
        backend=backend,
        mode=mode,
        settings=json.dumps(settings.to_dict()),
        model=json.dumps(model) if model else None,
        match_threshold=settings.match_threshold,
        recount_version=__version__,
    )


def _store_pairs(
    conn: Connection, scored: list[splink_model.ScoredPair], run_id: int, replace: bool
) -> None:
    """The newest score of every pair: all pairs anew (``replace``), else added and updated."""
    newest = {(p.record_l, p.record_r): p for p in scored}
    rows = [(p.record_l, p.record_r, p.probability, p.weight, run_id) for p in newest.values()]
    if replace:
        linkage_store.replace_pairs(conn, rows)
    else:
        linkage_store.upsert_pairs(conn, rows)


def _store_name_frequencies(conn: Connection, linkable: list[dict[str, Any]]) -> None:
    """The number of records bearing each whole name, from which ``--explain`` rebuilds the
    term frequencies the run scored with (``model.frequency_tables``)."""
    counts = splink_model.name_counts(linkable)
    linkage_store.replace_name_frequencies(conn, list(counts.items()))


def stored_name_counts(conn: Connection) -> dict[str, float]:
    """Records per whole name as the newest run stored them (shares, before counts were)."""
    return linkage_store.name_frequencies_by_name(conn)


def persons_at_threshold(case: Case, threshold: float) -> dict[int, int]:
    """Record → person if the case were clustered at ``threshold`` (nothing is stored).
    Ids of persons that would be new are provisional: they are not reserved."""
    with case.reading() as conn:
        return persons_at(conn, threshold)
