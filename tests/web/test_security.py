"""Logging in: CSRF on every change, lockout, session cookies, the audit chain, error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

from recount.case.folder import open_case
from recount.security import audit
from recount.security.users import MAX_FAILURES, add_user, change_user
from recount.web.app import WebSettings, create_app
from tests.evidence.helpers import sql
from tests.web.conftest import PASSWORD, WebCase, login


def test_changes_need_the_sessions_csrf_token(client: TestClient, web_case: WebCase) -> None:
    csrf = login(client, "reviewer")
    pair = client.get("/api/review").json()[0]
    body = {"record_l": pair["record_l"], "record_r": pair["record_r"], "label": "unsure"}
    missing = client.post("/api/review/decide", json=body)
    wrong = client.post("/api/review/decide", json=body, headers={"X-CSRF-Token": "x" * 43})
    form = client.post("/review/decide", data=body)  # a form posted from another site
    assert missing.status_code == wrong.status_code == form.status_code == 403
    assert "CSRF" in missing.json()["message"]
    ok = client.post("/api/review/decide", json=body, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["label"] == "unsure"


def test_the_login_form_itself_needs_its_token(client: TestClient) -> None:
    response = client.post(
        "/login",
        data={"name": "admin", "password": PASSWORD, "token": "forged"},
        follow_redirects=False,
    )
    assert response.status_code == 403 and "recount_session" not in response.cookies


def test_lockout_after_repeated_failures_and_unlock(client: TestClient, web_case: WebCase) -> None:
    with open_case(web_case.root) as case:
        add_user(case, "locky", "viewer", PASSWORD)
    for _ in range(MAX_FAILURES):
        form = client.get("/login").text
        token = form.split('name="token" value="')[1].split('"')[0]
        bad = client.post(
            "/login", data={"name": "locky", "password": "wrong password!", "token": token}
        )
        assert bad.status_code == 401 and "wrong user name or password" in bad.text
    form = client.get("/login").text
    token = form.split('name="token" value="')[1].split('"')[0]
    locked = client.post("/login", data={"name": "locky", "password": PASSWORD, "token": token})
    assert locked.status_code == 401 and "locked" in locked.text
    with open_case(web_case.root) as case:
        change_user(case, "locky", unlock=True)
        actions = [e["action"] for e in audit.entries(case, 50, actor="locky")]
    assert actions.count("login.failed") == MAX_FAILURES and "login.refused" in actions
    login(client, "locky")
    assert client.get("/api/me").json()["role"] == "viewer"


def test_unknown_user_and_wrong_password_look_the_same(client: TestClient) -> None:
    texts = []
    for name in ("nobody-here", "analyst"):
        token = client.get("/login").text.split('name="token" value="')[1].split('"')[0]
        texts.append(
            client.post(
                "/login", data={"name": name, "password": "not it at all", "token": token}
            ).text
        )
    assert all("wrong user name or password" in t for t in texts)


def test_session_cookie_is_secure_httponly_strict_and_logout_ends_it(web_case: WebCase) -> None:
    app = create_app(WebSettings(web_case.root))  # as `recount serve` makes it: Secure
    with TestClient(app, base_url="https://testserver") as client:
        login(client, "viewer")
        header = next(h for k, h in client.get("/login").headers.items() if k == "set-cookie")
        assert "secure" in header.lower()
        token = client.cookies.get("recount_session")
        assert token
        stored = [r[0] for r in sql(web_case.root, "SELECT token_sha256 FROM web_sessions")]
        assert stored and token not in stored  # only its hash is kept
        csrf = client.get("/").text.split('"X-CSRF-Token": "')[1].split('"')[0]
        client.post("/logout", data={"csrf": csrf})
        client.cookies.set("recount_session", token)
        assert client.get("/api/me").status_code == 401


def test_login_cookie_flags(client: TestClient) -> None:
    token = client.get("/login").text.split('name="token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD, "token": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_audit_log_is_a_hash_chain(web_case: WebCase) -> None:
    with open_case(web_case.root) as case:
        assert audit.count(case) > 0 and audit.verify_log(case) == []
    (original,) = sql(web_case.root, "SELECT actor FROM audit_log WHERE id = 2")[0]
    sql(web_case.root, "UPDATE audit_log SET actor = 'someone else' WHERE id = 2")
    try:
        with open_case(web_case.root) as case:
            assert any("entry 2" in p for p in audit.verify_log(case))
    finally:
        sql(web_case.root, "UPDATE audit_log SET actor = ? WHERE id = 2", original)


def test_errors_are_one_clear_shape_never_a_traceback(client: TestClient) -> None:
    login(client, "admin")
    api = client.get("/api/persons/99999999")
    assert api.status_code == 404 and set(api.json()) == {"error", "message"}
    assert "no person 99999999" in api.json()["message"]
    page = client.get("/persons/99999999")
    assert page.status_code == 404 and "no person 99999999" in page.text
    bad = client.get("/api/persons?fate=exploded")
    assert bad.status_code == 400 and "fate 'exploded'" in bad.json()["message"]
    nonsense = client.get("/api/persons/not-a-number")
    assert nonsense.status_code == 400 and nonsense.json()["error"] == "InvalidValueError"
    for response in (api, page, bad, nonsense):
        assert "Traceback" not in response.text and 'File "' not in response.text


def test_pages_send_security_headers(client: TestClient) -> None:
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
