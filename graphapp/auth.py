"""Accounts, roles and API tokens (Flask-Login; users live in Neo4j as ``:User``, not Entities).

Roles are ordered ``viewer < editor < admin``. Viewers read the non-sensitive graph; editors and
admins also see sensitive nodes and relationships and may write; admins manage accounts.

Stable API for views and other modules:

- ``requires(role)``: view decorator (401 when signed out, 403 when the role is too low);
- ``current_user``: Flask-Login's proxy (anonymous: ``role`` is None);
- ``may_see_sensitive(user)``: the right to see sensitive data (editor and admin);
- ``actor()``: the current user's name for the audit trail (``"anonymous"`` when none).

Sessions are Flask's signed cookie holding ``<user id>:<stamp>:<session id>``; the session
lives in Neo4j as ``(:Session)-[:SESSION_OF]->(:User)`` (only the id's SHA-256), and each request
looks both up, so any process can serve any request, signing out deletes the session (a copied
cookie dies with it), and a password or role change (new stamp) signs the user out everywhere.
API clients send ``Authorization: Bearer TOKEN``; only the token's SHA-256 is stored (tokens are
256 random bits, so a slow KDF adds nothing). A new password ends the user's tokens too.

Sign-in is throttled per client address and per account name, atomically in Neo4j
(``auth.throttle_take``): a backoff, never a lockout, and a device or address the user signed
in from before is not held back by failures on the account name (docs/security.md).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from flask_login import AnonymousUserMixin, UserMixin, current_user
from werkzeug.security import check_password_hash, generate_password_hash

from graphapp.errors import BadRequest, GraphappError
from graphapp.store.db import Graph, Tx

__all__ = ["ROLES", "User", "actor", "current_user", "may_see_sensitive", "requires"]

ROLES = ("viewer", "editor", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}
PASSWORD_METHOD = "scrypt"  # werkzeug: scrypt N=2**15, r=8, p=1, salted
MIN_PASSWORD_LENGTH = 12
THROTTLE_WINDOW = 15 * 60     # seconds: a count of failures older than this starts again
THROTTLE_FREE = 5             # the failure that starts the backoff (4 cost no wait)
THROTTLE_BASE = 30            # seconds: the first wait, doubled at each failure after
THROTTLE_MAX_WAIT = 15 * 60   # seconds: the longest wait (a backoff, never a lockout)
SESSION_LIFETIME = 12 * 3600  # seconds (as PERMANENT_SESSION_LIFETIME)
DEVICE_COOKIE = "graphapp_device"  # a random id: the devices a user signed in from
# Reached without signing in: health checks, the sign-in page, static files.
OPEN_ENDPOINTS = frozenset({"pages.healthz", "auth.login", "auth.logout", "static", "ui.favicon",
                            "ui.set_language"})

# A valid hash to check against when the name is unknown, so timing does not tell names apart.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


class Unauthorized(GraphappError):
    status = 401
    title = "Sign-in required"


class Forbidden(GraphappError):
    status = 403
    title = "Not allowed"


class TooManyAttempts(GraphappError):
    status = 429
    title = "Too many attempts"

    def __init__(self, message: str, wait: int = 0, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.wait = wait


class User(UserMixin):
    """A signed-in account (loaded from Neo4j on every request)."""

    def __init__(self, id: str, name: str, role: str, stamp: str = "", session: str = "",
                 language: str | None = None, **_: Any):
        self.id = id
        self.name = name
        self.role = role
        self.stamp = stamp
        self.session = session  # the server-side session's id (its cookie's), when signed in
        self.language = language  # the interface language picked in the menu (graphapp.web.ui)

    def get_id(self) -> str:
        return f"{self.id}:{self.stamp}:{self.session}"

    def has(self, role: str) -> bool:
        return RANK.get(self.role, -1) >= RANK[role]


class Anonymous(AnonymousUserMixin):
    name = "anonymous"
    role = None

    def has(self, role: str) -> bool:
        return False


def may_see_sensitive(user: Any = None) -> bool:
    """Whether ``user`` (default: the current one) may see sensitive nodes and relationships."""
    if user is None:
        user = current_user
    return bool(getattr(user, "is_authenticated", False)) and user.has("editor")


def actor(user: Any = None) -> str:
    """Who is acting, for the audit trail."""
    if user is None:
        user = current_user
    return user.name if getattr(user, "is_authenticated", False) else "anonymous"


def _deny(role: str) -> None:
    """Raise 401 (signed out) or 403 (role too low) unless the current user has ``role``."""
    if current_user.is_authenticated:
        if not current_user.has(role):
            raise Forbidden(f"This needs the {role} role; you are signed in as "
                            f"{current_user.name} ({current_user.role}).")
        return
    raise Unauthorized("Sign in first (or send an API token as 'Authorization: Bearer TOKEN').")


def requires(role: str) -> Callable:
    """View decorator: the current user must have at least ``role`` (viewer, editor, admin)."""
    if role not in RANK:
        raise ValueError(f"unknown role {role!r}")

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            _deny(role)
            return view(*args, **kwargs)

        wrapped.required_role = role  # type: ignore[attr-defined]
        return wrapped

    return decorate


# --- accounts (plain functions on a Graph; the CLI and the views call them) --------------------


def check_role(role: str) -> str:
    if role not in RANK:
        raise BadRequest(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.",
                         errors={"form": {"role": [f"Must be one of: {', '.join(ROLES)}."]}})
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadRequest(f"The password is too short ({MIN_PASSWORD_LENGTH} characters at least).",
                         errors={"form": {"password": ["Too short."]}})
    return password


def check_name(name: str) -> str:
    import re

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}", name or ""):
        raise BadRequest("A user name is 1 to 64 letters, digits, '.', '_', '@' or '-'.",
                         errors={"form": {"name": ["Invalid user name."]}})
    return name


def create_user(graph: Graph, name: str, role: str, password: str) -> dict[str, Any]:
    """A new account; BadRequest when the name is taken or a field is invalid."""
    from neo4j.exceptions import ConstraintError

    check_name(name)
    check_role(role)
    check_password(password)
    try:
        rows = graph.write("auth.create_user", id=str(uuid.uuid4()), username=name, role=role,
                           password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
                           stamp=secrets.token_hex(8))
    except ConstraintError:
        raise BadRequest(f"A user named {name!r} exists already.",
                         errors={"form": {"name": ["Taken."]}}) from None
    return rows[0]["user"]


def set_password(graph: Graph, name: str, password: str) -> dict[str, Any]:
    check_password(password)
    rows = graph.write("auth.set_password", username=name, stamp=secrets.token_hex(8),
                       password_hash=generate_password_hash(password, method=PASSWORD_METHOD))
    if not rows:
        raise BadRequest(f"No user named {name!r}.", errors={"form": {"name": ["Unknown."]}})
    return rows[0]["user"]


def set_role(graph: Graph, name: str, role: str) -> tuple[dict[str, Any], str]:
    """Change a user's role (signs them out); returns (user, role before)."""
    check_role(role)
    rows = graph.write("auth.set_role", username=name, role=role, stamp=secrets.token_hex(8))
    if not rows:
        raise BadRequest(f"No user named {name!r}.", errors={"form": {"name": ["Unknown."]}})
    return rows[0]["user"], rows[0]["before"]


