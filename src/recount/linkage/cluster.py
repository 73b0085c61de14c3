"""Group records into persons from scored pairs, honouring reviewers' decisions.

Splink's own clustering is connected components at a threshold. recount needs one thing more:
a reviewer's "these two are different people" must hold even when a chain of other strong pairs
connects them. So clustering here is greedy agglomeration with constraints (Wagstaff et al.
2001, "Constrained K-means ... with background knowledge", applied to linkage):

1. join every pair a reviewer labelled a match;
2. take the scored pairs at or above the threshold, strongest first, and join their two
   clusters unless that would put two records labelled non-match into one person.

Without labels this is exactly connected components at the threshold. It is a pure function of
its inputs and runs in near-linear time (union–find), on any backend's pairs.
"""

from __future__ import annotations

from collections.abc import Iterable


class _UnionFind:
    def __init__(self, items: Iterable[int]) -> None:
        self.parent = {item: item for item in items}
        self.apart: dict[int, list[int]] = {}  # root → records its members must stay apart from

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def may_join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        small, other = (ra, rb) if len(self.apart.get(ra, ())) <= len(self.apart.get(rb, ())) \
            else (rb, ra)
        return all(self.find(x) != other for x in self.apart.get(small, ()))

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        self.parent[gone] = keep
        if gone in self.apart:
            self.apart.setdefault(keep, []).extend(self.apart.pop(gone))


def cluster_records(record_ids: Iterable[int], edges: Iterable[tuple[int, int, float]],
                    threshold: float, must_link: Iterable[tuple[int, int]] = (),
                    cannot_link: Iterable[tuple[int, int]] = ()) -> dict[int, int]:
    """Record id → the smallest record id of its cluster (see the module docstring)."""
    forest = _UnionFind(record_ids)
    for a, b in cannot_link:
        if a in forest.parent and b in forest.parent:
            forest.apart.setdefault(a, []).append(b)
            forest.apart.setdefault(b, []).append(a)
    for a, b in must_link:
        if a in forest.parent and b in forest.parent and forest.may_join(a, b):
            forest.join(a, b)
    strong = sorted((e for e in edges if e[2] >= threshold), key=lambda e: (-e[2], e[0], e[1]))
    for a, b, _probability in strong:
        if forest.may_join(a, b):
            forest.join(a, b)
    return {item: forest.find(item) for item in forest.parent}
