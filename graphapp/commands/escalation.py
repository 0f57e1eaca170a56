"""``graphapp escalate``: the escalation ladder of a harm, as a table (or JSON)."""

from __future__ import annotations

import json

import click

from graphapp import escalation
from graphapp.commands.base import instance_option, json_option
from graphapp.commands.graph import graph_for


@click.command()
@instance_option
@click.argument("harm_id")
@click.option("--as-of", default=None, help="Answer for this date (YYYY[-MM[-DD]]); default today.")
@click.option("--min-confidence", default="alleged", show_default=True,
              type=click.Choice(["alleged", "reported", "confirmed"]),
              help="Drop paths with weaker evidence on any hop.")
@click.option("--min-evidence", default="none", show_default=True,
              type=click.Choice(["none", "tertiary", "secondary", "corroborated", "primary"]),
              help="Drop paths whose weakest hop rests on less (docs/evidence.md).")
@click.option("--kinds", default=None,
              help="Rungs to keep, comma-separated (local, subsidiary, team, person, leadership, "
                   "headquarters, investor, regulator, forum).")
@click.option("--max-hops", default=8, show_default=True, type=int)
@click.option("--limit", default=100, show_default=True, type=int)
@click.option("--org", default=None, help="Your Organization's id (shared forums count as access).")
@click.option("--sensitive", is_flag=True, help="Include sensitive people and contacts.")
@json_option
def escalate(instance: str, harm_id: str, as_of: str | None, min_confidence: str,
             min_evidence: str, kinds: str | None, max_hops: int, limit: int,
             org: str | None, sensitive: bool,
             as_json: bool) -> None:
    """Print the escalation ladder for HARM_ID: ranked targets by rung, with why."""
    with graph_for(instance) as graph:
        result = escalation.escalate(graph, harm_id, as_of=as_of, min_confidence=min_confidence,
                                     kinds=kinds, max_hops=max_hops, limit=limit, org=org,
                                     include_sensitive=sensitive, min_evidence=min_evidence)
    click.echo(json.dumps(result, indent=2) if as_json else escalation.ladder_table(result))
