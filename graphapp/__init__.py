"""graphapp: a power map for tech accountability.

The layers (docs/architecture.md): ``web`` and ``commands`` call the capabilities (escalation,
engagement, leverage, exports, entities, audit, auth, seeding), which read and write through
``store``; ``io`` reads and writes files; ``server`` provides the Neo4j.

``create_app`` (the Flask app factory, :mod:`graphapp.web.app`) is loaded when first asked for,
not with the package: ``import graphapp.store.model`` (the CLI, the importers, a script) must not
import Flask, every blueprint and every capability (about 1 s more for ``graphapp --help``).
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from graphapp.web.app import create_app

        return create_app
    raise AttributeError(f"module 'graphapp' has no attribute {name!r}")
