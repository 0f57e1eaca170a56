"""``graphapp escalate``: the escalation ladder of a harm, as a table (or JSON)."""

from __future__ import annotations

import json
from typing import Any

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
@click.option("--dated-only", is_flag=True,
              help="With --as-of: leave out relationships with no start date.")
@json_option
def escalate(instance: str, harm_id: str, as_of: str | None, min_confidence: str,
             min_evidence: str, kinds: str | None, max_hops: int, limit: int,
             org: str | None, sensitive: bool, dated_only: bool,
             as_json: bool) -> None:
    """Print the escalation ladder for HARM_ID: ranked targets by rung, with why."""
    with graph_for(instance) as graph:
        result = escalation.escalate(graph, harm_id, as_of=as_of, min_confidence=min_confidence,
                                     kinds=kinds, max_hops=max_hops, limit=limit, org=org,
                                     include_sensitive=sensitive, min_evidence=min_evidence,
                                     dated_only=dated_only)
    click.echo(json.dumps(result, indent=2) if as_json else ladder_table(result))


def ladder_table(result: dict[str, Any]) -> str:
    """The ladder as a plain-text table: one section per rung, one row per target."""
    f = result["filters"]
    when = f"today ({f['evaluated_on']})" if f["current"] else f["as_of"]
    lines = [f"Escalation from {result['start']['name']} ({result['start']['id']}), as of {when}, "
             f"evidence at least {f['min_confidence']}"
             + (f" and {f['min_evidence']}" if f["min_evidence"] != "none" else "")
             + f", at most {f['max_hops']} hops"]
    if result["no_path"] or result["message"]:
        lines.append(result["message"])
    if result["no_path"]:
        return "\n".join(lines)
    lines.append(f"{result['count']} of {result['total']} targets")
    header = f"{'#':>4}  {'score':>5}  {'hops':>4}  {'target':<32}  why"
    for rung in result["rungs"]:
        if not rung["targets"]:
            continue
        side = "" if rung["side"] == "ladder" else "  (beside the ladder)"
        lines += ["", f"== {rung['title']}{side}", header]
        for t in rung["targets"]:
            name = f"{t['name']} [{t['id']}]"
            name = name if len(name) <= 32 else name[:31] + "…"
            stale = (f" [{t['evidence']['stale_hops']} stale hop(s)]"
                     if t["evidence"]["stale_hops"] else "")
            why = f"{t['why']} {t['caveat']}" if t["caveat"] else t["why"]
            lines.append(f"{t['rank']:>4}  {t['score']:>5.3f}  {t['hops']:>4}  {name:<32}  "
                         f"{why}{stale}")
            lines += [f"{'':>4}  {'':>5}  {'':>4}  {'':<32}  also: {a['why']}" for a in t["also"]]
    return "\n".join(lines)
