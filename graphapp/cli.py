"""The ``graphapp`` command: the same capabilities as the web app, from a terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graphapp import localserver, provision


def _graph(instance: str):
    from graphapp.db import Graph

    return Graph(provision.resolve(instance))


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


instance_option = click.option(
    "--instance", default="dev", show_default=True,
    help="Which local server: 'dev' for the app, 'test' for the test suite.",
)


@click.group()
@click.version_option(package_name="graphapp")
def cli() -> None:
    """graphapp: who to pressure, and through whom, to get a tech harm fixed."""


# --- neo4j -------------------------------------------------------------------------------------


@cli.group()
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
        _fail(str(exc))
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
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def neo4j_status(instance: str, as_json: bool) -> None:
    """Print the Bolt URI and whether it answers (exit 1 when it does not)."""
    info = provision.status(instance)
    if as_json:
        click.echo(json.dumps(info))
    else:
        state = "answers" if info["answers"] else "does not answer"
        click.echo(f"Neo4j ({info['source']}, {instance}) at {info['uri']} {state}")
    sys.exit(0 if info["answers"] else 1)


# --- database ------------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Set up the graph's schema."""


@db.command("init")
@instance_option
def db_init(instance: str) -> None:
    """Apply cypher/schema.cypher (constraints and indexes), idempotently."""
    graph = _graph(instance)
    try:
        count = graph.init_schema()
    finally:
        graph.close()
    click.echo(f"Schema applied: {count} statements")


@db.command("bulk-load")
@instance_option
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "csv", "xlsx", "bods", "ftm", "gleif"]),
              help="The files' format; auto tells it from the extension and the content.")
def db_bulk_load(instance: str, files: tuple[Path, ...], fmt: str) -> None:
    """Initial load of FILES into an EMPTY local database with neo4j-admin import.

    Validated like `graphapp import` (any problem and nothing is loaded), then imported
    offline: the local server is stopped for the import and started again. A database holding
    anything is refused (use `graphapp import`). See docs/import.md.
    """
    from graphapp import bulkload

    def echo(message: str) -> None:
        click.echo(message, err=True)

    try:
        bulkload.check_loadable(instance, echo)
        echo(f"Reading and validating {len(files)} file(s)...")
        recs, report = bulkload.read_and_validate([(p, p.name) for p in files], fmt)
        for problem in report.problems:
            echo(f"  {problem}")
        for note in report.notes:
            echo(f"Note: {note}")
        if not report.ok:
            _fail(f"{len(report.problems)} problem(s): nothing was loaded.")
        stats = bulkload.bulk_load(instance, recs, echo)
    except (bulkload.BulkLoadError, localserver.LocalServerError) as exc:
        _fail(str(exc))
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in stats["seconds"].items() if k != "total")
    click.echo(f"Bulk loaded {stats['nodes']} node(s) and {stats['relationships']} "
               f"relationship(s) in {stats['seconds']['total']:.1f} s ({stages}).")


@cli.command()
@instance_option
@click.option("--dir", "seed_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Seed folder (default: seeds/).")
def seed(instance: str, seed_dir: Path | None) -> None:
    """Load the seed graph from seeds/*.yaml, idempotently (twice gives the same counts)."""
    from graphapp import seeding
    from graphapp.records import RecordErrors

    graph = _graph(instance)
    try:
        result = seeding.load_seed(graph, seed_dir or seeding.SEED_DIR)
    except RecordErrors as exc:
        _fail("the seed is invalid, nothing was written:\n" + "\n".join(exc.lines))
    finally:
        graph.close()
    click.echo(f"Seed loaded: {result.nodes} nodes, {result.relationships} relationships")


@cli.command()
@instance_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def stats(instance: str, as_json: bool) -> None:
    """Counts by label and relationship type, and relationships without a source."""
    from graphapp import entities

    graph = _graph(instance)
    try:
        figures = entities.stats(graph, include_sensitive=True, exact=True)
    finally:
        graph.close()
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(f"{figures['nodes']} nodes, {figures['relationships']} relationships, "
               f"{figures['relationships_without_source']} without a source")
    for label, count in figures["labels"].items():
        click.echo(f"  {label:<24} {count:>8}")
    for rel_type, count in figures["relationship_types"].items():
        click.echo(f"  {rel_type:<24} {count:>8}")


