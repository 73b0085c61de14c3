"""Status over time: dated, sourced changes; counts as of a date; refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recount.case.folder import Case
from recount.errors import InvalidValueError, NotFoundError
from recount.families.status import add_status, person_statuses, status_counts, status_history
from tests.conftest import run_cli, table_counts
from tests.families.helpers import imported, merge

LIST = (
    "given_name,family_name,date,fate\n"
    "Ali,Hasanov,1992-02-26,missing\n"  # 1
    "Rauf,Aliyev,1992-02-26,detained\n"  # 2
    "Samir,Hasanov,1992-02-26,killed\n"  # 3
    "Vugar,Aliyev,1995-05-01,missing\n"
)  # 4: went missing later


@pytest.fixture
def listed(case: Case, tmp_path: Path) -> Case:
    return imported(case, tmp_path, LIST, event="khojaly")


def _counts(case: Case, as_of: str | None, event: str | None = None) -> dict[str, list[int]]:
    result = status_counts(case, event, as_of)
    return {s: [p.person_id for p in people] for s, people in result.by_status.items()}


def test_missing_then_identified_as_of_dates(listed: Case) -> None:
    add_status(listed, "1", "missing", "1992-02-26", source="ngo")
    add_status(
        listed,
        "registry:1",
        "remains identified",
        "2005",
        source="registry",
        note="DNA match, lab case 17",
    )
    assert _counts(listed, "2000")["missing"] == [1, 4]
    assert _counts(listed, "2010")["remains identified"] == [1]
    assert _counts(listed, "2010")["missing"] == [4]
    assert _counts(listed, "2005-06-30")["missing"] == [1, 4]  # "2005" is certain by its end
    assert _counts(listed, None)["remains identified"] == [1]


def test_record_fates_count_from_their_date(listed: Case) -> None:
    assert _counts(listed, "1993") == {
        "killed": [3],
        "missing": [1],
        "detained": [2],
        "unknown": [4],
    }
    assert _counts(listed, "1996")["missing"] == [1, 4]


def test_detained_then_released_entered_in_any_order(listed: Case) -> None:
    add_status(listed, "2", "released", "1994-03-01")
    add_status(listed, "2", "detained", "1992-02-26")
    assert _counts(listed, "1993")["detained"] == [2]
    assert _counts(listed, "1995")["released"] == [2]
    history = status_history(listed, "P2")
    assert [c.status for c in history.changes] == ["detained", "released"]
    assert history.records[0]["fate"] == "detained"
    assert history.current.status == "released"


def test_nothing_after_a_death_but_another_death_status(listed: Case) -> None:
    add_status(listed, "1", "killed", "1992-02-26")
    add_status(listed, "1", "remains identified", "2005-06-01")
    with pytest.raises(InvalidValueError, match="'found alive' on 2006-01-01 cannot follow"):
        add_status(listed, "1", "found alive", "2006")
    add_status(listed, "2", "died in detention", "1993-01-01")
    add_status(listed, "2", "detained", "1992-02-26")  # entered later, dated before: fine
    with pytest.raises(InvalidValueError, match="'released' on 1994-01-01 cannot follow"):
        add_status(listed, "2", "released", "1994")
    assert len(status_history(listed, "1").changes) == 2


def test_a_death_entered_before_an_earlier_survival_is_refused(listed: Case) -> None:
    add_status(listed, "2", "released", "1994")
    with pytest.raises(InvalidValueError, match="'released' on 1994-01-01 cannot follow"):
        add_status(listed, "2", "died in detention", "1993")


def test_sources_that_disagree_on_one_date_are_shown(listed: Case) -> None:
    add_status(listed, "4", "found alive", "2001-04-02", source="ngo")
    add_status(listed, "4", "killed", "2001-04-02", source="registry")
    [state] = _states(listed, 4)
    assert (state.status, state.outcome) == ("disputed", "unknown")
    assert {(c["source"], c["status"]) for c in state.conflicts} == {
        ("ngo", "found alive"),
        ("registry", "killed"),
    }


def _states(case: Case, person: int) -> list:
    with case.reading() as conn:
        return list(person_statuses(conn, [person], None).values())


def test_status_follows_the_person_through_a_merge(listed: Case) -> None:
    add_status(listed, "4", "found alive", "2001")
    merge(listed, absorbed=4, into=1)
    assert status_history(listed, "1").current.status == "found alive"
    assert _counts(listed, "2002")["found alive"] == [1]


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        (("1", "vanished", "1992"), InvalidValueError, "status 'vanished' is not one of"),
        (("1", "missing", "sometime"), InvalidValueError, "--date 'sometime'"),
        (("1", "missing", ""), InvalidValueError, "needs a date"),
        (("77", "missing", "1992"), NotFoundError, "no person 77"),
    ],
)
def test_bad_status_changes(listed: Case, args: tuple, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        add_status(listed, *args)


def test_event_filter(listed: Case, tmp_path: Path) -> None:
    imported(
        listed,
        tmp_path,
        "given_name,family_name,fate\nX,Y,killed\n",
        source="ngo",
        name="other.csv",
    )
    assert status_counts(listed).persons == 5
    assert status_counts(listed, "khojaly").persons == 4


@pytest.mark.slow
def test_cli_status(listed: Case) -> None:
    root = listed.root
    added = run_cli(
        "status",
        "add",
        "1",
        "remains identified",
        "--date",
        "2005-06-01",
        "--source",
        "ngo",
        "--actor",
        "alice",
        case=root,
    )
    assert added.returncode == 0, added.stderr
    assert "person P1 remains identified from 2005-06-01 (day), source ngo" in added.stdout
    history = json.loads(run_cli("status", "history", "registry:1", "--json", case=root).stdout)
    assert history["changes"][0]["created_by"] == "alice"
    assert history["current"]["status"] == "remains identified"
    counts = json.loads(
        run_cli(
            "status", "counts", "--as-of", "2000", "--event", "khojaly", "--json", case=root
        ).stdout
    )
    assert counts["counts"]["missing"] == 2
    assert [p["person_id"] for p in counts["by_status"]["missing"]] == [1, 4]
    shown = run_cli("status", "counts", "--as-of", "2010", "--persons", case=root).stdout
    assert "P1 Hasanov Ali — remains identified (status change, 2005-06-01)" in shown
    before = table_counts(root)
    bad = run_cli("status", "add", "1", "found alive", "--date", "2006", case=root)
    assert bad.returncode == 1 and "cannot follow" in bad.stderr
    assert table_counts(root) == before


def test_bare_status_is_still_the_case_summary(listed: Case) -> None:
    summary = json.loads(run_cli("status", "--json", case=listed.root).stdout)
    assert summary["records"] == 4
    assert "4 records, 4 persons" in run_cli("status", case=listed.root).stdout
