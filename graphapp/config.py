"""Configuration, read here and nowhere else: defaults, then the environment.

The web app (``create_app``), the ``graphapp`` command, provisioning, the local server and the
bulk loader all take their settings from this module, so that one variable means the same to
all of them (``NEO4J_DATABASE`` once reached the web app only, and ``graphapp seed`` wrote to
the home database). Values are read when asked for, so a changed environment is seen at once.
No real credentials live here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "API_TITLE": "graphapp API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "JSON_SORT_KEYS": False,
    "SEARCH_LIMIT": 50,
    # An engagement with no answer after more than this many days is overdue (?days= overrides).
    "ENGAGEMENT_OVERDUE_DAYS": 30,
    # A current fact whose as_of is older than this many months is flagged stale (docs/evidence.md).
    "STALE_MONTHS": 18,
    # Neo4j: a request must not hang when the database is away; answer 503 quickly instead.
    "NEO4J_CONNECTION_TIMEOUT": 3.0,
    "NEO4J_RETRY_SECONDS": 2.0,
    "NEO4J_DATABASE": None,  # None: the server's home database
    "NEO4J_INSTANCE": "dev",
    "GRAPHAPP_HTTPS": False,  # Secure cookies (docs/security.md)
    "GRAPHAPP_PUBLIC_READ": False,  # signed-out visitors may read the non-sensitive graph
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host (0: none, so
    # those headers are ignored; the sign-in throttle counts the address that connected).
    "GRAPHAPP_PROXY_HOPS": 0,
    # Pages kept per graph version in each process (graphapp/web/pagecache.py); 0 turns it off.
    "GRAPHAPP_PAGE_CACHE": True,
    "GRAPHAPP_PAGE_CACHE_MB": 64,
}


def _flag(name: str) -> bool | None:
    value = os.environ.get(name)
    return None if value is None else value == "1"


# A command in a terminal may wait for Neo4j longer than a web request (graphapp.commands).
COMMAND_SETTINGS: dict[str, Any] = {"NEO4J_CONNECTION_TIMEOUT": 5.0, "NEO4J_RETRY_SECONDS": 15.0}


def from_environment() -> dict[str, Any]:
    """Settings read from ``GRAPHAPP_*`` and ``NEO4J_*`` variables (None: not set)."""
    return {
        "SECRET_KEY": os.environ.get("GRAPHAPP_SECRET_KEY"),
        "NEO4J_DATABASE": os.environ.get("NEO4J_DATABASE") or None,
        "NEO4J_INSTANCE": os.environ.get("GRAPHAPP_NEO4J_INSTANCE") or None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("GRAPHAPP_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)),
        "STALE_MONTHS": (int(os.environ["GRAPHAPP_STALE_MONTHS"])
                         if os.environ.get("GRAPHAPP_STALE_MONTHS") else None),
        "ENGAGEMENT_OVERDUE_DAYS": (int(os.environ["GRAPHAPP_OVERDUE_DAYS"])
                                    if os.environ.get("GRAPHAPP_OVERDUE_DAYS") else None),
        "GRAPHAPP_HTTPS": _flag("GRAPHAPP_HTTPS"),
        "GRAPHAPP_PUBLIC_READ": _flag("GRAPHAPP_PUBLIC_READ"),
        "GRAPHAPP_PROXY_HOPS": (int(os.environ["GRAPHAPP_PROXY_HOPS"])
                                if os.environ.get("GRAPHAPP_PROXY_HOPS") else None),
        "GRAPHAPP_PAGE_CACHE": _flag("GRAPHAPP_PAGE_CACHE"),
        "GRAPHAPP_PAGE_CACHE_MB": (float(os.environ["GRAPHAPP_PAGE_CACHE_MB"])
                                   if os.environ.get("GRAPHAPP_PAGE_CACHE_MB") else None),
    }


def settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The app's settings: the defaults, then the environment, then ``overrides`` (tests, the
    command line). ``create_app`` and the ``graphapp`` command both start from these."""
    merged = dict(DEFAULTS)
    merged.update({k: v for k, v in from_environment().items() if v is not None})
    merged.update(overrides or {})
    return merged


def instance_path() -> str:
    """The Flask instance folder (the generated secret key lives there)."""
    return os.environ.get("GRAPHAPP_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))


# --- where Neo4j comes from (graphapp.server) ------------------------------------------------


def neo4j_uri() -> tuple[str, str, str] | None:
    """``NEO4J_URI`` with ``NEO4J_USER`` and ``NEO4J_PASSWORD`` when set: any server."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")


def docker_disabled() -> bool:
    """``GRAPHAPP_NO_DOCKER``: never try Docker, even when an engine answers."""
    return bool(os.environ.get("GRAPHAPP_NO_DOCKER"))


def neo4j_home() -> Path:
    """Where local servers live (``GRAPHAPP_NEO4J_HOME``, default ``.neo4j`` in the project)."""
    return Path(os.environ.get("GRAPHAPP_NEO4J_HOME", PROJECT_ROOT / ".neo4j"))


def java_home() -> Path | None:
    return Path(os.environ["JAVA_HOME"]) if os.environ.get("JAVA_HOME") else None


def instance_port(instance: str) -> str | None:
    """``GRAPHAPP_NEO4J_<INSTANCE>_PORT``: the Bolt port wanted for a local instance."""
    return os.environ.get(f"GRAPHAPP_NEO4J_{instance.upper()}_PORT")


def server_memory() -> tuple[str, str]:
    """A local server's heap and page cache (``GRAPHAPP_NEO4J_HEAP``, ``..._PAGECACHE``)."""
    return (os.environ.get("GRAPHAPP_NEO4J_HEAP", "1g"),
            os.environ.get("GRAPHAPP_NEO4J_PAGECACHE", "512m"))


def bulk_memory() -> tuple[str, str, list[str]]:
    """The offline importer's heap, off-heap memory and extra options (``GRAPHAPP_BULK_*``)."""
    return (os.environ.get("GRAPHAPP_BULK_HEAP", "1g"),
            os.environ.get("GRAPHAPP_BULK_MEMORY", "2g"),
            os.environ.get("GRAPHAPP_BULK_OPTIONS", "").split())


def child_environment(**extra: str) -> dict[str, str]:
    """The environment for a Neo4j process graphapp starts: ours, plus ``extra``."""
    return {**os.environ, **extra}
