"""`recount backup` and `recount restore`: a consistent copy of a live case, and a verified
restore that leaves nothing behind when it fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from recount.case.folder import SETTINGS_FILE, Case, init_case, open_case
from recount.case.keeping import backup_case, restore_case
from recount.case.sources import add_source
from recount.errors import (
    CaseExistsError,
    ForeignDatabaseError,
    InputFileError,
    IntegrityError,
    StoreUnavailableError,
    UsageError,
)
from tests.conftest import init_args, run_cli, table_counts
from tests.evidence.helpers import photo
from tests.store.keeping_helpers import (
    check_case,
    database_name,
    fill,
    leftovers,
    new_database,
    pg_tables,
    state,
    tamper,
    tree,
    unreachable_url,
)

ROOT = Path(__file__).parents[2]


@pytest.fixture
def restore_url(store_engine: str, request: pytest.FixtureRequest) -> str | None:
    """Where a backup of the test's case is restored: its folder (SQLite), or a new empty
    PostgreSQL database."""
    return None if store_engine == "sqlite" else new_database(request)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def db_file(case: Case) -> str:
    return "recount.db" if case.store.dialect == "sqlite" else "recount.dump"


# --- what works ------------------------------------------------------------------------------


def test_a_restored_backup_is_the_same_case(case: Case, tmp_path: Path, restore_url: str | None):
    fill(case, tmp_path)
    expected = state(case)
    steps: list[tuple[str, int, int | None]] = []
    result = backup_case(case, tmp_path / "backup", lambda *step: steps.append(step))
    backup = tmp_path / "backup"
    assert steps[-1] == ("files", len(steps), len(steps)) and len(steps) >= 4
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    files = tree(backup)
    assert files.pop("manifest.json") == result["manifest_sha256"]
    assert files == {name: f["sha256"] for name, f in manifest["files"].items()}
    assert {db_file(case), SETTINGS_FILE} < set(files)
    assert sum(1 for name in files if name.startswith("evidence/derived/")) >= 2
    assert manifest["custody"]["head"] == expected[1]["head"] is not None
    assert manifest["custody"]["chains"] == expected[1]["chains"]
    assert {n: (t.rows, t.sha256) for n, t in expected[0].items()} == {
        n: (t["rows"], t["sha256"]) for n, t in result["tables"].items()
    }
    assert leftovers(tmp_path) == []

    restored = restore_case(backup, tmp_path / "restored", restore_url)
    assert restored["evidence"]["ok"] and restored["evidence"]["items"] == 2
    check_case(tmp_path / "restored", expected)
    assert tree(tmp_path / "restored" / "evidence") == {
        name: sha for name, sha in tree(case.evidence_dir).items() if not name.startswith("tmp/")
    }
    settings = (tmp_path / "restored" / SETTINGS_FILE).read_text(encoding="utf-8")
    if restore_url is None:
        assert settings == (case.root / SETTINGS_FILE).read_text(encoding="utf-8")
        assert (tmp_path / "restored" / "recount.db").is_file()
    else:
        assert restore_url in settings and not (tmp_path / "restored" / "recount.db").exists()
    assert leftovers(tmp_path) == []
    # The restored case takes new rows after the copied ones (PostgreSQL sequences included).
    with open_case(tmp_path / "restored") as again:
        assert add_source(again, "later", "Later", "media").id == 3


def test_backup_and_restore_through_the_cli(
    tmp_path: Path, database_url: str | None, restore_url: str | None
) -> None:
    root = tmp_path / "case"
    assert run_cli("init", str(root), *init_args(database_url)).returncode == 0
    added = run_cli("source", "add", "reg", "--name", "R", "--kind", "ngo", case=root)
    assert added.returncode == 0
    image = photo(tmp_path / "p.jpg")
    assert run_cli("evidence", "add", str(image), "--source", "reg", case=root).returncode == 0
    made = run_cli("backup", str(tmp_path / "backup"), "--json", case=root)
    assert made.returncode == 0, made.stderr
    backed = json.loads(made.stdout)
    assert backed["tables"]["evidence_items"]["rows"] == 1 and backed["files"] >= 4

    restore = ["restore", str(tmp_path / "backup"), str(tmp_path / "restored"), "--json"]
    done = run_cli(*restore, *init_args(restore_url))
    assert done.returncode == 0, done.stderr
    restored = json.loads(done.stdout)
    assert restored["evidence"]["ok"] and restored["custody"] == backed["custody"]
    verify = run_cli("evidence", "verify", "--json", "--no-record", case=tmp_path / "restored")
    assert verify.returncode == 0 and json.loads(verify.stdout)["head"] == backed["custody"]["head"]
    assert table_counts(tmp_path / "restored") == table_counts(root)


WRITER = """
import sys
from pathlib import Path
from recount.case.folder import open_case
from recount.case.sources import add_source
from tests.evidence.helpers import add, photo
case = open_case(sys.argv[1])
folder = Path(sys.argv[2])
i = 0
while not (folder / "stop").exists():
    add_source(case, f"w{i}", f"Writer {i}", "ngo")
    add(case, photo(folder / f"w{i}.jpg", 100 + i), source=f"w{i}")
    if i == 0:
        print("writing", flush=True)
    i += 1
