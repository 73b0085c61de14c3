"""Accounts, sessions and the audit log in the case's database, on both engines: what several
server workers share."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from recount.case.folder import Case, open_case
from recount.errors import LoginError
from recount.security import audit
from recount.security.sessions import (
    IDLE_MINUTES,
    MAX_HOURS,
    end_session,
    find_session,
    start_session,
)
from recount.security.users import add_user, authenticate, change_user, list_users

PASSWORD = "correct horse battery"
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_a_session_is_found_from_another_connection_until_it_ends(case: Case) -> None:
    user = add_user(case, "amina", "analyst", PASSWORD)
    token, session = start_session(case, authenticate(case, "amina", PASSWORD), NOW)
    assert session.user == user and session.csrf_token
    with open_case(case.root) as other:  # as another worker process would
        found = find_session(other, token, NOW + timedelta(minutes=5))
        assert found is not None and found.user.name == "amina"
        assert found.csrf_token == session.csrf_token
        assert find_session(other, token + "x", NOW) is None
        end_session(other, token)
    assert find_session(case, token, NOW + timedelta(minutes=6)) is None


def test_sessions_end_when_idle_too_long_at_most_after_max_hours_and_on_change(
    case: Case,
) -> None:
    add_user(case, "amina", "analyst", PASSWORD)
    user = authenticate(case, "amina", PASSWORD)
    idle, _ = start_session(case, user, NOW)
    assert find_session(case, idle, NOW + timedelta(minutes=IDLE_MINUTES + 1)) is None
    busy, _ = start_session(case, user, NOW)
    for minutes in range(50, MAX_HOURS * 60, 50):  # a request every 50 minutes
        assert find_session(case, busy, NOW + timedelta(minutes=minutes)) is not None
    assert find_session(case, busy, NOW + timedelta(hours=MAX_HOURS, minutes=1)) is None
    changed, _ = start_session(case, user, NOW)
    change_user(case, "amina", role="viewer")
    assert find_session(case, changed, NOW + timedelta(minutes=1)) is None


def test_logins_from_several_threads_leave_one_intact_audit_chain(case: Case) -> None:
    add_user(case, "amina", "analyst", PASSWORD)

    def attempt(number: int) -> bool:
        try:
            authenticate(case, "amina", PASSWORD if number % 2 else "not the password")
        except LoginError:
            return False
        return True

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(attempt, range(8)))
    assert results.count(True) == 4
    assert audit.verify_log(case) == []
    actions = [e["action"] for e in audit.entries(case, 50)]
    assert sorted(actions) == ["login"] * 4 + ["login.failed"] * 4 + ["user.add"]
    assert [u.name for u in list_users(case)] == ["amina"]
    with pytest.raises(LoginError):
        authenticate(case, "nobody", PASSWORD)