def list_users(graph: Graph) -> list[dict[str, Any]]:
    return graph.read("auth.list_users")


def ensure_admin(graph: Graph, name: str = "admin") -> str | None:
    """On an empty user store, create an admin with a generated password and return it."""
    if graph.read("auth.count_users")[0]["count"]:
        return None
    password = secrets.token_urlsafe(18)
    create_user(graph, name, "admin", password)
    return password


def set_language(graph: Graph, user_id: str, language: str) -> None:
    """Remember the interface language on the account, so it follows the user."""
    graph.write("auth.set_language", id=user_id, language=language)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(graph: Graph, name: str, label: str = "") -> str:
    """A new API token for user ``name``; only its hash is stored, so print it now or lose it."""
    token = "gat_" + secrets.token_urlsafe(32)
    rows = graph.write("auth.create_token", username=name, id=str(uuid.uuid4()),
                       hash=token_hash(token), label=label)
    if not rows:
        raise BadRequest(f"No user named {name!r}.", errors={"form": {"name": ["Unknown."]}})
    return token


def list_tokens(graph: Graph, name: str | None = None) -> list[dict[str, Any]]:
    """API tokens (id, user, label, created, last used; never the hash) of ``name`` or all."""
    return graph.read("auth.list_tokens", username=name)


def revoke_token(graph: Graph, token_id: str, name: str | None = None) -> dict[str, Any]:
    """Delete a token (of ``name`` only, when given); BadRequest when there is none."""
    rows = graph.write("auth.revoke_token", id=token_id, username=name)
    if not rows:
        raise BadRequest(f"No API token with id {token_id!r}"
                         + (f" for {name!r}." if name else "."),
                         errors={"form": {"id": ["Unknown."]}})
    return rows[0]


