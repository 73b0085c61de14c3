"""Synthetic populations and victims' lists with known truth, for demos, tests and benchmarks."""
