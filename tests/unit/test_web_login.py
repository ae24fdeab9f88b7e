"""The login routes and gate of cortexreel.web, through Starlette's test client (server.py mounts them)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import streamlit as st
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from cortexreel import web
from cortexreel.services import accounts
from cortexreel.ui.auth import client_id
from cortexreel.ui.services import get_services

PASSWORD = "correct horse battery"


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("CORTEXREEL_AUTH_REQUIRED", "true")
    st.cache_resource.clear()
    accounts.create_first_admin(get_services(), "anna", PASSWORD)
    page = Route("/{path:path}", lambda request: PlainTextResponse("the app"))
    app = Starlette(routes=[*web.routes(), page], middleware=[Middleware(web.LoginGate)])
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client
    st.cache_resource.clear()


def _log_in(client: TestClient, next_path: str = "/") -> None:
    response = client.post(
        web.LOGIN_PATH,
        data={"login": "anna", "password": PASSWORD, "next": next_path},
        headers={"origin": "http://testserver"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def test_a_page_without_a_session_goes_to_the_login_form_and_back_after_it(client: TestClient) -> None:
    html = {"accept": "text/html"}
    response = client.get("/scenes?script=abc&scene=2", headers=html, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/account/login?next=%2Fscenes%3Fscript%3Dabc%26scene%3D2"
    login = client.post(
        web.LOGIN_PATH,
        data={"login": "anna", "password": PASSWORD, "next": "/scenes?script=abc&scene=2"},
        headers={"origin": "http://testserver"},
        follow_redirects=False,
    )
    assert login.headers["location"] == "/scenes?script=abc&scene=2"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=43200" in cookie
    assert PASSWORD not in cookie
    assert client.get("/scenes?script=abc&scene=2", headers=html).text == "the app"  # a reload, a new tab


def test_wrong_password_cross_site_post_and_foreign_next_are_refused(client: TestClient) -> None:
    wrong = client.post(web.LOGIN_PATH, data={"login": "anna", "password": "nope"}, headers={"origin": "http://testserver"})
    assert wrong.status_code == 401 and accounts.WRONG_CREDENTIALS in wrong.text
    foreign = client.post(web.LOGIN_PATH, data={"login": "anna", "password": PASSWORD}, headers={"origin": "http://evil"})
    assert foreign.status_code == 403 and web.SESSION_COOKIE not in client.cookies
    assert web.safe_next("https://evil.example/x") == "/"
    assert web.safe_next("//evil.example/x") == "/"
    assert web.safe_next("/scenes?script=a") == "/scenes?script=a"


def test_logging_out_or_disabling_the_user_ends_the_cookie_session(client: TestClient) -> None:
    _log_in(client)
    token = client.cookies[web.SESSION_COOKIE]
    assert accounts.check_session(get_services(), token) is not None
    client.get(web.LOGOUT_PATH, follow_redirects=False)
    assert accounts.check_session(get_services(), token) is None  # even if the browser kept the cookie
    _log_in(client)
    token = client.cookies[web.SESSION_COOKIE]
    accounts.disable_user(get_services(), "anna")
    assert accounts.check_session(get_services(), token) is None


def test_logins_are_logged_with_the_client_address_never_the_secrets(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="cortexreel.services.accounts")
    client.post(web.LOGIN_PATH, data={"login": "anna", "password": "nope"}, headers={"origin": "http://testserver"})
    _log_in(client)
    logged = caplog.text
    # Starlette's test client connects from the host "testclient".
    assert "Failed login for anna from testclient" in logged and "anna logged in from testclient" in logged
    assert PASSWORD not in logged and "nope" not in logged
    assert client.cookies[web.SESSION_COOKIE] not in logged


def test_the_in_app_login_names_a_browser_on_this_machine() -> None:
    # Streamlit's ip_address is None for a connection from 127.0.0.1 or ::1 (and outside a session).
    assert st.context.ip_address is None
    assert client_id() == "localhost"
