"""The model's parts on their own: name comparison levels (run on DuckDB), term frequencies,
regularisation, and training on data that cannot support every EM session."""

from __future__ import annotations

import math

import duckdb
import pytest
from splink.internals.dialects import SplinkDialect

from recount.linkage import model as splink_model
from recount.linkage.features import FEATURE_TYPES
from recount.linkage.settings import LinkageSettings, WordsLevel


def _level_holds(kind: str, left: list[str], right: list[str]) -> bool:
    sql = WordsLevel("name_keys", kind).create_sql(SplinkDialect.from_string("duckdb"))
    connection = duckdb.connect()
    try:
        return connection.execute(
            f"SELECT {sql} FROM (SELECT ?::VARCHAR[] AS name_keys_l, ?::VARCHAR[] AS name_keys_r)",
            [left, right],
        ).fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (["ali", "mamadov"], ["ali", "mamadv"]),  # a dropped letter
        (["laonid", "svacka"], ["laod", "svacka"]),  # a slip the key makes worse
        (["isava", "ia"], ["ia", "isava"]),  # any order
        (["hasan", "nazim", "rza"], ["hasan", "nazim", "rzaa"]),
    ],
)
def test_every_word_similar_is_the_same_name_misspelt(left: list[str], right: list[str]) -> None:
    assert _level_holds("same", left, right)
    assert _level_holds("same", right, left)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (["cabarli", "fahmin"], ["cabarli", "naf"]),  # a shared family name, other given names
        (["ali", "mamadov"], ["ali"]),  # a missing word is not "the same name"
        (["ali"], ["ali"]),  # one word: the weaker "contained" level covers it
    ],
)
def test_every_word_similar_needs_two_words_each_with_a_partner(
    left: list[str], right: list[str]
) -> None:
    assert not _level_holds("same", left, right)


def test_one_name_within_the_other_allows_missing_words_not_different_ones() -> None:
    assert _level_holds("contained", ["zamir"], ["sahsovarli", "zamir"])
    assert _level_holds("contained", ["sahsovarli", "zamir"], ["zamr"])  # and a typo
    assert not _level_holds("contained", ["ali", "hasanov"], ["ali", "mamadov"])
    assert not _level_holds("contained", [], ["ali"])


def test_a_name_only_one_person_bears_is_not_counted_as_common() -> None:
    counts = {"ali mamadov": 2, "ali hasanov": 5, "ali": 3}
    tables = splink_model.frequency_tables(counts)
    tf = dict(zip(*tables["name_sorted"].to_pydict().values(), strict=True))
    total = 10
    # The two records compared are left out: a name seen only in them gets half a record.
    assert tf["ali mamadov"] == pytest.approx(0.5 / total)
    assert tf["ali hasanov"] == pytest.approx(3 / total)
    assert tf["ali"] == pytest.approx(1 / total)


def test_a_one_word_name_weighs_by_how_many_names_contain_the_word() -> None:
    counts = {"ali mamadov": 2, "ali hasanov": 5, "ali": 3, "zamir": 1, "nazim rza": 9}
    single = splink_model.frequency_tables(counts)["name_single"].to_pydict()
    tf = dict(zip(single["name_single"], single["tf_name_single"], strict=True))
    total, one_word_share = 20, 4 / 20
    assert tf == pytest.approx(
        {"ali": 2 * one_word_share * 10 / total, "zamir": 2 * one_word_share * 1 / total}
    )
    assert tf["ali"] > tf["zamir"]  # a common first name says less


def test_frequencies_stored_as_shares_are_used_as_they_were() -> None:
    tables = splink_model.frequency_tables({"ali mamadov": 0.25, "ali": 0.75})
    assert set(tables) == {"name_sorted"}
    assert tables["name_sorted"].column("tf_name_sorted").to_pylist() == [0.25, 0.75]


