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

from graphapp.commands import base

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

    def invoke(self, ctx: click.Context):
        """Run the command; when Neo4j goes away, one line and exit 3 instead of a traceback
        (``--debug``: the traceback and the driver's logs)."""
        words = [a for a in [*getattr(ctx, "_protected_args", []), *ctx.args]
                 if not a.startswith("-")]  # before the subcommands consume them
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if ctx.meta.get("graphapp.debug") or not base.database_gone(exc):
                raise
            click.echo("Error: " + base.database_gone_message(_command_line(self, ctx, words),
                                                              exc), err=True)
            ctx.exit(3)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module, attribute = COMMANDS[name].rsplit(".", 1)
            return getattr(importlib.import_module(f"graphapp.commands.{module}"), attribute)
        return super().get_command(ctx, name)


def _command_line(group: click.Group, ctx: click.Context, words: list[str]) -> str:
    """``graphapp users create``: the command that ran (its group's subcommand too)."""
    name = ctx.invoked_subcommand or (words[0] if words else "")
    if isinstance(group.get_command(ctx, name), click.Group):
        return " ".join(["graphapp", *words[:2]])
    return f"graphapp {name}".strip()


@click.group(cls=LazyGroup)
@click.version_option(package_name="graphapp")
@click.option("--debug", is_flag=True, envvar="GRAPHAPP_DEBUG",
              help="On a failure, show the traceback and the Neo4j driver's logs.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """graphapp: who to pressure, and through whom, to get a tech harm fixed."""
    ctx.meta["graphapp.debug"] = debug
    base.quiet_driver_logs(debug)


if __name__ == "__main__":
    cli()
