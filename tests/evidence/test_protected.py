"""Protected items and witness identities are unreadable without the key; verification still
proves their integrity without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recount.case.folder import Case
from tests.conftest import run_cli
from tests.evidence.helpers import sql, stored_bytes, verify_json

STATEMENT = "I saw the soldiers at the well. My name is Nigar Testimonyova.\n"


def case_bytes(case: Case) -> bytes:
    """Everything the case keeps (folder and database), as someone who copied it would have it."""
    return stored_bytes(case)


@pytest.mark.slow
def test_protected_item_needs_the_key(case: Case, tmp_path: Path) -> None:
    key = tmp_path / "team.key"
    assert run_cli("evidence", "keygen", str(key), case=case.root).returncode == 0
    statement = tmp_path / "statement-nigar.txt"
    statement.write_text(STATEMENT, encoding="utf-8")
    add = run_cli(
        "evidence",
        "add",
        str(statement),
        "--source",
        "ngo",
        "--sensitivity",
        "protected",
        "--caption",
        "Statement of Nigar",
        "--key-file",
        str(key),
        "--new-key",
        "--json",
        case=case.root,
    )
    assert add.returncode == 0, add.stderr
    assert json.loads(add.stdout)["items"][0]["sha256"] is None  # sealed, not shown

    stored = case_bytes(case)
    for secret in (b"Nigar", b"soldiers", b"statement-nigar"):
        assert secret not in stored  # neither content, nor name, nor caption in the clear
    listed = json.loads(run_cli("evidence", "list", "--json", case=case.root).stdout)
    assert listed[0]["file_name"] is None and listed[0]["protected"] is True
    sealed = json.loads(run_cli("evidence", "show", "1", "--json", case=case.root).stdout)
    assert sealed["sealed"] is True and sealed["caption"] is None

    without = run_cli(
        "evidence", "open", "1", "--output", str(tmp_path / "out.txt"), case=case.root
    )
    assert without.returncode == 1 and "item 1 is protected" in without.stderr
    other = tmp_path / "other.key"
    run_cli("evidence", "keygen", str(other), case=case.root)
    wrong = run_cli(
        "evidence",
        "open",
        "1",
        "--output",
        str(tmp_path / "out.txt"),
        "--key-file",
        str(other),
        case=case.root,
    )
    assert wrong.returncode == 1 and "not one this case's items are protected with" in wrong.stderr
    assert not (tmp_path / "out.txt").exists()

    opened = run_cli(
        "evidence",
        "open",
        "1",
        "--output",
        str(tmp_path / "out.txt"),
        "--key-file",
        str(key),
        case=case.root,
    )
    assert opened.returncode == 0, opened.stderr
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == STATEMENT
    shown = json.loads(
        run_cli("evidence", "show", "1", "--json", "--key-file", str(key), case=case.root).stdout
    )
    assert shown["caption"] == "Statement of Nigar"
    assert shown["file_name"] == "statement-nigar.txt"
    log = json.loads(run_cli("evidence", "log", "1", "--json", case=case.root).stdout)
    assert [e["action"] for e in log] == ["ingest", "view", "view"]

    # Without the key, verification re-hashes the ciphertext; with it, the plaintext too.
    code, report, _ = verify_json(case.root)
    assert code == 0 and report["decrypted"] == 0
    code, report, _ = verify_json(case.root, "--key-file", str(key))
    assert code == 0 and report["decrypted"] == 1
    (stored_sha,) = sql(case.root, "SELECT stored_sha256 FROM evidence_items")[0]
    path = case.evidence_dir / "objects" / stored_sha[:2] / stored_sha
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x40
    path.write_bytes(bytes(data))
    code, report, _ = verify_json(case.root)
    assert code == 3 and report["findings"][0]["kind"] == "object-changed"


@pytest.mark.slow
def test_passphrase_and_testimony_with_a_sealed_witness(case: Case, tmp_path: Path) -> None:
    env_case = case.root
    import os

    os.environ["RECOUNT_PASSPHRASE"] = "correct horse battery staple"
    try:
        added = run_cli(
            "evidence",
            "witness",
            "add",
            "W-017",
            "--name",
            "Leyla Realname",
            "--contact",
            "+000 555 0100",
            "--passphrase",
            "--new-key",
            case=env_case,
        )
        assert added.returncode == 0, added.stderr
        statement = tmp_path / "w017.txt"
        statement.write_text("Testimony of W-017 about the night.\n", encoding="utf-8")
        testimony = run_cli(
            "evidence",
            "add",
            str(statement),
            "--source",
            "ngo",
            "--witness",
            "W-017",
            "--sensitivity",
            "protected",
            "--passphrase",
            "--json",
            case=env_case,
        )
        assert testimony.returncode == 0, testimony.stderr
        listed = json.loads(run_cli("evidence", "list", "--json", case=env_case).stdout)
        assert listed[0]["kind"] == "testimony" and listed[0]["witness"] == "W-017"
        assert b"Leyla" not in case_bytes(case) and b"555 0100" not in case_bytes(case)
        hidden = run_cli("evidence", "witness", "show", "W-017", case=env_case)
        assert hidden.returncode == 1 and "sealed" in hidden.stderr
        os.environ["RECOUNT_PASSPHRASE"] = "wrong horse"
        wrong = run_cli("evidence", "witness", "show", "W-017", "--passphrase", case=env_case)
        assert wrong.returncode == 1 and "passphrase given is not one" in wrong.stderr
        os.environ["RECOUNT_PASSPHRASE"] = "correct horse battery staple"
        shown = run_cli(
            "evidence", "witness", "show", "W-017", "--passphrase", "--json", case=env_case
        )
        assert json.loads(shown.stdout)["name"] == "Leyla Realname"
    finally:
        del os.environ["RECOUNT_PASSPHRASE"]
    actions = sql(
        case.root, "SELECT action FROM custody_log WHERE subject = 'witness:W-017' ORDER BY seq"
    )
    assert actions == [("ingest",), ("view",)]  # reading the identity is logged
    code, report, _ = verify_json(case.root)
    assert code == 0, report
