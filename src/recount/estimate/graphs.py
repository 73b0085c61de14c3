"""Decomposable (chordal) graphs on a few labelled vertices, for dga's model averaging.

A decomposable graphical model of list dependence is an undirected graph on the lists that is
chordal (every cycle of four or more vertices has a chord). Its likelihood factorises over the
maximal cliques ``C`` and the separators ``S`` of a junction tree: ``Π p(D_C) / Π p(D_S)``.

We generate every such graph ourselves rather than ship dga's ``graphs3/4/5`` data: all
``2^(p(p-1)/2)`` edge subsets, kept if chordal (maximum cardinality search gives an ordering
whose reverse is a perfect elimination ordering exactly when the graph is chordal; Tarjan &
Yannakakis 1984). That gives 8, 61 and 822 graphs for p = 3, 4, 5, as in dga.

For each graph: the maximal cliques (from the perfect elimination ordering), and the junction
tree separators with multiplicity (a maximum-weight spanning forest of the clique graph,
weights = size of the intersection). An empty intersection joins two connected components; it
is no separator (its marginal likelihood is 1), so it is left out, as in dga's data.

Vertices are ``0 .. p-1`` (list 1 = vertex 0); a subset of vertices as a bit mask puts vertex 0
in the most significant bit (``mask_of``), matching ``CaptureTable.full()`` and dga's
"row i = Σ_{j∈A} 2^(p-j)".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations

Edge = tuple[int, int]
VertexSet = tuple[int, ...]


@dataclass(frozen=True)
class DecomposableGraph:
    """A chordal graph on ``n_vertices`` vertices with its cliques and separators."""

    n_vertices: int
    edges: tuple[Edge, ...]
    cliques: tuple[VertexSet, ...]
    separators: tuple[VertexSet, ...]  # non-empty, with multiplicity


def adjacency(n_vertices: int, edges: tuple[Edge, ...]) -> list[set[int]]:
    """Neighbour sets of each vertex."""
    neighbours: list[set[int]] = [set() for _ in range(n_vertices)]
    for u, v in edges:
        neighbours[u].add(v)
        neighbours[v].add(u)
    return neighbours


def maximum_cardinality_search(neighbours: list[set[int]]) -> list[int]:
    """Visit order of maximum cardinality search: next = most already-visited neighbours.

    Ties go to the lowest vertex, so the order is deterministic.
    """
    n = len(neighbours)
    weight = [0] * n
    visited: list[int] = []
    left = set(range(n))
    while left:
        vertex = max(sorted(left), key=lambda v: weight[v])
        visited.append(vertex)
        left.remove(vertex)
        for other in neighbours[vertex] & left:
            weight[other] += 1
    return visited


def perfect_elimination_ordering(neighbours: list[set[int]]) -> list[int] | None:
    """A perfect elimination ordering if the graph is chordal, else ``None``.

    The reverse of a maximum cardinality search order is one exactly when the graph is chordal:
    each vertex's neighbours that come later in the ordering must form a clique.
    """
    order = maximum_cardinality_search(neighbours)[::-1]
    position = {v: i for i, v in enumerate(order)}
    for vertex in order:
        later = [u for u in neighbours[vertex] if position[u] > position[vertex]]
        if any(b not in neighbours[a] for a, b in combinations(later, 2)):
            return None
    return order


def is_chordal(n_vertices: int, edges: tuple[Edge, ...]) -> bool:
    """Whether every cycle of length four or more has a chord."""
    return perfect_elimination_ordering(adjacency(n_vertices, edges)) is not None


def maximal_cliques(neighbours: list[set[int]], order: list[int]) -> list[VertexSet]:
    """Maximal cliques of a chordal graph from a perfect elimination ordering.

    Every maximal clique is some vertex with its later neighbours; keep those not contained in
    another. Sorted, each clique sorted.
    """
    position = {v: i for i, v in enumerate(order)}
    candidates = {
        frozenset({v} | {u for u in neighbours[v] if position[u] > position[v]}) for v in order
    }
    maximal = [c for c in candidates if not any(c < other for other in candidates)]
    return sorted(tuple(sorted(c)) for c in maximal)


def junction_tree_separators(cliques: list[VertexSet]) -> list[VertexSet]:
    """Separators (with multiplicity) of a junction tree over ``cliques``.

    Kruskal's algorithm for a maximum-weight spanning forest of the clique graph, with weight
    = size of the intersection; empty intersections are left out (they only join components).
    For a chordal graph any maximum-weight spanning tree is a junction tree, and the multiset
    of separators is the same for all of them.
    """
    parent = list(range(len(cliques)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = sorted(
        ((len(set(a) & set(b)), i, j) for (i, a), (j, b) in combinations(enumerate(cliques), 2)),
        key=lambda t: -t[0],
    )
    separators: list[VertexSet] = []
    for size, i, j in pairs:
        if size == 0:
            break
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[ri] = rj
            separators.append(tuple(sorted(set(cliques[i]) & set(cliques[j]))))
    return sorted(separators)


def mask_of(vertices: VertexSet, n_vertices: int) -> int:
    """Bit mask of a vertex set, vertex 0 most significant (dga's row index of a subset)."""
    return sum(1 << (n_vertices - 1 - v) for v in vertices)


@cache
def decomposable_graphs(n_vertices: int) -> tuple[DecomposableGraph, ...]:
    """Every decomposable graph on ``n_vertices`` labelled vertices (computed once per size).

    Ordered by number of edges, then by the edge list: the empty graph (independence) first,
    the complete graph (saturated model) last.
    """
    if n_vertices < 1:
        raise ValueError("a graph needs at least one vertex")
    all_edges = list(combinations(range(n_vertices), 2))
    graphs = []
    for bits in range(1 << len(all_edges)):
        edges = tuple(e for k, e in enumerate(all_edges) if bits >> k & 1)
        neighbours = adjacency(n_vertices, edges)
        order = perfect_elimination_ordering(neighbours)
        if order is None:
            continue
        cliques = maximal_cliques(neighbours, order)
        graphs.append(
            DecomposableGraph(
                n_vertices, edges, tuple(cliques), tuple(junction_tree_separators(cliques))
            )
        )
    return tuple(sorted(graphs, key=lambda g: (len(g.edges), g.edges)))
