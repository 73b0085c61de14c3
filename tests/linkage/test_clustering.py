"""Pure parts of linkage: constrained clustering, stable person ids, pairwise accuracy."""

from __future__ import annotations

from recount.linkage.cluster import cluster_records
from recount.linkage.evaluate import pairwise_accuracy
from recount.linkage.persons import LineageEvent, assign_person_ids


def _groups(clusters: dict[int, int]) -> set[frozenset[int]]:
    members: dict[int, set[int]] = {}
    for record, key in clusters.items():
        members.setdefault(key, set()).add(record)
    return {frozenset(m) for m in members.values()}


def test_without_labels_it_is_connected_components_at_the_threshold() -> None:
    edges = [(1, 2, 0.99), (2, 3, 0.6), (4, 5, 0.4), (6, 7, 0.5)]
    assert _groups(cluster_records(range(1, 8), edges, 0.5)) == {
        frozenset({1, 2, 3}),
        frozenset({4}),
        frozenset({5}),
        frozenset({6, 7}),
    }


def test_a_non_match_label_holds_against_a_chain_of_strong_pairs() -> None:
    edges = [(1, 2, 0.99), (2, 3, 0.95), (3, 4, 0.9)]
    clusters = cluster_records(range(1, 5), edges, 0.5, cannot_link=[(1, 4)])
    assert clusters[1] != clusters[4]
    assert _groups(clusters) == {frozenset({1, 2, 3}), frozenset({4})}  # weakest edge gives way


def test_a_match_label_joins_below_the_threshold() -> None:
    clusters = cluster_records(range(1, 4), [(1, 2, 0.1)], 0.5, must_link=[(2, 3)])
    assert _groups(clusters) == {frozenset({1}), frozenset({2, 3})}


def test_a_vague_record_does_not_join_two_people_of_one_list() -> None:
    # 3 (a witness: first name and village only) fits registry records 1 and 2 about equally;
    # 1 and 2 are not linked to each other, so only the stronger link holds.
    source_of = {1: "registry", 2: "registry", 3: "testimonies", 4: "ngo"}
    edges = [(1, 3, 0.7), (2, 3, 0.6), (1, 4, 0.9)]
    clusters = cluster_records(range(1, 5), edges, 0.5, source_of=source_of)
    assert _groups(clusters) == {frozenset({1, 3, 4}), frozenset({2})}
    # Without the lists it is connected components: everyone in one person.
    assert _groups(cluster_records(range(1, 5), edges, 0.5)) == {frozenset({1, 2, 3, 4})}


def test_rows_of_one_list_join_when_linked_directly_or_by_a_reviewer() -> None:
    source_of = {1: "registry", 2: "registry", 3: "ngo", 4: "ngo", 5: "ngo"}
    edges = [(1, 3, 0.9), (2, 3, 0.8), (1, 2, 0.6), (4, 1, 0.7)]
    clusters = cluster_records(range(1, 6), edges, 0.5, must_link=[(4, 5)], source_of=source_of)
    # 1–2 are linked directly; 4 is labelled one person with 5, which no model pair links
    # to 3: 4 (and with it 5) stays apart from the ngo's 3.
    assert _groups(clusters) == {frozenset({1, 2, 3}), frozenset({4, 5})}
    reviewed = cluster_records(
        range(1, 6), edges, 0.5, must_link=[(4, 5), (3, 4)], source_of=source_of
    )
    assert _groups(reviewed) == {frozenset({1, 2, 3, 4, 5})}


def test_with_one_list_chains_of_duplicates_still_join() -> None:
    source_of = dict.fromkeys(range(1, 4), "registry")
    clusters = cluster_records(range(1, 4), [(1, 2, 0.9), (2, 3, 0.8)], 0.5, source_of=source_of)
    assert _groups(clusters) == {frozenset({1, 2, 3})}


def test_stable_ids_survive_growth_merge_and_split() -> None:
    previous = {1: 10, 2: 10, 3: 11, 4: 12, 5: 12, 6: 12}
    # 1,2 gain new record 7; 3 merges into them; 12 splits into {4,5} and {6}.
    clusters = {1: 1, 2: 1, 3: 1, 7: 1, 4: 4, 5: 4, 6: 6}
    result = assign_person_ids(clusters, previous, next_id=13)
    assert result.person_of == {1: 10, 2: 10, 3: 10, 7: 10, 4: 12, 5: 12, 6: 13}
    assert result.new_person_ids == [13]
    assert set(result.events) == {
        LineageEvent("merge", 10, 11, 1),
        LineageEvent("split", 13, 12, 1),
    }


def test_brand_new_records_get_new_ids_and_a_new_event() -> None:
    result = assign_person_ids({1: 1, 2: 2, 3: 2}, {1: 5}, next_id=6)
    assert result.person_of == {1: 5, 2: 6, 3: 6}
    assert result.events == [LineageEvent("new", 6, None, 2)]


def test_ids_are_decided_by_largest_overlap_then_oldest_id() -> None:
    previous = {1: 20, 2: 20, 3: 21, 4: 21, 5: 21}
    result = assign_person_ids({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, previous, next_id=22)
    assert set(result.person_of.values()) == {21}  # 21 has three records, 20 two


def test_pairwise_accuracy_counts_pairs_through_the_contingency_table() -> None:
    truth = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "c"}
    predicted = {1: 1, 2: 1, 3: 3, 4: 4, 5: 4, 6: 4}
    accuracy = pairwise_accuracy(predicted, truth)
    assert (accuracy.true_pairs, accuracy.predicted_pairs, accuracy.true_positives) == (4, 4, 2)
    assert (accuracy.precision, accuracy.recall) == (0.5, 0.5)
    perfect = pairwise_accuracy(truth, truth)
    assert perfect.f1 == 1.0
