"""Families: relations between persons, status over time, and the counts derived from them."""
