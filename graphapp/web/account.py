"""Sign in and out; your API tokens (/account); the admins' account page (users, roles,
disabled accounts)."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from graphapp import audit, auth
from graphapp.errors import BadRequest
from graphapp.web.graph import get_graph

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, else home: one '/' then no second '/', no backslash or control
    character anywhere (browsers drop tabs and newlines, so that ``/%09/evil.example/``, decoded,
    would become ``//evil.example/``, another site; a CR or LF would break the header), no
    scheme or host."""
    from urllib.parse import urlsplit

    if (not target or not target.startswith("/") or target.startswith(("//", "/\\"))
            or "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target)):
        return url_for("pages.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("pages.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; a wrong name or password gets one message for both."""
    error = None
    status = 200
    if request.method == "POST":
        name = request.form.get("name", "").strip()[:64]
        password = request.form.get("password", "")[:1024]
        address = request.remote_addr or "?"
        known_device = request.cookies.get(auth.DEVICE_COOKIE, "")[:64]
        device = known_device or secrets.token_urlsafe(24)  # this browser's, from now on
        graph = get_graph()
        try:
            user = auth.sign_in(graph, name, password, address, device)
        except auth.TooManyAttempts as exc:
            response = make_response(render_template("login.html", error=exc.message,
                                                     next=request.args.get("next", "")), 429)
            response.headers["Retry-After"] = str(exc.wait)
            return response
        if user is not None:
            session.clear()
            login_user(user)
            response = redirect(_safe_next(request.args.get("next")))
            if not known_device:
                response.set_cookie(auth.DEVICE_COOKIE, device,
                                    max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                                    secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
            return response
        error, status = "Wrong name or password.", 401
    return render_template("login.html", error=error,
                           next=request.args.get("next", "")), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST, so that a link elsewhere cannot sign you out): the server-side session
    ends, so the cookie, wherever it was copied, signs in no more."""
    if current_user.is_authenticated:
        auth.close_session(get_graph(), getattr(current_user, "session", ""))
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET"])
@auth.requires("viewer")
def account():
    """Your API tokens: when each was made and last used; make one, or revoke one."""
    return render_template("account.html",
                           tokens=auth.list_tokens(get_graph(), current_user.name),
                           new_token=session.pop("new_token", None))


@bp.route("/account", methods=["POST"])
@auth.requires("viewer")
def account_change():
    """Make an API token (shown once, on the next page) or revoke one of yours."""
    graph = get_graph()
    action = request.form.get("action", "")
    name = current_user.name
    if action == "create-token":
        label = request.form.get("label", "").strip()[:100]
        session["new_token"] = auth.create_token(graph, name, label)
        audit.record(graph, auth.actor(), "token.create", f"user:{name}", None, {"label": label})
    elif action == "revoke-token":
        revoked = auth.revoke_token(graph, request.form.get("id", ""), name)
        audit.record(graph, auth.actor(), "token.revoke", f"user:{name}",
                     {"label": revoked["label"]}, None)
    else:
        raise BadRequest("Unknown action: use create-token or revoke-token.",
                         errors={"form": {"action": ["Unknown."]}})
    return redirect(url_for("auth.account"))


@bp.route("/users", methods=["GET"])
@auth.requires("admin")
def users():
    """Accounts and roles (admins only)."""
    return render_template("users.html", users=auth.list_users(get_graph()), roles=auth.ROLES)


@bp.route("/users", methods=["POST"])
@auth.requires("admin")
def users_change():
    """Create an account, change a role, disable or enable one; recorded in the audit trail."""
    graph = get_graph()
    action = request.form.get("action", "")
    name = request.form.get("name", "").strip()
    role = request.form.get("role", "")
    if action == "create":
        user = auth.create_user(graph, name, role, request.form.get("password", ""))
        audit.record(graph, auth.actor(), "user.create", f"user:{name}", None,
                     {"name": user["name"], "role": user["role"]})
    elif action == "role":
        user, before = auth.set_role(graph, name, role)
        audit.record(graph, auth.actor(), "user.role", f"user:{name}", {"role": before},
                     {"role": user["role"]})
    elif action in ("disable", "enable"):
        if action == "disable" and name == current_user.name:
            raise BadRequest("You cannot disable your own account (another admin can).",
                             errors={"form": {"name": ["Your own account."]}})
        user, before = auth.set_disabled(graph, name, action == "disable")
        audit.record(graph, auth.actor(), f"user.{action}", f"user:{name}",
                     {"disabled": before}, {"disabled": user["disabled"]})
    else:
        raise BadRequest("Unknown action: use create, role, disable or enable.",
                         errors={"form": {"action": ["Unknown."]}})
    return redirect(url_for("auth.users"))
