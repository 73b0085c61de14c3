"""Linkage accuracy against known truth: pairwise precision, recall and F1 of a clustering.

A pair of records is a *true* pair when the truth puts both in one entity, a *predicted* pair
when the clustering puts both in one person. With n_ce records in cluster c and entity e,

    TP = Σ_{c,e} C(n_ce, 2),   predicted = Σ_c C(n_c, 2),   true = Σ_e C(n_e, 2),

precision = TP / predicted, recall = TP / true, F1 their harmonic mean (Christen 2012,
*Data Matching*, ch. 7). Counting through the contingency table costs O(records), not
O(pairs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class PairwiseAccuracy:
    true_pairs: int
    predicted_pairs: int
    true_positives: int
    clusters: int
    entities: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {
            **asdict(self),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_accuracy(
    predicted: dict[Hashable, Hashable], truth: dict[Hashable, Hashable]
) -> PairwiseAccuracy:
    """Compare two clusterings of the same records (record → cluster, record → entity)."""
    common = predicted.keys() & truth.keys()
    cells = Counter((predicted[r], truth[r]) for r in common)
    clusters = Counter(predicted[r] for r in common)
    entities = Counter(truth[r] for r in common)
    return PairwiseAccuracy(
        true_pairs=sum(_pairs(n) for n in entities.values()),
        predicted_pairs=sum(_pairs(n) for n in clusters.values()),
        true_positives=sum(_pairs(n) for n in cells.values()),
        clusters=len(clusters),
        entities=len(entities),
    )
