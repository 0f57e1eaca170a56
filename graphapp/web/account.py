"""Sign in and out; the admins' account page (users and roles)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user

from graphapp import audit, auth
from graphapp.errors import BadRequest
from graphapp.web.graph import get_graph

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no '//'), else home."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("pages.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; a wrong name or password gets one message for both."""
    error = None
    status = 200
    if request.method == "POST":
        name = request.form.get("name", "").strip()[:64]
        password = request.form.get("password", "")[:1024]
        user = auth.authenticate(get_graph(), name, password, request.remote_addr or "?")
        if user is not None:
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        error, status = "Wrong name or password.", 401
    return render_template("login.html", error=error,
                           next=request.args.get("next", "")), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST, so that a link elsewhere cannot sign you out)."""
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/users", methods=["GET"])
@auth.requires("admin")
def users():
    """Accounts and roles (admins only)."""
    return render_template("users.html", users=auth.list_users(get_graph()), roles=auth.ROLES)


@bp.route("/users", methods=["POST"])
@auth.requires("admin")
def users_change():
    """Create an account, or change a role; recorded in the audit trail."""
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
    else:
        raise BadRequest("Unknown action: use create or role.",
                         errors={"form": {"action": ["Unknown."]}})
    return redirect(url_for("auth.users"))
