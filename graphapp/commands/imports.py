"""``graphapp import`` and ``graphapp templates``: files in, through the import pipeline."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from graphapp import audit
from graphapp.commands.base import fail, instance_option
from graphapp.commands.graph import graph_for
from graphapp.io import pipeline, templates

FORMAT_CHOICES = ("auto", "csv", "xlsx", "rdr", "bods", "ftm", "gleif")


class _Bars:
    """One tqdm progress bar per stage (reading, checking, writing), on stderr; none at all
    when ``enabled`` is false (not a terminal, --quiet, --json)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.stage: str | None = None
        self.bar = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if stage != self.stage:
            from tqdm import tqdm

            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=f"{stage:<12}", file=sys.stderr,
                            unit_scale=True, dynamic_ncols=True, leave=False)
        self.bar.update(max(0, done - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@click.command("import")
@instance_option
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="auto",
              show_default=True, help="The files' format; auto tells it from the extension "
                                      "and the content.")
@click.option("--skip-invalid", is_flag=True,
              help="Write the valid records and report the rest (default: any invalid "
                   "record and nothing is written).")
@click.option("--dry-run", is_flag=True,
              help="List the planned creates, updates and merges; write nothing.")
@click.option("--match-people-by-name", is_flag=True,
              help="Also merge people who share only a name and nationality (default: a "
                   "shared identifier, or name and date of birth; same-name people are "
                   "listed as possible same person).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", "-q", "--no-progress", "quiet", is_flag=True,
              help="No progress bars (there are none either when stderr is not a terminal).")
def import_command(instance: str, files: tuple[Path, ...], fmt: str, skip_invalid: bool,
                   dry_run: bool, match_people_by_name: bool, as_json: bool,
                   quiet: bool) -> None:
    """Import spreadsheets (CSV, XLSX, Kumu), BODS, GLEIF, FollowTheMoney or RDR files.

    Everything is validated first; any problem and nothing is written (each problem names
    the file, sheet, row and column). Records that share an identifier or a normalised
    name in the same country become one node. Importing the same files twice changes
    nothing. See docs/import.md.
    """
    bars = _Bars(enabled=not quiet and not as_json and sys.stderr.isatty())
    with graph_for(instance) as graph:
        trail = audit.ImportAudit(graph, f"cli:{getpass.getuser()}")
        try:
            report = pipeline.import_files(
                graph, [(p, p.name) for p in files], fmt=fmt, skip_invalid=skip_invalid,
                dry_run=dry_run, progress=bars, before_write=trail.before_write,
                people_by_name=match_people_by_name)
            trail.finish(report)
        finally:
            bars.close()
    if as_json:
        click.echo(report.to_json())
        sys.exit(0 if report.ok else 1)
    for problem in report.problems:
        click.echo(f"  {problem}", err=True)
    if dry_run:
        for action in report.plan.actions:
            click.echo(f"  {action}")
        hidden = sum(report.plan.counts.values()) - len(report.plan.actions)
        if hidden > 0:
            click.echo(f"  ... and {hidden} more")
    for maybe in report.plan.possible:
        click.echo(f"  possible same person: {maybe['id']!r} ({maybe['name']}) and "
                   f"{maybe['other_id']!r} ({maybe['other_name']}, {maybe['where']}): "
                   f"{maybe['why_not_merged']}; not merged")
    if report.skipped:
        click.echo(f"Left out ({len(report.skipped)}):", err=True)
        for problem in report.skipped:
            click.echo(f"  {problem}", err=True)
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    if not report.ok:
        fail(report.summary())
    click.echo(report.summary())


@click.command("templates")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def templates_command(directory: Path) -> None:
    """Write the import templates (XLSX, Kumu XLSX, one CSV per label and type) to DIRECTORY."""
    written = templates.write_templates(directory)
    click.echo(f"{len(written)} files written to {directory}")
