"""The simulator: reproducible, labelled synthetic, and its lists behave as specified."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from recount.simulate.lists import ListSpec
from recount.simulate.simulation import Simulation, simulate, write_simulation


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_same_seed_same_files_byte_for_byte(tmp_path: Path) -> None:
    first = write_simulation(simulate(size=500, seed=7), tmp_path / "a").directory
    second = write_simulation(simulate(size=500, seed=7), tmp_path / "b").directory
    other = write_simulation(simulate(size=500, seed=8), tmp_path / "c").directory
    assert _files(first) == _files(second)
    assert _files(first)["registry.csv"] != _files(other)["registry.csv"]


def test_everything_is_labelled_synthetic(tmp_path: Path) -> None:
    files = write_simulation(simulate(size=300, seed=1), tmp_path)
    assert "SYNTHETIC" in (tmp_path / "README.txt").read_text()
    assert json.loads(files.manifest.read_text())["synthetic"] is True
    for slug, path in files.lists.items():
        encoding = "cp1251" if slug == "ngo" else "utf-8-sig"
        delimiter = ";" if slug == "ngo" else ","
        with path.open(encoding=encoding, newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter=delimiter))
        assert rows and all(r["synthetic"] == "yes" for r in rows)
    for mapping in files.mappings.values():
        assert "SYNTHETIC" in mapping.read_text(encoding="utf-8")


def test_truth_file_names_the_person_behind_every_row(tmp_path: Path) -> None:
    sim = simulate(size=400, seed=3)
    files = write_simulation(sim, tmp_path)
    with files.truth.open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert len(truth) == sum(len(rows) for rows in sim.rows.values())
    people = {p.id: p for p in sim.population}
    with files.lists["registry"].open(encoding="utf-8", newline="") as handle:
        registry = list(csv.DictReader(handle))
    registry_truth = [t for t in truth if t["source"] == "registry"]
    assert [int(t["row_number"]) for t in registry_truth] == list(range(1, len(registry) + 1))
    for row, t in zip(registry, registry_truth, strict=True):
        person = people[int(t["person_id"])]
        assert row["fate"] == person.fate and row["date"] == person.date.isoformat()


def test_lists_use_their_own_scripts_and_conventions() -> None:
    sim = simulate(size=600, seed=5)
    text = {
        slug: " ".join(" ".join(r.values()) for _, r in rows) for slug, rows in sim.rows.items()
    }
    assert "ə" in text["registry"]  # Azerbaijani Latin kept as written
    ngo_names = " ".join(r["Фамилия"] for _, r in sim.rows["ngo"])
    assert sum("а" <= ch <= "я" or "А" <= ch <= "Я" for ch in ngo_names) > 0.9 * sum(
        ch.isalpha() for ch in ngo_names
    )
    assert text["press"].isascii()
    assert {"м", "ж"} >= {r["Пол"] for _, r in sim.rows["ngo"]} - {""}
    scripts = {_script(ch) for ch in text["testimonies"] if ch.isalpha()}
    assert {"latin", "cyrillic", "armenian", "georgian", "arabic"} <= scripts
    assert any(r["age"].startswith("about ") for _, r in sim.rows["press"])
    assert any("-" in r["age"] for _, r in sim.rows["testimonies"])


def _script(ch: str) -> str:
    code = ord(ch)
    if code < 0x250:
        return "latin"
    for name, (low, high) in {
        "cyrillic": (0x400, 0x4FF),
        "armenian": (0x530, 0x58F),
        "arabic": (0x600, 0x6FF),
        "georgian": (0x10A0, 0x10FF),
    }.items():
        if low <= code <= high:
            return name
    return "other"


@pytest.fixture(scope="module")
def large() -> Simulation:
    return simulate(size=20_000, seed=11)


def _listed(sim: Simulation, slug: str) -> set[int]:
    return {pid for pid, _ in sim.rows[slug]}


def test_coverage_is_heterogeneous_as_specified(large: Simulation) -> None:
    """Per latent class, the share each list records matches its coverage (±3 s.e.)."""
    registry = next(s for s in large.specs if s.slug == "registry")
    listed = _listed(large, "registry")
    for hidden, expected in ((False, registry.coverage[0]), (True, registry.coverage[1])):
        group = [p for p in large.population if p.hidden == hidden]
        share = sum(p.id in listed for p in group) / len(group)
        assert abs(share - expected) < 3 * math.sqrt(expected * (1 - expected) / len(group))


def test_dependent_lists_follow_their_sources(large: Simulation) -> None:
    """The press copies the NGO: within each class, log-odds rise by depends_on['ngo']."""
    press = next(s for s in large.specs if s.slug == "press")
    ngo, listed = _listed(large, "ngo"), _listed(large, "press")
    visible = [p for p in large.population if not p.hidden]
    with_ngo = [p for p in visible if p.id in ngo]
    without = [p for p in visible if p.id not in ngo]
    p1 = sum(p.id in listed for p in with_ngo) / len(with_ngo)
    p0 = sum(p.id in listed for p in without) / len(without)
    log_odds_ratio = math.log(p1 / (1 - p1)) - math.log(p0 / (1 - p0))
    assert abs(log_odds_ratio - press.depends_on["ngo"]) < 0.25
    assert abs(p0 - press.coverage[0]) < 0.03


def test_duplicates_within_a_list(large: Simulation) -> None:
    spec = next(s for s in large.specs if s.slug == "testimonies")
    counts = Counter(pid for pid, _ in large.rows["testimonies"])
    share = sum(1 for c in counts.values() if c > 1) / len(counts)
    assert abs(share - spec.duplicate_rate) < 0.02
    assert len(large.listed) < len(large.population)  # some people are on no list


def test_a_custom_list_spec_is_plain_data() -> None:
    spec = ListSpec(
        slug="only",
        name="Only list",
        kind="other",
        coverage=(1.0, 1.0),
        layout="parts",
        order="given_first",
        patronymic=False,
        age_style="birth_year",
    )
    sim = simulate(size=50, seed=2, specs=[spec])
    assert len(sim.rows["only"]) == 50
    assert spec.header() == [
        "given_name",
        "family_name",
        "sex",
        "birth_year",
        "date",
        "place",
        "fate",
        "synthetic",
    ]
