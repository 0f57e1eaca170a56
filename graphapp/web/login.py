"""Signing in, in the web app: Flask-Login, the sign-in gate on every route, and the CSRF check
of the JSON API for browsers. The accounts, roles, sessions and tokens themselves are
graphapp.auth's (plain functions on a Graph)."""

from __future__ import annotations

import secrets

from flask import Flask, current_app, g, redirect, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from graphapp.auth import (
    OPEN_ENDPOINTS,
    Anonymous,
    Unauthorized,
    User,
    may_see_sensitive,
    user_for_token,
)
from graphapp.errors import BadRequest
from graphapp.store.db import DatabaseUnavailable
from graphapp.web import pagecache
from graphapp.web.graph import get_graph, reader_and_version


def public_read() -> bool:
    return bool(current_app.config.get("GRAPHAPP_PUBLIC_READ"))


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def check_api_csrf() -> None:
    """A cookie-signed-in write to the JSON API needs the CSRF token in ``X-CSRFToken``
    (the API blueprint is exempt from CSRFProtect's form check). Only a request that the token
    signed in needs none: an ``Authorization`` header beside a session cookie changes nothing."""
    if (request.method in ("GET", "HEAD", "OPTIONS") or g.get("signed_in_by") == "token"
            or not request.path.startswith("/api")
            or "csrf" not in current_app.extensions
            or not current_app.config.get("WTF_CSRF_ENABLED", True)):
        return
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError as exc:
        raise BadRequest(f"CSRF check failed: {exc}", title="CSRF token missing or invalid",
                         errors={"header": {"X-CSRFToken": [str(exc)]}}) from None


def init_app(app: Flask) -> None:
    """Flask-Login and the sign-in gate for every route (graphapp.web.app mounts the pages)."""
    manager = LoginManager()
    manager.anonymous_user = Anonymous
    manager.session_protection = "basic"
    manager.init_app(app)
    app.jinja_env.globals["may_see_sensitive"] = may_see_sensitive  # also in imported macros

    @manager.user_loader
    def _load(cookie_id: str) -> User | None:
        user_id, _, rest = cookie_id.partition(":")
        stamp, _, session_id = rest.partition(":")
        if not session_id:
            return None  # a cookie from before server-side sessions: sign in again
        try:
            user, version = reader_and_version((user_id, session_id))
        except DatabaseUnavailable:
            g._login_user = Anonymous()  # so that the 503 page renders without a retry
            raise
        pagecache.saw_version(version)
        if not user or not secrets.compare_digest(user.stamp or "", stamp):
            return None
        user.session = session_id
        g.signed_in_by = "session"
        return user

    @manager.request_loader
    def _load_from_token(req) -> User | None:
        token = bearer()
        if not token:
            return None
        try:
            user = user_for_token(get_graph(), token)
        except DatabaseUnavailable:
            g._login_user = Anonymous()
            raise
        if user is not None:
            g.signed_in_by = "token"
        return user

    @app.before_request
    def _gate():
        endpoint = request.endpoint or ""
        if endpoint in OPEN_ENDPOINTS or request.method == "OPTIONS":
            return None
        if bearer() and not current_user.is_authenticated:
            raise Unauthorized("The API token is not valid (or its user is disabled).")
        if current_user.is_authenticated:
            check_api_csrf()
            return None
        if public_read() and request.method in ("GET", "HEAD"):
            return None
        if request.path.startswith("/api") or request.method not in ("GET", "HEAD"):
            raise Unauthorized("Sign in first (or send an API token as "
                               "'Authorization: Bearer TOKEN').")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
