"""``graphapp run``: the web app on the development server."""

from __future__ import annotations

import click

from graphapp.commands.base import instance_option
from graphapp.web.app import create_app


@click.command()
@instance_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True)
def run(instance: str, host: str, port: int, debug: bool) -> None:
    """Serve the web app (development server)."""
    app = create_app({"NEO4J_INSTANCE": instance})
    click.echo(f"graphapp serves http://{host}:{port}/", err=True)
    app.run(host=host, port=port, debug=debug, use_reloader=False)
