"""Run a simulation and write it out: lists as CSV, mappings, the truth, a manifest.

Files written (all labelled synthetic)::

    README.txt              what this is, and that nothing in it is real
    manifest.json           seed, size, the list specifications, counts
    <slug>.csv              one list, in its own encoding, delimiter and columns
    <slug>.mapping.toml     for lists whose columns or words are not recount's canonical ones
    truth.csv               source,row_number,person_id: who each row really is
    population.csv          every simulated person, listed or not (the true N)
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from recount.simulate.defaults import DEMO_LISTS
from recount.simulate.lists import ListSpec, capture, render_rows
from recount.simulate.population import SYNTHETIC_NOTE, Person, make_population


@dataclass
class Simulation:
    seed: int
    population: list[Person]
    specs: list[ListSpec]
    rows: dict[str, list[tuple[int, dict[str, str]]]]  # slug → (person id, row) in list order

    @property
    def listed(self) -> set[int]:
        return {pid for rows in self.rows.values() for pid, _ in rows}


@dataclass
class SimulationFiles:
    directory: Path
    lists: dict[str, Path]
    mappings: dict[str, Path]
    truth: Path
    population: Path
    manifest: Path


def simulate(size: int = 2000, seed: int = 1992, specs: list[ListSpec] | None = None) -> Simulation:
    """A population of ``size`` and its lists; the same seed gives the same files, byte for byte."""
    specs = specs or DEMO_LISTS
    rng = random.Random(seed)
    people = make_population(size, seed)
    captured = capture(people, specs, rng)
    rows = {spec.slug: render_rows(spec, captured[spec.slug], rng) for spec in specs}
    return Simulation(seed, people, specs, rows)


def write_simulation(sim: Simulation, directory: Path) -> SimulationFiles:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "README.txt").write_text(_readme(sim), encoding="utf-8")
    lists, mappings = {}, {}
    with (directory / "truth.csv").open("w", encoding="utf-8", newline="") as truth_handle:
        truth = csv.writer(truth_handle, lineterminator="\n")
        truth.writerow(["source", "row_number", "person_id"])
        for spec in sim.specs:
            lists[spec.slug] = _write_list(directory, spec, sim.rows[spec.slug])
            truth.writerows(
                (spec.slug, n, pid) for n, (pid, _) in enumerate(sim.rows[spec.slug], start=1)
            )
            if spec.columns or spec.values or spec.encoding.startswith("cp"):
                mappings[spec.slug] = directory / f"{spec.slug}.mapping.toml"
                mappings[spec.slug].write_text(mapping_toml(spec), encoding="utf-8")
    _write_population(directory / "population.csv", sim.population)
    manifest = directory / "manifest.json"
    manifest.write_text(
        json.dumps(_manifest(sim), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return SimulationFiles(
        directory, lists, mappings, directory / "truth.csv", directory / "population.csv", manifest
    )


def _write_list(directory: Path, spec: ListSpec, rows: list[tuple[int, dict[str, str]]]) -> Path:
    path = directory / f"{spec.slug}.csv"
    with path.open("w", encoding=spec.encoding, newline="") as handle:
        writer = csv.DictWriter(
            handle, spec.header(), delimiter=spec.delimiter, lineterminator="\r\n"
        )
        writer.writeheader()
        writer.writerows(row for _, row in rows)
    return path


def mapping_toml(spec: ListSpec) -> str:
    """The mapping an analyst would write for this list."""
    lines = [f"# Mapping for the synthetic list {spec.slug!r}. {SYNTHETIC_NOTE}.", ""]
    if spec.columns:
        lines.append("[columns]")
        lines += [
            f'{json.dumps(header, ensure_ascii=False)} = "{canonical}"'
            for canonical, header in spec.columns.items()
        ]
        lines.append("")
    for name, words in spec.values.items():
        lines.append(f"[values.{name}]")
        lines += [
            f'{json.dumps(word, ensure_ascii=False)} = "{canonical}"'
            for canonical, word in words.items()
        ]
        lines.append("")
    lines += [
        "[options]",
        f'encoding = "{spec.encoding}"',
        f"delimiter = {json.dumps(spec.delimiter)}",
        "",
    ]
    return "\n".join(lines)


def _write_population(path: Path, people: list[Person]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "person_id",
                "locale",
                "sex",
                "given",
                "family",
                "father",
                "patronymic",
                "birth_year",
                "fate",
                "place",
                "date",
                "hidden",
            ]
        )
        writer.writerows(
            (
                p.id,
                p.locale,
                p.sex,
                p.given,
                p.family,
                p.father,
                p.patronymic,
                p.birth_year,
                p.fate,
                p.place,
                p.date.isoformat(),
                int(p.hidden),
            )
            for p in people
        )


def _manifest(sim: Simulation) -> dict:
    return {
        "synthetic": True,
        "note": SYNTHETIC_NOTE,
        "seed": sim.seed,
        "population_size": len(sim.population),
        "listed_people": len(sim.listed),
        "lists": [
            {
                **asdict(spec),
                "rows": len(sim.rows[spec.slug]),
                "people": len({pid for pid, _ in sim.rows[spec.slug]}),
            }
            for spec in sim.specs
        ],
    }


def _readme(sim: Simulation) -> str:
    return (
        f"{SYNTHETIC_NOTE}.\n\n"
        "Nothing in this folder is real: the valley, its villages, the event and every person\n"
        "were invented by a random generator (seed {seed}) to show and test recount. The lists\n"
        "imitate how different organisations write the same people: scripts, spellings,\n"
        "errors and gaps. truth.csv says which simulated person each row is.\n"
    ).format(seed=sim.seed)
