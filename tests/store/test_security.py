"""The audit log's reads in ``store.security``, on both engines: the filters apply before the
limit, and the chain is read in the order it was written."""

from __future__ import annotations

from itertools import pairwise

from recount.case.folder import Case
from recount.security import audit
from recount.store import security as security_store


def test_audit_filters_apply_before_the_limit_and_newest_come_first(case: Case) -> None:
    for n in range(3):
        audit.record(case, "amina", "admin", "export", f"export:{n}")
        audit.record(case, "omar", "analyst", "view.record_raw", f"record:{n}")
    with case.reading() as conn:
        newest = security_store.newest_audit_entries(conn, 2, action="export")
        only_omar = security_store.newest_audit_entries(conn, 10, actor="omar")
        both = security_store.newest_audit_entries(conn, 10, "export", "omar")
        chain = security_store.audit_entries_in_order(conn)
        last = security_store.last_audit_hash(conn)
    assert [e["subject"] for e in newest] == ["export:2", "export:1"]
    assert [e["subject"] for e in only_omar] == ["record:2", "record:1", "record:0"]
    assert both == []
    assert [e["id"] for e in chain] == sorted(e["id"] for e in chain)
    assert chain[0]["prev_hash"] == audit.GENESIS and last == chain[-1]["entry_hash"]
    assert all(e["prev_hash"] == p["entry_hash"] for p, e in pairwise(chain))
