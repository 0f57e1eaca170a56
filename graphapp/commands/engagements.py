"""``graphapp engagements ...``: overdue engagements, responsiveness, turnover."""

from __future__ import annotations

import json

import click

from graphapp import engagement
from graphapp.commands.base import instance_option, json_option
from graphapp.commands.graph import graph_for


@click.group()
def engagements() -> None:
    """Letters, responses and commitments: what is overdue, who answers, who left."""


@engagements.command("overdue")
@instance_option
@click.option("--days", type=int, default=None,
              help="Overdue after more than N days (default "
                   f"{engagement.DEFAULT_OVERDUE_DAYS}).")
@click.option("--as-of", default=None,
              help="Answer for this day (YYYY[-MM[-DD]]); default today.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (as the dashboard's download).")
@json_option
def overdue(instance: str, days: int | None, as_of: str | None, as_csv: bool,
            as_json: bool) -> None:
    """Engagements with no answer after N days, or recorded as no response."""
    with graph_for(instance) as graph:
        # read and printed a batch at a time (the list may hold tens of thousands)
        rows = engagement.overdue_rows(graph, days=days, as_of=as_of)
        if as_json:
            click.echo(json.dumps(list(rows), indent=2, ensure_ascii=False))
        elif as_csv:
            for chunk in engagement.overdue_csv(rows):
                click.echo(chunk, nl=False)
        else:
            printed = 0
            for e in rows:
                to = ", ".join(t.get("name") or t["id"] for t in e["to"])
                click.echo(f"{e['days_waiting']:>5} days  {e['state']:<11}  {e['id']}  "
                           f"{e['date']}  {e['kind']} to {to}: {e['name']}")
                printed += 1
            if not printed:
                click.echo("Nothing overdue.")


@engagements.command("responsiveness")
@instance_option
@click.argument("company_id")
@click.option("--days", type=int, default=None, help="Overdue after more than N days.")
@click.option("--as-of", default=None, help="Answer for this day; default today.")
def responsiveness(instance: str, company_id: str, days: int | None,
                   as_of: str | None) -> None:
    """Response rate and median response time of a company, its teams and people (JSON)."""
    with graph_for(instance) as graph:
        result = engagement.responsiveness(graph, company_id, days=days, as_of=as_of)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


@engagements.command("turnover")
@instance_option
@click.option("--as-of", default=None, help="Answer for this day; default today.")
@click.option("--sensitive", is_flag=True, help="Include contacts (HAS_CONTACT, sensitive).")
def turnover(instance: str, as_of: str | None, sensitive: bool) -> None:
    """Contacts and engagements to re-establish after someone left their role."""
    with graph_for(instance) as graph:
        flags = engagement.turnover(graph, as_of=as_of, include_sensitive=sensitive)
    for f in flags:
        click.echo(f["message"])
    if not flags:
        click.echo("Nothing to re-establish.")
