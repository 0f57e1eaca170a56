"""``graphapp export``, ``graphapp export-ftm``, ``graphapp export-bods``: graph views and the
whole graph out, in the formats other tools read."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from graphapp import errors, exports
from graphapp.commands.base import describe, fail, in_language, instance_option, language_option
from graphapp.commands.graph import graph_for
from graphapp.errors import GraphappError
from graphapp.exports.options import ExportOptions
from graphapp.io import bods_export, ftm

file_argument = click.argument(
    "file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
include_sensitive_option = click.option(
    "--include-sensitive", is_flag=True,
    help="Include sensitive entities and relationships (left out by default).")


@click.command("export")
@instance_option
@click.option("--view", required=True,
              type=click.Choice(["escalation", "entity", "investor", "company", "graph"]),
              help="escalation (--harm), entity (--id, --depth), investor (--id), company "
                   "(--id: who holds it), graph (the whole graph, filtered).")
@click.option("--format", "fmt", default="html", show_default=True,
              type=click.Choice(["html", "png", "svg", "graphml", "gexf", "csv", "json"]),
              help="csv: a zip of Kumu elements.csv and connections.csv.")
@click.option("--id", "entity_id", default=None, help="The entity, investor or company.")
@click.option("--harm", default=None, help="The harm (--view escalation).")
@click.option("--depth", default=1, show_default=True, type=int,
              help="Hops around the entity (--view entity), 1 to 3.")
@click.option("--size", default="slide", show_default=True,
              type=click.Choice(exports.SIZES),
              help="PNG/SVG size: a4 (print), slide (16:9), square, social (4:5 portrait).")
@click.option("--include-sensitive", is_flag=True,
              help="Show sensitive people and relationships instead of placeholders.")
@click.option("--title", default=None, help="A title instead of the view's own.")
@click.option("--caption", default=None, help="A caption instead of the view's own.")
@click.option("--labels", default=None, help="--view graph: labels, comma-separated.")
@click.option("--countries", default=None, help="--view graph: ISO codes, comma-separated.")
@click.option("--min-confidence", default=None,
              type=click.Choice(["alleged", "reported", "confirmed"]))
@click.option("--as-of", default=None, help="Relationships active on this date (YYYY[-MM[-DD]]).")
@click.option("--kinds", default=None, help="--view escalation: rungs, comma-separated.")
@click.option("--max-hops", default=None, type=int, help="--view escalation: longest path.")
@click.option("--max-depth", default=None, type=int,
              help="--view investor/company: longest ownership chain.")
@click.option("--limit", default=None, type=int,
              help="--view escalation: targets; --view graph: nodes.")
@click.option("--org", default=None, help="--view escalation: your Organization's id.")
@language_option
@click.option("-o", "--output", "output", required=True,
              type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="The file to write (- for stdout).")
def export_command(instance: str, fmt: str, output: Path, entity_id: str | None,
                   include_sensitive: bool, lang: str, **options) -> None:
    """Export a graph view as HTML, PNG, SVG, GraphML, GEXF, Kumu CSV (zip) or JSON.

    Sensitive people and relationships are redacted unless --include-sensitive. Titles,
    legends and captions are in English unless --lang names another language.
    See docs/exports.md.
    """
    raw = {k: v for k, v in {**options, "id": entity_id, "format": fmt}.items()
           if v is not None}
    for key in ("labels", "countries", "kinds"):
        if key in raw:
            raw[key] = [raw[key]]
    try:
        args = errors.load(ExportOptions(), raw, "options")
    except GraphappError as exc:
        fail(describe(exc))
    view = args.pop("view")
    args.pop("format")
    args.pop("include_sensitive")
    with graph_for(instance) as graph, in_language(lang):
        content, _, _ = exports.export(
            graph, view, fmt, include_sensitive=exports.may_include_sensitive(include_sensitive),
            **args)
    if str(output) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(content)
        click.echo(f"{len(content):,} bytes written to {output}", err=True)


@click.command("export-ftm")
@instance_option
@file_argument
@include_sensitive_option
def export_ftm_command(instance: str, file: Path, include_sensitive: bool) -> None:
    """Export the graph as FollowTheMoney entities (JSON lines) to FILE (- for stdout)."""
    with graph_for(instance) as graph:
        count = write_lines(file, ftm.export_lines(graph, include_sensitive=include_sensitive))
    click.echo(f"{count} FollowTheMoney entities written to {file}", err=True)


@click.command("export-bods")
@instance_option
@file_argument
@include_sensitive_option
def export_bods_command(instance: str, file: Path, include_sensitive: bool) -> None:
    """Export companies, people, arrangements, states and undisclosed owners, with their stakes,
    control, roles, arrangement parties and declared indirect interests, as BODS 0.4 JSON to FILE.

    The statements are checked by libcovebods (the BODS 0.4 schema and its additional checks)
    before they are written; importing the file gives the same graph back.
    """
    with graph_for(instance) as graph:
        statements = bods_export.export_statements(graph, include_sensitive=include_sensitive)
    problems = bods_export.schema_problems(statements)
    if problems:
        fail("the export is not valid BODS 0.4:\n" + "\n".join(problems[:50]))
    text = json.dumps(statements, indent=2, ensure_ascii=False)
    if str(file) == "-":
        click.echo(text)
    else:
        file.write_text(text + "\n", encoding="utf-8")
    click.echo(f"{len(statements)} BODS 0.4 statements written to {file}", err=True)


def write_lines(file: Path, lines: Iterable[str]) -> int:
    """Write ``lines`` to ``file`` (``-``: stdout), one a line; return how many."""
    count = 0
    if str(file) == "-":
        for line in lines:
            click.echo(line)
            count += 1
        return count
    with open(file, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(line + "\n")
            count += 1
    return count
