"""Configuration: defaults, then the environment. No real credentials live here."""

from __future__ import annotations

import os
from typing import Any


def from_environment() -> dict[str, Any]:
    """Settings read from ``GRAPHAPP_*`` and ``NEO4J_*`` variables."""
    return {
        "SECRET_KEY": os.environ.get("GRAPHAPP_SECRET_KEY"),
        "NEO4J_DATABASE": os.environ.get("NEO4J_DATABASE") or None,
        "NEO4J_INSTANCE": os.environ.get("GRAPHAPP_NEO4J_INSTANCE", "dev"),
        "MAX_CONTENT_LENGTH": int(os.environ.get("GRAPHAPP_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)),
        "STALE_MONTHS": (int(os.environ["GRAPHAPP_STALE_MONTHS"])
                         if os.environ.get("GRAPHAPP_STALE_MONTHS") else None),
        "ENGAGEMENT_OVERDUE_DAYS": (int(os.environ["GRAPHAPP_OVERDUE_DAYS"])
                                    if os.environ.get("GRAPHAPP_OVERDUE_DAYS") else None),
    }


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
}
