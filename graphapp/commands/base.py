"""What every command shares: the common options and the one way an error reaches the
terminal (light: ``graphapp neo4j ...`` imports it without the Neo4j driver)."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from graphapp import config
from graphapp.errors import GraphappError

instance_option = click.option(
    "--instance", default=lambda: config.settings()["NEO4J_INSTANCE"],
    show_default="GRAPHAPP_NEO4J_INSTANCE, else dev",
    help="Which local server: 'dev' for the app, 'test' for the test suite.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def fail(message: str) -> NoReturn:
    """Print ``Error: message`` on stderr and exit 1."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def describe(exc: GraphappError) -> str:
    """An error as the terminal shows it: the message, then one line per bad field."""
    return "\n".join([exc.message] + [f"  {field}: {' '.join(map(str, messages))}"
                                      for fields in (exc.errors or {}).values()
                                      for field, messages in fields.items()])
