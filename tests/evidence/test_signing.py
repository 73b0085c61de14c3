"""Ed25519 signatures on custody entries: made, required, verified."""

from __future__ import annotations

from pathlib import Path

import pytest

from recount.case.folder import Case
from tests.conftest import run_cli
from tests.evidence.helpers import photo, sql, verify_json


@pytest.mark.slow
def test_signed_entries_verify_and_forged_signatures_do_not(case: Case, tmp_path: Path) -> None:
    key = tmp_path / "ana.pem"
    made = run_cli("evidence", "signing-key", str(key), "--actor", "ana", case=case.root)
    assert made.returncode == 0, made.stderr
    assert key.stat().st_mode & 0o077 == 0
    image = photo(tmp_path / "p.jpg", 1)
    unsigned = run_cli(
        "evidence", "add", str(image), "--source", "registry", "--actor", "ana", case=case.root
    )
    assert unsigned.returncode == 1 and "signs their custody entries" in unsigned.stderr
    signed = run_cli(
        "evidence",
        "add",
        str(image),
        "--source",
        "registry",
        "--actor",
        "ana",
        "--sign-key",
        str(key),
        case=case.root,
    )
    assert signed.returncode == 0, signed.stderr
    code, report, _ = verify_json(case.root)
    assert code == 0 and report["signed"] == 1
    (signature,) = sql(case.root, "SELECT signature FROM custody_log")[0]
    forged = ("0" if signature[0] != "0" else "1") + signature[1:]
    sql(case.root, "UPDATE custody_log SET signature = ?", forged)
    code, report, _ = verify_json(case.root)
    assert code == 3
    assert [(f["kind"], f["item"], f["entry"]) for f in report["findings"]] == [
        ("signature-invalid", 1, 1)
    ]