@cli.command()
@instance_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True)
def run(instance: str, host: str, port: int, debug: bool) -> None:
    """Serve the web app (development server)."""
    from graphapp import create_app

    app = create_app({"NEO4J_INSTANCE": instance})
    click.echo(f"graphapp serves http://{host}:{port}/", err=True)
    app.run(host=host, port=port, debug=debug, use_reloader=False)


# --- import, templates, exports (graphapp/importers/commands.py) ---------------------------------
from graphapp.importers import commands as _import_commands  # noqa: E402

_import_commands.register(cli, instance_option, _graph, _fail)


# --- escalation (graphapp/escalation.py) -------------------------------------------------------


@cli.command()
@instance_option
@click.argument("harm_id")
@click.option("--as-of", default=None, help="Answer for this date (YYYY[-MM[-DD]]); default today.")
@click.option("--min-confidence", default="alleged", show_default=True,
              type=click.Choice(["alleged", "reported", "confirmed"]),
              help="Drop paths with weaker evidence on any hop.")
@click.option("--kinds", default=None,
              help="Rungs to keep, comma-separated (local, subsidiary, team, person, leadership, "
                   "headquarters, investor, regulator, forum).")
@click.option("--max-hops", default=8, show_default=True, type=int)
@click.option("--limit", default=100, show_default=True, type=int)
@click.option("--org", default=None, help="Your Organization's id (shared forums count as access).")
@click.option("--sensitive", is_flag=True, help="Include sensitive people and contacts.")
@click.option("--dated-only", is_flag=True,
              help="With --as-of: leave out relationships with no start date.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def escalate(instance: str, harm_id: str, as_of: str | None, min_confidence: str,
             kinds: str | None, max_hops: int, limit: int, org: str | None, sensitive: bool,
             dated_only: bool, as_json: bool) -> None:
    """Print the escalation ladder for HARM_ID: ranked targets by rung, with why."""
    from graphapp import escalation
    from graphapp.errors import GraphappError

    graph = _graph(instance)
    try:
        result = escalation.escalate(graph, harm_id, as_of=as_of, min_confidence=min_confidence,
                                     kinds=kinds, max_hops=max_hops, limit=limit, org=org,
                                     include_sensitive=sensitive, dated_only=dated_only)
    except GraphappError as exc:
        _fail("\n".join([exc.message] + [f"  {field}: {' '.join(messages)}"
                                          for fields in (exc.errors or {}).values()
                                          for field, messages in fields.items()]))
    finally:
        graph.close()
    click.echo(json.dumps(result, indent=2) if as_json else escalation.ladder_table(result))



# --- leverage (graphapp/leverage.py) ------------------------------------------------------------


def _leverage_run(instance: str, work) -> dict:
    """Run one leverage capability; a bad id or parameter prints its message and exits 1."""
    from graphapp.errors import GraphappError

    graph = _graph(instance)
    try:
        return work(graph)
    except GraphappError as exc:
        _fail("\n".join([exc.message] + [f"  {field}: {' '.join(messages)}"
                                          for fields in (exc.errors or {}).values()
                                          for field, messages in fields.items()]))
    finally:
        graph.close()


_as_of_option = click.option("--as-of", default=None,
                             help="Stakes held on this date (YYYY[-MM[-DD]]); default: current.")
_depth_option = click.option("--max-depth", default=8, show_default=True, type=int,
                             help="Longest ownership chain followed, in hops (1-12).")
_sensitive_option = click.option("--sensitive", is_flag=True,
                                 help="Show sensitive holders and people instead of withholding.")
_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


