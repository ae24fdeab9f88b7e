"""The HTTP side of logging in, mounted next to Streamlit by server.py (`st.App`): a login form that sets the
session as an HttpOnly cookie, logging out, and a gate that sends a browser without a valid session to the login
form and, after it, back to the page it asked for.

Why not in a Streamlit page: a script talks to the browser over a websocket and cannot set a cookie, and a
session kept only in Streamlit's memory is lost on every reload and in every new tab. The cookie holds the signed
session token (cortexreel.services.accounts) and nothing else; scripts read it from the websocket handshake
(`st.context.cookies`), and it is checked on every run, so logging out or disabling the user ends it at once.
"""

from __future__ import annotations

import logging
from html import escape
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from cortexreel.container import Services
from cortexreel.errors import CortexReelError
from cortexreel.services import accounts

log = logging.getLogger(__name__)

SESSION_COOKIE = "cortexreel_session"
LOGIN_PATH = "/account/login"
LOGOUT_PATH = "/account/logout"
# Paths a browser loads that are not pages of the app: Streamlit's own endpoints and assets, and ours.
_NOT_PAGES = ("/_stcore/", "/static/", "/media/", "/component/", "/account/", "/auth/", "/oauth2callback")

_mounted = False


def cookie_login_mounted() -> bool:
    """Whether this process serves the login routes (started through server.py), so pages send people there."""
    return _mounted


def _services() -> Services:
    # The app's own services (one cache for the process), so the gate sees the same users as the pages.
    from cortexreel.ui.services import get_services

    return get_services()


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (never another host), else the start page."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_url(next_path: str) -> str:
    return f"{LOGIN_PATH}?{urlencode({'next': safe_next(next_path)})}"


def _needs_login(services: Services, token: str | None) -> bool:
    settings = services.settings
    if not settings.auth_required or accounts.needs_first_admin(services):
        return False  # no accounts, or the first admin is created on the app's own page
    return token is None or accounts.check_session(services, token) is None


class LoginGate(BaseHTTPMiddleware):
    """Page loads without a valid session go to the login form, carrying the address asked for."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        is_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
        if is_page and not path.startswith(_NOT_PAGES):
            token = request.cookies.get(SESSION_COOKIE)
            if await run_in_threadpool(_needs_login, _services(), token):
                wanted = path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(login_url(wanted), status_code=303)
        return await call_next(request)


async def login_page(request: Request) -> Response:
    """GET: the form. POST: check the password (with the lockout), set the cookie, go where the user was going."""
    next_path = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return _form(next_path)
    if not _same_origin(request):
        return _form(next_path, "This form must be sent from CortexReel itself.", status=403)
    form = await request.form()
    login, password = str(form.get("login", "")), str(form.get("password", ""))
    next_path = safe_next(str(form.get("next", next_path)))
    client = request.client.host if request.client else "unknown"
    services = _services()
    try:
        user = await run_in_threadpool(accounts.authenticate, services, login, password, client=client)
    except CortexReelError as error:
        return _form(next_path, error.message, login=login, status=401)
    token = accounts.issue_session(services, user.login)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(services.settings.session_hours * 3600),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


async def logout_page(request: Request) -> Response:
    """End every session of the user (all browsers) and drop the cookie."""
    services = _services()
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        session = await run_in_threadpool(accounts.check_session, services, token)
        if session is not None:
            await run_in_threadpool(accounts.revoke_sessions, services, session.login)
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _same_origin(request: Request) -> bool:
    """A login posted from another site is refused (login CSRF); browsers send Origin on every POST."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.url.netloc


def _form(next_path: str, message: str = "", *, login: str = "", status: int = 200) -> HTMLResponse:
    notice = f'<p class="error" role="alert">{escape(message)}</p>' if message else ""
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · CortexReel</title>
<style>
body {{ font-family: "Source Sans Pro", system-ui, sans-serif; background: #f6f6f8; color: #262730; margin: 0; }}
main {{ max-width: 360px; margin: 12vh auto; background: #fff; padding: 2rem 2.2rem; border-radius: 10px;
  box-shadow: 0 1px 6px rgba(0,0,0,.1); }}
h1 {{ font-size: 1.6rem; margin: 0 0 1.2rem 0; }}
label {{ display: block; font-size: .9rem; margin: .8rem 0 .3rem 0; }}
input {{ width: 100%; box-sizing: border-box; padding: .55rem; font-size: 1rem; border: 1px solid #ccc;
  border-radius: 6px; }}
button {{ margin-top: 1.3rem; width: 100%; padding: .6rem; font-size: 1rem; border: 0; border-radius: 6px;
  background: #ff4b4b; color: #fff; cursor: pointer; }}
.error {{ background: #fde8e8; color: #7d1a1a; padding: .6rem; border-radius: 6px; }}
</style></head>
<body><main>
<h1>🎬 CortexReel</h1>
{notice}
<form method="post" action="{escape(login_url(next_path))}">
<input type="hidden" name="next" value="{escape(next_path)}">
<label for="login">Login</label>
<input id="login" name="login" autocomplete="username" value="{escape(login)}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>
</main></body></html>"""
    return HTMLResponse(page, status_code=status)


def routes() -> list[Route]:
    global _mounted
    _mounted = True
    return [
        Route(LOGIN_PATH, login_page, methods=["GET", "POST"]),
        Route(LOGOUT_PATH, logout_page, methods=["GET"]),
    ]
