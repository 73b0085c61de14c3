"""Exports of a case's tables (records, links, persons) as CSV or JSON."""
