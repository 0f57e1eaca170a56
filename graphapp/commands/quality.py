"""``graphapp quality``: the data-quality report from a terminal (docs/evidence.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graphapp import seeding
from graphapp.commands.base import fail, instance_option, json_option
from graphapp.commands.graph import graph_for
from graphapp.evidence import quality as report
from graphapp.store.records import RecordErrors
from graphapp.store.schemas import check_partial_date


@click.command()
@instance_option
@click.option("--seed", "seed_dir", is_flag=False, flag_value="seeds", default=None,
              type=click.Path(file_okay=False, path_type=Path),
              help="Report on the seed files instead of the database (default folder: seeds/).")
@click.option("--as-of", default=None, help="Judge staleness as of this date; default today.")
@click.option("--stale-months", default=None, type=click.IntRange(1, 600),
              envvar="GRAPHAPP_STALE_MONTHS",
              help="A fact is stale when its as_of is older than this (default 18).")
@click.option("--sensitive", is_flag=True, help="Include sensitive entities and what touches them.")
@click.option("--all", "all_items", is_flag=True,
              help="List every item, not the first 10 per list.")
@json_option
def quality(instance: str, seed_dir: Path | None, as_of: str | None, stale_months: int | None,
            sensitive: bool, all_items: bool, as_json: bool) -> None:
    """What cannot be cited as it stands: single-source, tertiary-only and home-page-only claims,
    confirmed without a primary source, stale facts, derived figures without a method, and
    Persons who hold no office; counts per seed file, and where to fix each item."""
    if as_of:
        try:
            check_partial_date(as_of)
        except Exception as exc:
            click.echo(f"Error: --as-of: {getattr(exc, 'messages', [exc])[0]}", err=True)
            sys.exit(2)
    try:
        if seed_dir is not None:
            folder = seeding.SEED_DIR if str(seed_dir) == "seeds" else seed_dir
            result = report.from_seed(folder, on=as_of, months=stale_months)
        else:
            with graph_for(instance) as graph:
                result = report.from_graph(graph, include_sensitive=sensitive, on=as_of,
                                           months=stale_months)
    except RecordErrors as exc:
        fail("the seed cannot be read:\n" + "\n".join(exc.lines))
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo("\n".join(report.summary_lines(result, items=10**9 if all_items else 10)))
