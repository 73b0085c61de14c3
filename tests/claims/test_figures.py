"""The figures table: claims beside documented counts and the estimate, each traceable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import insert

from recount.case.folder import Case
from recount.claims.chart import figures_spec
from recount.claims.figures import EventFigures, event_figures
from recount.claims.model import make_figure
from recount.claims.store import NewClaim, add_claim, review_claim
from recount.estimate.chart import save_chart
from recount.events.event import add_event
from recount.families.relations import add_relation
from recount.families.status import add_status
from recount.ingest.importer import import_file
from recount.store.tables import estimates
from tests.conftest import run_cli, write_csv

LIST = """full_name,sex,age,fate,date
Ayla Demir,F,34,killed,1994-03-11
Emin Kara,M,9,killed,1994-03-11
Rauf Aliyev,M,71,killed,1994-03-12
Leyla Karimova,F,25,missing,1994-03-12
Tofiq Zeynalov,M,40,injured,1994-03-12
Nurlan Demir,M,7,survived,1994-03-12
"""


@pytest.fixture
def figures_case(case: Case, tmp_path: Path) -> Case:
    add_event(
        case,
        "valley-1994",
        "Valley attack",
        place="Vendara valley",
        start="1994-03-10",
        end="1994-03-13",
    )
    import_file(case, "registry", write_csv(tmp_path / "list.csv", LIST), event="valley-1994")
    for source, figure, group, who in (
        ("registry", make_figure("exact", 613), None, None),
        ("ngo", make_figure("at least", 400), None, "the centre"),
        ("ngo", make_figure("about", 100), "children", None),
    ):
        add_claim(
            case,
            NewClaim(
                kind="killed",
                figure=figure,
                created_by="t",
                group=group,
                event="valley-1994",
                source=source,
                attributed_to=who,
            ),
        )
    return case


def _row(figures: EventFigures, kind: str, group: str | None) -> dict:
    rows = {(r["kind"], r["group"]): r for r in figures.to_dict()["rows"]}
    return rows[(kind, group)]


def test_claims_sit_beside_the_persons_the_case_can_list(figures_case: Case) -> None:
    figures = event_figures(figures_case, "valley-1994")
    killed = _row(figures, "killed", None)
    assert [(c["figure"], c["speaker"]) for c in killed["claims"]] == [
        ("613", "registry"),
        ("at least 400", "the centre (per ngo)"),
    ]
    assert killed["documented"] == 3 and len(killed["documented_persons"]) == 3
    children = _row(figures, "killed", "children")
    assert [c["figure"] for c in children["claims"]] == ["about 100"]
    assert children["documented"] == 1
    assert _row(figures, "killed", "women")["documented"] == 1
    assert _row(figures, "killed", "elderly")["documented"] == 1
    assert _row(figures, "missing", None)["documented"] == 1
    assert _row(figures, "injured", None)["documented"] == 1


def test_documented_counts_follow_status_as_of_a_date(figures_case: Case) -> None:
    missing = _row(event_figures(figures_case, "valley-1994"), "missing", None)
    person = str(missing["documented_persons"][0])
    add_status(figures_case, person, "remains identified", "2005-06-01", source="registry")
    before = event_figures(figures_case, "valley-1994", as_of="2000-12-31")
    after = event_figures(figures_case, "valley-1994", as_of="2010-12-31")
    assert _row(before, "missing", None)["documented"] == 1
    assert _row(before, "killed", None)["documented"] == 3
    assert ("missing", None) not in {(r.kind, r.group) for r in after.rows}
    assert _row(after, "killed", None)["documented"] == 4


def test_orphans_and_families_with_no_survivor_come_from_relations(figures_case: Case) -> None:
    add_relation(figures_case, "registry:1", "parent", "registry:6")  # Ayla, Nurlan (survived)
    add_relation(figures_case, "registry:2", "sibling", "registry:3")  # both killed
    figures = event_figures(figures_case, "valley-1994")
    orphans = _row(figures, "orphaned", "children")
    assert orphans["documented"] == 1 and orphans["claims"] == []
    families = _row(figures, "killed", "families")
    assert (families["unit"], families["documented"]) == ("families", 1)
    assert len(families["documented_persons"]) == 2


def test_rejected_claims_leave_the_table_and_the_estimate_shows_with_its_id(
    figures_case: Case,
) -> None:
    review_claim(figures_case, 1, "rejected", "reviewer")
    with figures_case.writing() as conn:
        conn.execute(
            insert(estimates).values(
                created_at="2026-01-01T00:00:00Z",
                method="lcmcr",
                event_id=1,
                request="{}",
                inputs="{}",
                seconds=1.0,
                recount_version="test",
                result=json.dumps({"observed": 5, "estimate": 7.0, "interval": [5, 12]}),
            )
        )
    figures = event_figures(figures_case, "valley-1994")
    killed = _row(figures, "killed", None)
    assert [c["figure"] for c in killed["claims"]] == ["at least 400"]
    # the persons listed have different fates, so the estimate (of everyone listed) has its row
    listed = _row(figures, "listed", None)
    assert listed["estimate"] == {
        "id": 1,
        "method": "lcmcr",
        "observed": 5,
        "estimate": 7.0,
        "interval": [5, 12],
        "created_at": "2026-01-01T00:00:00Z",
    }


def test_the_chart_draws_every_claim_the_count_and_open_ranges(
    figures_case: Case, tmp_path: Path
) -> None:
    spec = figures_spec(event_figures(figures_case, "valley-1994"))
    items = spec["data"]["values"]
    at_least = next(i for i in items if i["figure"] == "at least 400")
    assert at_least["open"] is True and at_least["high"] > 613
    assert {i["type"] for i in items} == {"claim", "documented"}
    assert save_chart(spec, tmp_path / "figures.svg").read_text().startswith("<svg")


@pytest.mark.slow
def test_figures_command_json_and_chart(figures_case: Case, tmp_path: Path) -> None:
    figures_case.close()
    result = run_cli(
        "figures",
        "valley-1994",
        "--json",
        "--chart",
        str(tmp_path / "f.png"),
        case=figures_case.root,
    )
    assert result.returncode == 0, result.stderr
    (table,) = json.loads(result.stdout)
    assert table["event"] == "valley-1994" and (tmp_path / "f.png").stat().st_size > 1000
    unknown = run_cli("figures", "nowhere", case=figures_case.root)
    assert unknown.returncode == 1 and "unknown event 'nowhere'" in unknown.stderr
