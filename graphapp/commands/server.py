"""``graphapp neo4j ...``: start, stop and check the Neo4j graphapp uses."""

from __future__ import annotations

import json
import sys

import click

from graphapp.commands.base import fail, instance_option, json_option
from graphapp.server import localserver, provision


@click.group()
def neo4j() -> None:
    """Start, stop and check the Neo4j server graphapp uses.

    NEO4J_URI when set; else docker compose when a Docker engine answers; else a local
    Neo4j Community server fetched from Maven Central and run with this machine's JDK.
    """


@neo4j.command("start")
@instance_option
def neo4j_start(instance: str) -> None:
    """Start Neo4j (a no-op when it already runs) and wait until Bolt answers."""
    try:
        target = provision.start(instance, echo=lambda m: click.echo(m, err=True))
    except (localserver.LocalServerError, OSError) as exc:
        fail(str(exc))
    click.echo(f"Neo4j ({target.source}) answers at {target.uri}")


@neo4j.command("stop")
@instance_option
@click.option("--all", "all_", is_flag=True, help="Stop every local instance.")
def neo4j_stop(instance: str, all_: bool) -> None:
    """Stop the local (or docker) Neo4j cleanly."""
    for name in localserver.instances() if all_ else [instance]:
        stopped = provision.stop(name)
        click.echo(f"Neo4j ({name}) {'stopped' if stopped else 'was not running'}")


@neo4j.command("status")
@instance_option
@json_option
def neo4j_status(instance: str, as_json: bool) -> None:
    """Print the Bolt URI and whether it answers (exit 1 when it does not)."""
    info = provision.status(instance)
    if as_json:
        click.echo(json.dumps(info))
    else:
        state = "answers" if info["answers"] else "does not answer"
        click.echo(f"Neo4j ({info['source']}, {instance}) at {info['uri']} {state}")
    sys.exit(0 if info["answers"] else 1)
