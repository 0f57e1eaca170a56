"""``graphapp db ...``, ``graphapp seed``, ``graphapp stats``: the graph's schema, initial loads
and counts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graphapp import entities, seeding
from graphapp.commands.base import fail, instance_option, json_option
from graphapp.commands.graph import graph_for
from graphapp.io import bulkload
from graphapp.server import localserver
from graphapp.store.records import RecordErrors


@click.group()
def db() -> None:
    """Set up the graph's schema."""


@db.command("init")
@instance_option
def db_init(instance: str) -> None:
    """Apply cypher/schema.cypher (constraints and indexes), idempotently."""
    with graph_for(instance) as graph:
        count = graph.init_schema()
    click.echo(f"Schema applied: {count} statements")


@db.command("bulk-load")
@instance_option
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "csv", "xlsx", "bods", "ftm", "gleif"]),
              help="The files' format; auto tells it from the extension and the content.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress bars or stage messages (only the outcome and problems).")
def db_bulk_load(instance: str, files: tuple[Path, ...], fmt: str, quiet: bool) -> None:
    """Initial load of FILES into an EMPTY local database with neo4j-admin import.

    Validated like `graphapp import` (any problem and nothing is loaded), then imported
    offline: the local server is stopped for the import and started again. Large GLEIF files
    are streamed: read, validated and written to the importer's CSVs chunk by chunk, in
    parallel processes (GRAPHAPP_BULK_WORKERS), never read whole. A database holding anything
    is refused (use `graphapp import`). See docs/import.md.
    """

    def echo(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    bars = not quiet and sys.stderr.isatty()
    try:
        bulkload.check_loadable(instance, echo)
        echo(f"Reading and validating {len(files)} file(s)...")
        recs, report, streams = bulkload.read_and_validate([(p, p.name) for p in files], fmt)
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        for note in report.notes:
            echo(f"Note: {note}")
        if not report.ok:
            fail(f"{len(report.problems)} problem(s): nothing was loaded.")
        stats = bulkload.bulk_load(
            instance, recs, echo,
            batches=bulkload.stream_batches(streams, bars) if streams else None, bars=bars)
    except bulkload.BulkLoadProblems as exc:
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        fail(str(exc))
    except (bulkload.BulkLoadError, localserver.LocalServerError) as exc:
        fail(str(exc))
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in stats["seconds"].items() if k != "total")
    click.echo(f"Bulk loaded {stats['nodes']} node(s) and {stats['relationships']} "
               f"relationship(s) in {stats['seconds']['total']:.1f} s ({stages}; peak memory "
               f"{stats['peak_rss_mb']:,.0f} MB, largest child process "
               f"{stats['peak_child_rss_mb']:,.0f} MB).")


@click.command()
@instance_option
@click.option("--dir", "seed_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Seed folder (default: seeds/).")
def seed(instance: str, seed_dir: Path | None) -> None:
    """Load the seed graph from seeds/*.yaml, idempotently (twice gives the same counts)."""
    with graph_for(instance) as graph:
        try:
            result = seeding.load_seed(graph, seed_dir or seeding.SEED_DIR)
        except RecordErrors as exc:
            fail("the seed is invalid, nothing was written:\n" + "\n".join(exc.lines))
    click.echo(f"Seed loaded: {result.nodes} nodes, {result.relationships} relationships")


@click.command()
@instance_option
@json_option
def stats(instance: str, as_json: bool) -> None:
    """Counts by label and relationship type, and relationships without a source."""
    with graph_for(instance) as graph:
        figures = entities.stats(graph, include_sensitive=True, exact=True)
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(f"{figures['nodes']} nodes, {figures['relationships']} relationships, "
               f"{figures['relationships_without_source']} without a source")
    for label, count in figures["labels"].items():
        click.echo(f"  {label:<24} {count:>8}")
    for rel_type, count in figures["relationship_types"].items():
        click.echo(f"  {rel_type:<24} {count:>8}")
