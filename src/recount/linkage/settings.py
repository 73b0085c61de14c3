"""Linkage settings as plain data, and the Splink model they describe.

``LinkageSettings`` is what a user may change (thresholds, the review band, sampling sizes,
the seed); it is stored with every run. ``splink_settings`` turns it into Splink's
``SettingsCreator``: the comparisons and blocking rules below, the same on every backend.

Comparisons (Fellegi–Sunter; EM learns how much each level says about a match):

* **name** — all keys equal (with term-frequency adjustment, so a common full name counts for
  less than a rare one); near-identical ASCII spelling (Jaro–Winkler ≥ 0.95); every word
  similar (each key of either name has a key at Jaro–Winkler ≥ 0.9 in the other: the same
  name misspelt, whatever the word order); two or more keys shared; two or more vowel-less
  keys shared (Arabic script against its romanisation); one name within the other (every
  word of the shorter name found, exactly or misspelt, in the longer: a list that gave only
  the given name), weighted by how common that word is; one key shared (and another
  different); nothing shared. Tokens are compared as sets, so name order does not matter.
* **father** — father's name key equal; Jaro–Winkler ≥ 0.88; different.
* **sex**, **place** — equal or not (place with a fuzzy level).
* **birth_year** — equal; within 2; within 5; further (ages are often guesses).
* **date** — same day; intervals overlap (a record dated "1992-02" is compatible with
  "1992-02-26"); disjoint.

Blocking (which pairs are scored at all): two shared name keys; two shared vowel-less keys;
two shared key prefixes; the whole name; one shared key with the same father's name, birth
year or place. Each needs evidence beyond one common word; keys held by more than
``block_key_cap`` records and key pairs held by more than ``pair_cap`` are not blocked on,
so blocks stay small at a million records.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from recount.errors import InvalidValueError


@dataclass(frozen=True)
class LinkageSettings:
    match_threshold: float = 0.5  # pairs at least this likely (more likely than not) join
    keep_threshold: float = 0.05  # pairs kept for review, uncertainty and --threshold exports
    review_band: tuple[float, float] = (0.2, 0.8)  # pairs `recount review` asks about
    u_max_pairs: float = 2e6
    em_max_pairs: float = 5e6
    seed: int = 1992
    block_key_cap: int = 300  # keys in more records than this are not blocked on alone
    pair_cap: int = 300  # key pairs (whole, vowel-less, prefix) in more records: not blocked on
    prior_recall: float = 0.5  # assumed recall of the deterministic rules for the prior
    # Raw columns to compare as well (an ID number, a household id, an address): each gets
    # exact and Jaro–Winkler ≥ 0.9 levels and a blocking rule. Named as in the imported files.
    extra_columns: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> LinkageSettings:
        values = dict(data)
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise InvalidValueError(
                f"[linkage] in recount.toml: unknown setting(s) "
                f"{', '.join(sorted(unknown))}; known: "
                f"{', '.join(cls.__dataclass_fields__)}"
            )
        for key in ("review_band", "extra_columns"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)

    @classmethod
    def for_case(cls, case_settings: dict, **overrides: object) -> LinkageSettings:
        """The case's [linkage] settings from recount.toml, with command-line overrides."""
        values = dict(case_settings.get("linkage", {}))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.from_dict(values)


def extra_feature(column: str) -> str:
    """The feature name of an extra raw column (a safe SQL identifier)."""
    return "x_" + re.sub(r"\W", "_", column.casefold())


WORD_SIMILARITY = 0.9  # Jaro–Winkler of two keys that count as the same word misspelt


def _matched_words(dialect: str, left: str, right: str, threshold: float) -> str:
    """SQL: how many of the words (keys) in array ``left`` have a word in ``right`` at
    Jaro–Winkler ≥ ``threshold``. Lambdas in each engine's syntax: sqlglot does not
    translate DuckDB's ``lambda x:`` to Spark."""
    if dialect == "spark":
        return (
            f"size(filter({left}, wl -> exists({right}, "
            f"wr -> jaro_winkler(wl, wr) >= {threshold})))"
        )
    return (
        f"len(list_filter({left}, lambda wl: len(list_filter({right}, "
        f"lambda wr: jaro_winkler_similarity(wl, wr) >= {threshold})) > 0))"
    )


def _size(dialect: str, column: str) -> str:
    return f"size({column})" if dialect == "spark" else f"len({column})"


