"""graphapp: a power map for tech accountability (Flask app factory)."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def _secret_key(app: Flask) -> str:
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
    from flask_smorest import Api

    from graphapp import config, db, errors, provision
    from graphapp.views import api, pages

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("GRAPHAPP_INSTANCE_PATH", str(ROOT / "instance")),
    )
    app.config.from_mapping(config.DEFAULTS)
    app.config.update({k: v for k, v in config.from_environment().items() if v is not None})
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)

    target = app.config.get("NEO4J_TARGET") or provision.resolve(app.config["NEO4J_INSTANCE"])
    db.init_app(app, target)
    errors.register(app)

    # CSRF on every form (templates carry {{ csrf_token() }}). The JSON API is exempt: it takes
    # no cookies-only form posts and will be protected by bearer tokens (issue 8).
    from flask_wtf.csrf import CSRFProtect

    csrf = CSRFProtect(app)
    csrf.exempt(api.blp)
    rest = Api(app)
    rest.register_blueprint(api.blp)
    app.register_blueprint(pages.bp)
    from graphapp.views import imports

    app.register_blueprint(imports.bp)
    from graphapp.views import engagements

    app.register_blueprint(engagements.bp)
    from graphapp import auth, security

    security.configure(app)  # cookie flags, security headers (docs/security.md)
    auth.init_app(app)  # accounts, roles, the sign-in gate on every route
    from graphapp.views import ui

    ui.init_app(app)  # navigation, languages, help pages, lists, suggestions, favicon
    errors.register(app)  # again, so ours win over the handlers flask-smorest registered
    return app