def test_strong_levels_keep_their_weight_and_untrained_levels_say_nothing() -> None:
    u_floor = splink_model.u_floor(LinkageSettings(), total_pairs=10_000_000)
    assert u_floor == 1 / LinkageSettings().u_max_pairs
    assert splink_model.u_floor(LinkageSettings(), total_pairs=1) == splink_model.FLOOR
    model = {
        "probability_two_random_records_match": 0.001,
        "comparisons": [
            {
                "output_column_name": "name",
                "comparison_levels": [
                    {"sql_condition": "a", "is_null_level": True},
                    {"sql_condition": "b", "m_probability": 0.7, "u_probability": 1e-9},
                    {"sql_condition": "c", "m_probability": 0.0, "u_probability": 0.3},
                    {"sql_condition": "d", "u_probability": 0.6},
                    {"sql_condition": "e", "m_probability": 0.2},
                ],
            }
        ],
    }
    levels = splink_model.regularised_model(model, 100, u_floor)["comparisons"][0][
        "comparison_levels"
    ]
    assert levels[1]["u_probability"] == u_floor  # 2 in a million, not 1 in 1000
    assert math.log2(levels[1]["m_probability"] / levels[1]["u_probability"]) > 18
    assert levels[2]["m_probability"] == splink_model.FLOOR  # never zero
    assert levels[3]["m_probability"] == levels[3]["u_probability"] == 0.6  # untrained m
    assert levels[4]["u_probability"] == u_floor  # seen in no random pair


def _features(rows: list[tuple[str, str, int]]) -> list[dict]:
    features = []
    for number, (name, sex, year) in enumerate(rows, start=1):
        keys = sorted(name.split())
        features.append(
            {
                **dict.fromkeys(FEATURE_TYPES),
                "unique_id": number,
                "source": "one",
                "name_keys": keys,
                "name_key_pairs": [],
                "name_cons": keys,
                "name_cons_pairs": [],
                "name_prefix_pairs": [],
                "name_sorted": " ".join(keys),
                "name_ascii": " ".join(keys),
                "sex": sex,
                "birth_year": year,
                "date_low": "1994-03-10",
                "date_high": "1994-03-10",
                "is_new": False,
                "block_keys": keys,
                "name_single": keys[0] if len(keys) == 1 else None,
            }
        )
    return features


def test_an_em_session_the_data_cannot_support_leaves_the_model_whole() -> None:
    # No place anywhere: both sessions blocked on place fail; sex and date must survive
    # them (Splink's EM session drops what it blocks on and restores it only on success).
    names = [
        "ali mamadov",
        "nazim rza",
        "zamir hasanov",
        "laonid svacka",
        "ia isava",
        "malkon paronan",
        "kamila nabohlo",
        "vahid abdolazada",
    ]
    rows = [(name, "MF"[i % 2], 1950 + i) for i, name in enumerate(names)]
    rows += [(name, "MF"[i % 2], 1950 + i) for i, name in enumerate(names[:4])]
    model, notes = splink_model.train(
        _features(rows), LinkageSettings(), "duckdb", [], lambda *_: None
    )
    assert [c["output_column_name"] for c in model["comparisons"]] == [
        "name",
        "father",
        "sex",
        "birth_year",
        "date",
        "place",
    ]
    assert any("place" in note for note in notes)


def test_a_one_word_name_is_marked_for_its_term_frequency() -> None:
    from recount.linkage.features import record_features

    row = dict.fromkeys(
        (
            "full_name",
            "given_name",
            "family_name",
            "patronymic",
            "sex",
            "age_low",
            "age_high",
            "birth_year_low",
            "birth_year_high",
            "date_low",
            "date_high",
            "place",
        )
    )
    alone = record_features({**row, "id": 1, "source": "t", "given_name": "Şərəfəddin"})
    full = record_features(
        {**row, "id": 2, "source": "r", "full_name": "Hümmətov Şərəfəddin Bəşir oğlu"}
    )
    assert alone["name_single"] == "sarafadin" and full["name_single"] is None
    assert full["father"] == "basir"
