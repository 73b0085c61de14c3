"""Hierarchical log-linear models of list dependence: terms, parsing, enumeration, designs.

A model for J lists is a set of interaction terms (subsets of the lists with at least two
members) that is closed downwards: with A·B·C it also holds A·B, A·C and B·C. It is named by its
generating terms, the maximal ones, as in Rcapture's ``closedpMS.t``: ``[EXH·ABA·OSCE, EXH·HRW,
OSCE·HRW]``. All main effects are always in; the J-way interaction never is, since with the
unobserved cell missing it cannot be estimated. The models with all main effects are the
antichains of interaction terms: 8, 113 and 6,893 of them for J = 3, 4, 5.

The design of a model has one row per observed cell (the ``2^J − 1`` non-zero patterns, in the
order of ``CaptureTable.full()[1:]``, list 1 the most significant bit) and one column per term:
the intercept, the J main effects, then the product of the pattern bits of each interaction.

Reference: Y. M. M. Bishop, S. E. Fienberg, P. W. Holland, *Discrete Multivariate Analysis*
(MIT Press, 1975), ch. 6 (incomplete tables, closed populations); L.-P. Rivest and S.
Baillargeon, Rcapture's ``getAllModels`` (the same enumeration, written differently here).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

import numpy as np

from recount.errors import InvalidValueError

Term = tuple[int, ...]  # sorted list indices, length >= 2 for an interaction
SEPARATORS = re.compile(r"\s*[*:·]\s*")


def closure(generators: Iterable[Term]) -> frozenset[Term]:
    """Every interaction implied by the generating terms (subsets with at least two lists)."""
    terms: set[Term] = set()
    for generator in generators:
        for size in range(2, len(generator) + 1):
            terms.update(itertools.combinations(sorted(generator), size))
    return frozenset(terms)


def maximal(terms: Iterable[Term]) -> tuple[Term, ...]:
    """The generating terms of a set of interactions: those in no larger term, highest first."""
    pool = sorted({tuple(sorted(t)) for t in terms if len(t) >= 2}, key=lambda t: (-len(t), t))
    kept: list[Term] = []
    kept_sets: list[set[int]] = []
    for term in pool:  # larger terms come first, so a kept term is never dropped later
        members = set(term)
        if not any(members < other for other in kept_sets):
            kept.append(term)
            kept_sets.append(members)
    return tuple(kept)


def ordered(terms: Iterable[Term]) -> list[Term]:
    """Terms in design-column order: by size, then by list index."""
    return sorted(terms, key=lambda t: (len(t), t))


def format_model(generators: Sequence[Term], lists: Sequence[str]) -> str:
    """``[EXH·ABA·OSCE, EXH·HRW, OSCE·HRW]``; lists in no interaction appear alone."""
    covered = {j for term in generators for j in term}
    parts = ["·".join(lists[j] for j in term) for term in maximal(generators)]
    parts += [name for j, name in enumerate(lists) if j not in covered]
    return "[" + ", ".join(parts) + "]"


def term_names(generators: Sequence[Term], lists: Sequence[str]) -> list[list[str]]:
    """Generating terms as lists of list names (for JSON)."""
    return [[lists[j] for j in term] for term in maximal(generators)]


def parse_model(text: str, lists: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Parse ``"EXH*ABA*OSCE + EXH*HRW + OSCE*HRW"`` into generating terms of list names.

    Terms are joined by ``+`` (or commas, and may be wrapped in ``[ ]``); lists within a term by
    ``*``, ``:`` or ``·``. Main effects may be written but are always included anyway; an empty
    string or ``independence`` is the model with main effects only. Unknown list names, a list
    repeated in a term and the J-way interaction raise ``InvalidValueError``.
    """
    body = text.strip().strip("[]").strip()
    if body.lower() in ("", "independence", "main effects", "1"):
        return ()
    terms = []
    for raw in re.split(r"\s*[+,]\s*", body):
        if not raw:
            raise InvalidValueError(f"model {text!r}: an empty term (two '+' in a row?)")
        names = [part for part in SEPARATORS.split(raw.strip()) if part]
        terms.append(_term_indices(names, lists, f"model {text!r}"))
    return tuple(tuple(lists[j] for j in term) for term in maximal(terms))


def to_indices(model: Sequence[Sequence[str]], lists: Sequence[str]) -> tuple[Term, ...]:
    """Generating terms given as list names → as list indices, validated as in ``parse_model``."""
    where = "model " + " + ".join("*".join(term) for term in model)
    return maximal(_term_indices(list(term), lists, where) for term in model)


