"""The Flask app factory: configuration, the Neo4j driver, and every blueprint, mounted here."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from graphapp import config
from graphapp.server import provision
from graphapp.web import (
    account,
    api,
    assets,
    engagements,
    errors,
    graph,
    history,
    imports,
    login,
    pagecache,
    pages,
    quality,
    security,
    ui,
)


def secret_key(app: Flask) -> str:
    """GRAPHAPP_SECRET_KEY, else one generated once into the instance folder (git-ignored).

    The file appears whole and mode 600 in one step (a hard link), so app processes starting
    together (gunicorn workers) all read the one key the first of them wrote."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # mode 600
        try:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_hex(32))
            with contextlib.suppress(FileExistsError):  # another process won: read its key
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config -> Neo4j driver -> error handlers -> blueprints."""
    app = Flask(
        "graphapp",
        template_folder=str(config.PROJECT_ROOT / "templates"),
        static_folder=str(config.PROJECT_ROOT / "static"),
        instance_path=config.instance_path(),
    )
    app.config.from_mapping(config.settings(test_config))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app)

    target = app.config.get("NEO4J_TARGET") or provision.resolve(app.config["NEO4J_INSTANCE"])
    graph.init_app(app, target)
    errors.register(app)
    mount(app)
    security.configure(app)  # cookie flags, security headers (docs/security.md)
    assets.init_app(app)  # static files compressed, versioned and cached by browsers
    pagecache.init_app(app)  # pages kept per graph version (graphapp/web/pagecache.py)
    hops = int(app.config.get("GRAPHAPP_PROXY_HOPS") or 0)
    if hops:  # behind a proxy: the client's address (the sign-in throttle), scheme and host
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    login.init_app(app)  # accounts, roles, the sign-in gate on every route
    ui.init_app(app)  # navigation, languages, help pages, lists, suggestions, favicon
    errors.register(app)  # again, so ours win over the handlers flask-smorest registered
    return app


def mount(app: Flask) -> None:
    """Every blueprint, in one place. CSRF on every form (templates carry
    {{ csrf_token() }}); the JSON API is exempt from the form check (bearer tokens, or the
    X-CSRFToken header for a signed-in browser: graphapp.auth)."""
    csrf = CSRFProtect(app)
    csrf.exempt(api.blp)
    api.GraphappApi(app).register_blueprint(api.blp)
    for blueprint in (pages.bp, imports.bp, engagements.bp, account.bp, history.bp, quality.bp):
        app.register_blueprint(blueprint)
