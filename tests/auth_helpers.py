"""Signed-in test clients (tests/conftest.py makes every test client an admin by default).

The suite wipes the database between tests, users included, so a signed-in client re-creates
its user (a MERGE on a fixed id) before each request; the session cookie names that id.
"""

from __future__ import annotations

import contextlib
import secrets

from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from graphapp.store.db import DatabaseUnavailable

_HASH = generate_password_hash(secrets.token_hex(16), method="scrypt")
STAMP = "test-stamp"


def ensure_user(graph, role: str) -> str:
    """The test user for ``role`` (viewer, editor, admin), with an open server-side session
    (``test-session-<role>``), created when missing; its id."""
    from graphapp.auth import token_hash

    user_id = f"test-{role}"
    graph.write("auth.ensure_user", id=user_id, username=user_id, role=role, stamp=STAMP,
                password_hash=_HASH, session=token_hash(f"test-session-{role}"))
    return user_id


class SignedInClient(FlaskClient):
    """A test client signed in as ``role`` (None: anonymous)."""

    role: str | None = "admin"

    def __init__(self, *args, role: str | None = "admin", **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        if role:
            with self.session_transaction() as session:
                session["_user_id"] = f"test-{role}:{STAMP}:test-session-{role}"
                session["_fresh"] = True

    def open(self, *args, **kwargs):
        if self.role:
            with contextlib.suppress(DatabaseUnavailable):  # the request answers 503
                ensure_user(self.application.extensions["graphapp.graph"], self.role)
        return super().open(*args, **kwargs)


def client_as(app, role: str | None) -> SignedInClient:
    """A client signed in as ``role``; ``None`` for an anonymous one."""
    return app.test_client(role=role)