class _CompanyByDefault(click.Group):
    """``leverage COMPANY_ID`` stays short: anything but a subcommand's name is a company."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["company", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_CompanyByDefault)
def leverage() -> None:
    """Who holds a company (leverage COMPANY_ID) or the most across the whole network
    (leverage network). A company whose id is 'network': leverage company network."""


@leverage.command("company")
@instance_option
@click.argument("company_id")
@_as_of_option
@_depth_option
@_sensitive_option
@_json_option
def leverage_company(instance: str, company_id: str, as_of: str | None, max_depth: int,
                     sensitive: bool, as_json: bool) -> None:
    """Who holds COMPANY_ID: direct stakes, look-through (economic, voting), controller."""
    from graphapp import leverage as capability

    result = _leverage_run(instance, lambda g: capability.company_leverage(
        g, company_id, as_of=as_of, max_depth=max_depth, include_sensitive=sensitive))
    click.echo(json.dumps(result, indent=2) if as_json else capability.leverage_table(result))


@leverage.command("network")
@instance_option
@_as_of_option
@click.option("--top", default=50, show_default=True, type=int,
              help="How many holders to list (1-1000).")
@_sensitive_option
@_json_option
def leverage_network(instance: str, as_of: str | None, top: int, sensitive: bool,
                     as_json: bool) -> None:
    """Who holds the most across the whole network: network value through every chain."""
    from graphapp import leverage as capability

    result = _leverage_run(instance, lambda g: capability.network_holders(
        g, as_of=as_of, top=top, include_sensitive=sensitive))
    click.echo(json.dumps(result, indent=2) if as_json else capability.network_table(result))


@cli.command()
@instance_option
@click.argument("investor_id")
@_as_of_option
@_depth_option
@_sensitive_option
@_json_option
def exposure(instance: str, investor_id: str, as_of: str | None, max_depth: int,
             sensitive: bool, as_json: bool) -> None:
    """What INVESTOR_ID holds through chains, and the harms linked to it, ranked."""
    from graphapp import leverage as capability

    result = _leverage_run(instance, lambda g: capability.investor_exposure(
        g, investor_id, as_of=as_of, max_depth=max_depth, include_sensitive=sensitive))
    click.echo(json.dumps(result, indent=2) if as_json else capability.exposure_table(result))


@cli.command()
@instance_option
@click.argument("company_id")
@_as_of_option
@click.option("--threshold", default=5.0, show_default=True, type=float,
              help="A major investor holds at least this % (economic or voting).")
@_sensitive_option
@_json_option
def interlocks(instance: str, company_id: str, as_of: str | None, threshold: float,
               sensitive: bool, as_json: bool) -> None:
    """Companies sharing board members or major investors with COMPANY_ID."""
    from graphapp import leverage as capability

    result = _leverage_run(instance, lambda g: capability.interlocks(
        g, company_id, as_of=as_of, threshold=threshold, include_sensitive=sensitive))
    click.echo(json.dumps(result, indent=2) if as_json else capability.interlocks_table(result))


# --- exports (graphapp/exports.py) --------------------------------------------------------------


@cli.command("export")
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
              type=click.Choice(["a4", "slide", "square"]), help="PNG/SVG size.")
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
@click.option("-o", "--output", "output", required=True,
              type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="The file to write (- for stdout).")
def export_command(instance: str, fmt: str, output: Path, entity_id: str | None,
                   include_sensitive: bool, **options) -> None:
    """Export a graph view as HTML, PNG, SVG, GraphML, GEXF, Kumu CSV (zip) or JSON.

    Sensitive people and relationships are redacted unless --include-sensitive.
    See docs/exports.md.
    """
    from marshmallow import ValidationError

    from graphapp import exports
    from graphapp.errors import GraphappError
    from graphapp.views.args import ExportArgs

    raw = {k: v for k, v in {**options, "id": entity_id, "format": fmt}.items()
           if v is not None}
    for key in ("labels", "countries", "kinds"):
        if key in raw:
            raw[key] = [raw[key]]
    try:
        args = ExportArgs().load(raw)
    except ValidationError as exc:
        _fail("\n".join(["Invalid option(s): " + ", ".join(sorted(exc.messages)) + "."]
                        + [f"  {k}: {' '.join(map(str, v))}"
                           for k, v in sorted(exc.messages.items())]))
    view = args.pop("view")
    args.pop("format")
    args.pop("include_sensitive")
    graph = _graph(instance)
    try:
        content, _, _ = exports.export(
            graph, view, fmt, include_sensitive=exports.may_include_sensitive(include_sensitive),
            **args)
    except GraphappError as exc:
        _fail("\n".join([exc.message] + [f"  {field}: {' '.join(messages)}"
                                          for fields in (exc.errors or {}).values()
                                          for field, messages in fields.items()]))
    finally:
        graph.close()
    if str(output) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(content)
        click.echo(f"{len(content):,} bytes written to {output}", err=True)


# --- accounts and API tokens (graphapp/auth_commands.py) -------------------------------------
from graphapp import auth_commands as _auth_commands  # noqa: E402

_auth_commands.register(cli, instance_option, _graph, _fail)


# --- engagements (graphapp/engagement_commands.py) ---------------------------------------------
from graphapp import engagement_commands as _engagement_commands  # noqa: E402

_engagement_commands.register(cli, instance_option, lambda name: _graph(name), _fail)


if __name__ == "__main__":
    cli()
