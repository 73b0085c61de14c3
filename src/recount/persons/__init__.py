"""Persons as people browse them: search across scripts, filters, a person's whole file."""