class WordsLevel(ComparisonLevelCreator):
    """Order-free, typo-tolerant comparison of two arrays of name keys.

    ``"same"``: both names have at least two words and every word of each has a similar
    word (Jaro–Winkler ≥ ``threshold``) in the other: the same name, misspelt.
    ``"contained"``: every word of one name has a similar word in the other: the shorter
    name lacks words (a witness gave only the given name), but nothing contradicts."""

    def __init__(self, column: str, kind: str, threshold: float = WORD_SIMILARITY) -> None:
        if kind not in ("same", "contained"):
            raise ValueError(kind)
        self.column, self.kind, self.threshold = column, kind, threshold

    def create_sql(self, sql_dialect: Any) -> str:
        dialect = sql_dialect.sql_dialect_str
        left, right = f"{self.column}_l", f"{self.column}_r"
        size_l, size_r = _size(dialect, left), _size(dialect, right)
        all_l = f"{_matched_words(dialect, left, right, self.threshold)} = {size_l}"
        all_r = f"{_matched_words(dialect, right, left, self.threshold)} = {size_r}"
        if self.kind == "same":
            return f"{size_l} >= 2 AND {size_r} >= 2 AND {all_l} AND {all_r}"
        return f"{size_l} >= 1 AND {size_r} >= 1 AND ({all_l} OR {all_r})"

    def create_label_for_charts(self) -> str:
        return {"same": "every word similar", "contained": "one name within the other"}[self.kind]


def comparisons(extra_columns: tuple[str, ...] = ()) -> list:
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_description="personal-name words as a set, across scripts",
        comparison_levels=[
            cll.NullLevel("name_sorted"),
            cll.ExactMatchLevel("name_sorted", term_frequency_adjustments=True),
            cll.JaroWinklerLevel("name_ascii", 0.95),
            WordsLevel("name_keys", "same"),
            cll.ArrayIntersectLevel("name_keys", 2),
            cll.ArrayIntersectLevel("name_cons", 2),
            # A one-word name's weight depends on how common that word is (name_single).
            WordsLevel("name_keys", "contained").configure(
                tf_adjustment_column="name_single", disable_tf_exact_match_detection=True
            ),
            cll.ArrayIntersectLevel("name_keys", 1),
            cll.ElseLevel(),
        ],
    )
    birth_year = cl.CustomComparison(
        output_column_name="birth_year",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 2),
            cll.AbsoluteDifferenceLevel("birth_year", 5),
            cll.ElseLevel(),
        ],
    )
    date = cl.CustomComparison(
        output_column_name="date",
        comparison_levels=[
            cll.CustomLevel("date_low_l IS NULL OR date_low_r IS NULL", "date missing").configure(
                is_null_level=True
            ),
            cll.CustomLevel(
                "date_low_l = date_low_r AND date_high_l = date_high_r "
                "AND date_low_l = date_high_l",
                "same day",
            ),
            cll.CustomLevel(
                "date_low_l <= date_high_r AND date_low_r <= date_high_l", "intervals overlap"
            ),
            cll.ElseLevel(),
        ],
    )
    extra = [_exact_or_similar(extra_feature(column), 0.9) for column in extra_columns]
    return [
        name,
        _exact_or_similar("father", 0.88),
        cl.ExactMatch("sex"),
        birth_year,
        date,
        _exact_or_similar("place", 0.9),
        *extra,
    ]


def _exact_or_similar(column: str, threshold: float) -> Any:
    """Missing; equal; Jaro–Winkler at least ``threshold``; different."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            cll.JaroWinklerLevel(column, threshold),
            cll.ElseLevel(),
        ],
    )


def blocking_rules(extra_columns: tuple[str, ...] = ()) -> list:
    return [
        *(block_on(extra_feature(c)) for c in extra_columns),
        block_on("name_key_pairs", arrays_to_explode=["name_key_pairs"]),
        block_on("name_cons_pairs", arrays_to_explode=["name_cons_pairs"]),
        block_on("name_prefix_pairs", arrays_to_explode=["name_prefix_pairs"]),
        block_on("name_sorted"),
        block_on("block_keys", "father", arrays_to_explode=["block_keys"]),
        block_on("block_keys", "birth_year", arrays_to_explode=["block_keys"]),
        block_on("block_keys", "place", arrays_to_explode=["block_keys"]),
    ]


def training_rules() -> list[tuple]:
    """EM sessions: each fixes some comparisons by blocking on them and learns the others.
    A session is its blocking rule and fallbacks, used when the data cannot support it (no
    sex or place recorded, say); a session none of whose rules the data support is skipped
    and noted.

    The name's m probabilities are learned in sessions blocked on sex and place, which every
    list records to the same precision. Blocking on an exact birth year or date keeps out
    exactly the lists that give an age range or only a month, which are also the lists
    that leave out family names; the m of "one name within the other" then came out at a
    tenth of its value on the simulated lists."""
    return [
        (block_on("name_sorted"),),
        (block_on("sex", "place"), block_on("birth_year", "sex", "date_low")),
        (block_on("date_low", "place"),),
    ]


def prior_rules() -> list:
    """Deterministic rules for the prior probability that two records match."""
    return [block_on("name_sorted", "birth_year"), block_on("name_sorted", "father")]


def splink_settings(link_type: str, extra_columns: tuple[str, ...] = ()) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons(extra_columns),
        blocking_rules_to_generate_predictions=blocking_rules(extra_columns),
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["source"],
    )