"""


def test_backup_while_another_process_writes(
    case: Case, tmp_path: Path, request: pytest.FixtureRequest, store_engine: str
) -> None:
    fill(case, tmp_path)
    folder = tmp_path / "w"
    folder.mkdir()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(case.root), str(folder)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "writing\n"
        backups = []
        for n in range(2):
            made = run_cli("backup", str(tmp_path / f"b{n}"), "--json", case=case.root)
            assert made.returncode == 0, made.stderr
            backups.append(json.loads(made.stdout)["tables"]["sources"]["rows"])
        assert writer.poll() is None, "the writer stopped during the backups"
        (folder / "stop").touch()
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    final = state(case)[0]["sources"].rows
    assert 2 < backups[0] < backups[1] < final
    for n in range(2):
        url = new_database(request) if store_engine == "postgresql" else None
        restored = restore_case(tmp_path / f"b{n}", tmp_path / f"r{n}", url)
        assert restored["evidence"]["ok"] and restored["tables"]["sources"]["rows"] == backups[n]
        with open_case(tmp_path / f"r{n}") as copy:
            # Every writer's source in the copy has its item, but the one being written.
            digests, heads = state(copy)
            assert digests["evidence_items"].rows in (backups[n] - 1, backups[n])
            assert heads["entries"] == digests["evidence_items"].rows + 1  # + the witness


# --- bad input: one line, nothing written ----------------------------------------------------


def test_restore_into_a_folder_that_exists(
    case: Case, tmp_path: Path, restore_url: str | None
) -> None:
    backup_case(case, tmp_path / "backup")
    target = tmp_path / "there"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CaseExistsError, match="already exists"):
        restore_case(tmp_path / "backup", target, restore_url)
    result = run_cli("restore", str(tmp_path / "backup"), str(target), *init_args(restore_url))
    assert result.returncode == 1 and str(target) in one_line(result)
    assert tree(target) == {"notes.txt": tree(target)["notes.txt"]} and leftovers(tmp_path) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CaseExistsError):
        restore_case(tmp_path / "backup", empty, restore_url)


def _break(backup: Path, how: str, database: str) -> str:
    """Damage a backup one way; return the file that a restore must name."""
    if how == "object":
        name = next(p for p in sorted(backup.rglob("*")) if p.is_file() and "objects" in p.parts)
        tamper(name, b"x" * name.stat().st_size)
        return name.relative_to(backup).as_posix()
    if how == "database":
        data = bytearray((backup / database).read_bytes())
        data[len(data) // 2] ^= 0xFF
        tamper(backup / database, bytes(data))
        return database
    if how == "extra":
        (backup / "evidence" / "planted.txt").write_text("not mine", encoding="utf-8")
        return "evidence/planted.txt"
    (backup / SETTINGS_FILE).unlink()
    return SETTINGS_FILE


@pytest.mark.parametrize("how", ["object", "database", "extra", "missing"])
def test_a_backup_that_does_not_match_its_manifest(
    case: Case, tmp_path: Path, restore_url: str | None, how: str, request: pytest.FixtureRequest
) -> None:
    fill(case, tmp_path)
    backup_case(case, tmp_path / "backup")
    named = _break(tmp_path / "backup", how, db_file(case))
    with pytest.raises(IntegrityError, match="nothing was restored") as caught:
        restore_case(tmp_path / "backup", tmp_path / "restored", restore_url)
    assert named in str(caught.value) and "\n" not in str(caught.value)
    result = run_cli("restore", str(tmp_path / "backup"), str(tmp_path / "r2"),
                     *init_args(restore_url))  # fmt: skip
    assert result.returncode == 3 and named in one_line(result)
    assert not (tmp_path / "restored").exists() and not (tmp_path / "r2").exists()
    assert leftovers(tmp_path) == []
    if restore_url:
        assert pg_tables(request, restore_url) == ""


@pytest.mark.parametrize("field", ["custody", "tables"])
def test_a_restore_that_fails_its_checks_removes_what_it_wrote(
    case: Case, tmp_path: Path, restore_url: str | None, field: str, request: pytest.FixtureRequest
) -> None:
    fill(case, tmp_path)
    backup_case(case, tmp_path / "backup")
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if field == "custody":
        manifest["custody"]["head"] = "0" * 64
    else:
        manifest["tables"]["sources"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IntegrityError, match="nothing was restored"):
        restore_case(tmp_path / "backup", tmp_path / "restored", restore_url)
    assert not (tmp_path / "restored").exists() and leftovers(tmp_path) == []
    if restore_url:
        assert pg_tables(request, restore_url) == ""


def test_backup_into_a_folder_that_is_not_empty(case: Case, tmp_path: Path) -> None:
    target = tmp_path / "full"
    target.mkdir()
    (target / "a.txt").write_text("a", encoding="utf-8")
    with pytest.raises(CaseExistsError, match="already exists"):
        backup_case(case, target)
    result = run_cli("backup", str(target), case=case.root)
    assert result.returncode == 1 and str(target) in one_line(result)
    assert tree(target) == {"a.txt": tree(target)["a.txt"]} and leftovers(tmp_path) == []
    (tmp_path / "empty").mkdir()
    assert backup_case(case, tmp_path / "empty")["files"] >= 2
    with pytest.raises(UsageError, match="inside the case"):
        backup_case(case, case.root / "backup")


def test_what_a_killed_backup_or_restore_left_is_removed_by_the_next(
    case: Case, tmp_path: Path, restore_url: str | None
) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    left = [
        tmp_path / f".backup.partial-{dead.pid}-0a1b",
        tmp_path / f".restored.restoring-{dead.pid}-2c3d",
    ]
    mine = tmp_path / f".backup.partial-{os.getpid()}-4e5f"  # a live process's: kept
    for folder in [*left, mine]:
        folder.mkdir()
        (folder / "half.db").write_bytes(b"half")
    backup_case(case, tmp_path / "backup")
    restore_case(tmp_path / "backup", tmp_path / "restored", restore_url)
    assert leftovers(tmp_path) == [mine.name]


def test_a_postgresql_backup_needs_a_database_to_restore_into(case: Case, tmp_path: Path) -> None:
    backup_case(case, tmp_path / "backup")
    if case.store.dialect == "sqlite":
        assert restore_case(tmp_path / "backup", tmp_path / "restored")["evidence"]["ok"]
        return
    with pytest.raises(UsageError, match="--database"):
        restore_case(tmp_path / "backup", tmp_path / "restored")
    result = run_cli("restore", str(tmp_path / "backup"), str(tmp_path / "restored"))
    assert result.returncode == 2 and "--database" in one_line(result)
    assert not (tmp_path / "restored").exists() and leftovers(tmp_path) == []


@pytest.mark.postgres
def test_restore_into_a_database_of_another_application(
    case: Case, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    backup_case(case, tmp_path / "backup")
    url = new_database(request)
    server = request.getfixturevalue("postgres_server")
    server.psql("CREATE TABLE invoices (id int)", database=database_name(url))
    with pytest.raises(ForeignDatabaseError, match="not empty"):
        restore_case(tmp_path / "backup", tmp_path / "restored", url)
    result = run_cli("restore", str(tmp_path / "backup"), str(tmp_path / "restored"),
                     "--database", url)  # fmt: skip
    assert result.returncode == 1 and "invoices" in one_line(result)
    assert pg_tables(request, url) == "invoices"
    assert not (tmp_path / "restored").exists() and leftovers(tmp_path) == []


def test_restore_into_an_unreachable_database(case: Case, tmp_path: Path) -> None:
    backup_case(case, tmp_path / "backup")
    with pytest.raises(StoreUnavailableError, match="cannot connect"):
        restore_case(tmp_path / "backup", tmp_path / "restored", unreachable_url())
    result = run_cli("restore", str(tmp_path / "backup"), str(tmp_path / "restored"),
                     "--database", unreachable_url())  # fmt: skip
    assert result.returncode == 1 and "cannot connect" in one_line(result)
    assert not (tmp_path / "restored").exists() and leftovers(tmp_path) == []


def test_restore_from_a_folder_that_is_not_a_backup(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    with pytest.raises(InputFileError, match="not a recount backup"):
        restore_case(tmp_path / "nothing", tmp_path / "restored")
    result = run_cli("restore", str(tmp_path / "nothing"), str(tmp_path / "restored"))
    assert result.returncode == 1 and "not a recount backup" in one_line(result)
    assert not (tmp_path / "restored").exists()


@pytest.mark.postgres
def test_an_sqlite_backup_restored_into_postgresql(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    case = init_case(tmp_path / "case")
    add_source(case, "registry", "A registry", "government")
    fill(case, tmp_path)
    expected = state(case)
    backup_case(case, tmp_path / "backup")
    case.close()
    url = new_database(request)
    result = run_cli("restore", str(tmp_path / "backup"), str(tmp_path / "restored"),
                     "--database", url, "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["store"] == url
    assert not (tmp_path / "restored" / "recount.db").exists()
    check_case(tmp_path / "restored", expected)