def set_disabled(graph: Graph, name: str, disabled: bool) -> tuple[dict[str, Any], bool]:
    """Disable or enable an account (disabling ends its sessions); returns (user, before)."""
    rows = graph.write("auth.set_disabled", username=name, disabled=disabled,
                       stamp=secrets.token_hex(8))
    if not rows:
        raise BadRequest(f"No user named {name!r}.", errors={"form": {"name": ["Unknown."]}})
    return rows[0]["user"], rows[0]["before"]


def _user(row: dict[str, Any] | None) -> User | None:
    if not row or row.get("disabled"):
        return None
    return User(**{k: v for k, v in row.items() if k not in ("password_hash", "known")})


def users_by_sessions(graph: Graph, lookups: Sequence[tuple[str, str] | None],
                      ) -> list[tuple[User | None, str | None]]:
    """For each (user id, session id) the account that server-side session signs in (None when
    unknown, ended or disabled; a None lookup: a signed-out reader), each with the graph's
    version read in the same query (``Graph.version``): every page a reader opens needs both,
    and the request threads that need them at once share one query
    (graphapp/store/coalesce.py, graphapp/web/login.py)."""
    asked = [{"at": i, "id": lookup[0], "session": token_hash(lookup[1])}
             for i, lookup in enumerate(lookups) if lookup is not None]
    rows = graph.read("auth.users_by_sessions", lookups=asked)
    found = rows[0] if rows else {}
    users: dict[int, User | None] = {f["at"]: _user(f["user"]) for f in found.get("users") or []}
    version = found.get("graph_version")
    return [(users.get(i), version) for i in range(len(lookups))]


def user_for_token(graph: Graph, token: str) -> User | None:
    rows = graph.write("auth.user_by_token", hash=token_hash(token))
    return _user(rows[0]["user"]) if rows else None


def sign_in(graph: Graph, name: str, password: str, address: str,
            device: str = "") -> User | None:
    """The user, signed in with a new server-side session (``user.session``), when the password
    matches; None when not; TooManyAttempts while a backoff holds. ``device`` is the sign-in
    device cookie's value ("" when none).

    One write transaction does it all: it takes the throttle's keys (``auth.throttle_take``,
    their write locks held to the end, so concurrent guesses queue instead of all being
    checked), checks the password, then records a failure, or the success and the new session.
    So an attempt counts only when its answer is known: when Neo4j goes away in the middle (a
    503), the transaction rolls back and nothing is counted, not even a right password as a
    wrong one."""
    device_key = token_hash(device) if device else ""

    def attempt(tx: Tx) -> tuple[dict[str, Any], User | None]:
        rows = tx.run("auth.user_by_name", username=name, device=device_key, address=address)
        row = rows[0]["user"] if rows else None
        keys = [f"addr:{address}"]
        if not (row and row.get("known")):
            keys.append(f"name:{name.lower()}")
        taken = tx.run("auth.throttle_take", keys=keys, window=THROTTLE_WINDOW,
                       free=THROTTLE_FREE, base=THROTTLE_BASE, max_wait=THROTTLE_MAX_WAIT)[0]
        if not taken["allowed"]:
            return taken, None
        ok = check_password_hash(row["password_hash"] if row else _DUMMY_HASH, password)
        user = _user(row) if ok and row else None
        if user is None:
            return taken, None  # throttle_take counted the failure
        tx.run("auth.throttle_success", keys=keys, user_id=user.id, device=device_key,
               address=address)
        user.session = secrets.token_urlsafe(24)
        tx.run("auth.open_session", user_id=user.id, session=token_hash(user.session),
               address=address, lifetime=SESSION_LIFETIME)
        return taken, user

    taken, user = graph.write_tx(attempt)
    if not taken["allowed"]:
        raise TooManyAttempts(f"Too many failed sign-ins; try again in {taken['wait']} "
                              "second(s).", wait=taken["wait"])
    return user


def close_session(graph: Graph, session_id: str) -> None:
    """End a server-side session: its cookie, wherever copied, signs in no more."""
    if session_id:
        graph.write("auth.close_session", session=token_hash(session_id))
