"""The linkage store where no linkage test looks: the raw row read only when extra columns
are asked for, and records imported after a run's snapshot left unlinked."""

from __future__ import annotations

from pathlib import Path

from recount.case.folder import Case
from recount.ingest.importer import import_file
from recount.linkage.features import read_features
from recount.store import linkage as linkage_store
from tests.conftest import write_csv

LIST = """full_name,sex,village
Ali Hasanov,M,Upper Askipara
Leyla Aliyeva,F,
Rauf Mammadov,M,Xocali
"""


def test_features_read_the_raw_row_only_for_extra_columns(case: Case, tmp_path: Path) -> None:
    import_file(case, "registry", write_csv(tmp_path / "registry.csv", LIST))
    with case.reading() as conn:
        ids = sorted(linkage_store.person_of_every_record(conn))
        plain = list(linkage_store.feature_rows(conn, None, with_raw=False))
        some = list(linkage_store.feature_rows(conn, {ids[2], ids[0]}, with_raw=True))
        features = read_features(conn, {ids[0], ids[1]}, extra_columns=("village",))
    assert [row["id"] for row in plain] == ids and "raw" not in plain[0]
    assert [row["id"] for row in some] == [ids[0], ids[2]] and "raw" in some[0]
    assert [f["x_village"] for f in features] == ["upper askipara", None]


def test_records_after_the_snapshot_stay_unlinked(case: Case, tmp_path: Path) -> None:
    import_file(case, "registry", write_csv(tmp_path / "registry.csv", LIST))
    with case.writing() as conn:
        ids = sorted(linkage_store.unlinked_record_ids(conn))
        run_id = linkage_store.insert_linkage_run(
            conn,
            started_at="2024-01-01T00:00:00Z",
            backend="none",
            mode="review",
            settings="{}",
            model=None,
            match_threshold=0.9,
            recount_version="test",
        )
        linkage_store.mark_records_linked(conn, run_id, ids[1])
        assert linkage_store.unlinked_record_ids(conn) == {ids[2]}
        linkage_store.mark_records_linked(conn, run_id, None)
        assert linkage_store.unlinked_record_ids(conn) == set()