def _term_indices(names: list[str], lists: Sequence[str], where: str) -> Term:
    unknown = [name for name in names if name not in lists]
    if unknown:
        raise InvalidValueError(
            f"{where}: unknown list(s) {', '.join(unknown)}; the lists are {', '.join(lists)}"
        )
    if len(set(names)) != len(names):
        raise InvalidValueError(f"{where}: the term {'*'.join(names)} names a list twice")
    if len(names) == len(lists):
        raise InvalidValueError(
            f"{where}: the {len(lists)}-way interaction {'*'.join(names)} cannot be estimated "
            f"(the unobserved cell is missing); use at most {len(lists) - 1}-way interactions"
        )
    return tuple(sorted(lists.index(name) for name in names))


def enumerate_models(n_lists: int, max_order: int) -> list[tuple[Term, ...]]:
    """All hierarchical models with every main effect, as tuples of generating terms.

    They are the antichains of interaction terms of size 2..``max_order``: a backtracking
    walk over the terms adds a term only if it neither contains nor is contained in one
    already chosen, so each antichain comes out once (8, 113, 6,893 for J = 3, 4, 5).
    """
    terms = [
        frozenset(c)
        for size in range(2, max_order + 1)
        for c in itertools.combinations(range(n_lists), size)
    ]
    found: list[tuple[Term, ...]] = []

    def walk(i: int, chosen: list[frozenset[int]]) -> None:
        if i == len(terms):
            found.append(
                tuple(sorted((tuple(sorted(t)) for t in chosen), key=lambda t: (-len(t), t)))
            )
            return
        walk(i + 1, chosen)
        term = terms[i]
        if all(not (term <= other or other <= term) for other in chosen):
            chosen.append(term)
            walk(i + 1, chosen)
            chosen.pop()

    walk(0, [])
    return found


def additions(model: frozenset[Term], n_lists: int, max_order: int) -> list[frozenset[Term]]:
    """Models one term larger that stay hierarchical (every sub-interaction already in)."""
    larger = []
    for size in range(2, max_order + 1):
        for term in itertools.combinations(range(n_lists), size):
            if term in model:
                continue
            if size == 2 or all(sub in model for sub in itertools.combinations(term, size - 1)):
                larger.append(model | {term})
    return larger


def removals(model: frozenset[Term]) -> list[frozenset[Term]]:
    """Models one term smaller: drop a generating (maximal) term."""
    return [model - {term} for term in maximal(model)]


def cell_bits(n_lists: int) -> np.ndarray:
    """``(2^J − 1, J)`` 0/1 patterns of the observed cells, in ``full()[1:]`` order."""
    cells = np.arange(1, 1 << n_lists)
    return ((cells[:, None] >> np.arange(n_lists - 1, -1, -1)) & 1).astype(np.float64)


def design(bits: np.ndarray, terms: Iterable[Term]) -> np.ndarray:
    """Intercept, main effects, then one product column per interaction term."""
    columns = [np.ones(len(bits)), *bits.T]
    columns += [bits[:, list(term)].prod(axis=1) for term in ordered(terms)]
    return np.column_stack(columns)


def term_masks(terms: Iterable[Term], n_lists: int) -> np.ndarray:
    """Bitmasks of the design's columns, in ``design`` order (cell index = pattern bits)."""

    def mask(term: Term) -> int:
        return sum(1 << (n_lists - 1 - j) for j in term)

    columns = [(), *((j,) for j in range(n_lists)), *ordered(terms)]
    return np.array([mask(term) for term in columns], dtype=np.int64)


def empty_margin(counts: np.ndarray, bits: np.ndarray, term: Term) -> tuple[int, ...] | None:
    """A pattern over ``term``'s lists that no observed person has, or None if none is empty.

    The marginal totals of the generating terms are the sufficient statistics of a
    hierarchical model; an empty one pushes a parameter to −∞, so the MLE does not exist.
    """
    weights = 1 << np.arange(len(term) - 1, -1, -1)
    index = bits[:, list(term)].astype(np.int64) @ weights
    totals = np.bincount(index, weights=counts, minlength=1 << len(term))
    empty = np.flatnonzero(totals == 0)
    if len(empty) == 0:
        return None
    return tuple(int(b) for b in np.binary_repr(int(empty[-1]), width=len(term)))


def describe_margin(term: Term, pattern: tuple[int, ...], lists: Sequence[str]) -> str:
    """Words for an empty margin: 'no one is on both EXH and HRW', or the full pattern."""
    if all(pattern):
        names = [lists[j] for j in term]
        return f"no one is on {', '.join(names[:-1])} and {names[-1]} together"
    parts = [f"{lists[j]}={b}" for j, b in zip(term, pattern, strict=True)]
    return f"no one observed has {', '.join(parts)}"
