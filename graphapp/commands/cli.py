"""The ``graphapp`` command: the same capabilities as the web app, from a terminal.

Each command lives with its kind (``graphapp.commands.escalation``, ``.leverage``, ``.imports``,
``.exports``, ``.engagements``, ``.users``, ``.database``, ``.server``, ``.serve``) and imports
its capability at its top. The group below loads a command's module only when that command
runs (click's lazy subcommands), so that ``graphapp neo4j status`` does not import Flask, the
Neo4j driver, numpy, scipy and pandas first (docs/architecture.md has the measurement).
"""

from __future__ import annotations

import importlib

import click

COMMANDS = {
    "neo4j": "server.neo4j",
    "db": "database.db",
    "seed": "database.seed",
    "stats": "database.stats",
    "run": "serve.run",
    "import": "imports.import_command",
    "templates": "imports.templates_command",
    "export": "exports.export_command",
    "export-ftm": "exports.export_ftm_command",
    "export-bods": "exports.export_bods_command",
    "escalate": "escalation.escalate",
    "quality": "quality.quality",
    "leverage": "leverage.leverage",
    "exposure": "leverage.exposure",
    "interlocks": "leverage.interlocks",
    "users": "users.users",
    "tokens": "users.tokens",
    "engagements": "engagements.engagements",
}


class LazyGroup(click.Group):
    """A group whose commands (``COMMANDS``: name -> module.attribute in graphapp.commands) are
    imported when first used; the pattern of click's documentation, "Lazily Loading
    Subcommands"."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module, attribute = COMMANDS[name].rsplit(".", 1)
            return getattr(importlib.import_module(f"graphapp.commands.{module}"), attribute)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup)
@click.version_option(package_name="graphapp")
def cli() -> None:
    """graphapp: who to pressure, and through whom, to get a tech harm fixed."""


if __name__ == "__main__":
    cli()
