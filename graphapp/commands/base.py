"""What every command shares: the common options and the one way an error reaches the
terminal (light: ``graphapp neo4j ...`` imports it without the Neo4j driver)."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from graphapp import config
from graphapp.errors import GraphappError

instance_option = click.option(
    "--instance", default=lambda: config.settings()["NEO4J_INSTANCE"],
    show_default="GRAPHAPP_NEO4J_INSTANCE, else dev",
    help="Which local server: 'dev' for the app, 'test' for the test suite.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def fail(message: str) -> NoReturn:
    """Print ``Error: message`` on stderr and exit 1."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def describe(exc: GraphappError) -> str:
    """An error as the terminal shows it: the message, then one line per bad field."""
    return "\n".join([exc.message] + [f"  {field}: {' '.join(map(str, messages))}"
                                      for fields in (exc.errors or {}).values()
                                      for field, messages in fields.items()])


def database_gone(exc: BaseException) -> bool:
    """Whether ``exc`` means Neo4j went away (or said its database did): the driver's errors
    and ours. Imports the driver only when asked (an error is being handled)."""
    from neo4j.exceptions import DatabaseUnavailable as Neo4jDatabaseUnavailable
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    from graphapp.store.db import DatabaseUnavailable

    return isinstance(exc, DatabaseUnavailable | ServiceUnavailable | SessionExpired
                      | Neo4jDatabaseUnavailable)


def database_gone_message(command: str, exc: BaseException) -> str:
    """One line for a command whose database went away: what failed, what was written (nothing,
    unless the command commits several transactions and says so), how to retry."""
    uri = getattr(exc, "uri", None)
    reason = " ".join(str(exc).split())
    if "refused" in reason.lower():
        reason = "connection refused"
    elif len(reason) > 120:
        reason = reason[:117] + "..."
    server = f"Neo4j at {uri}" if uri else "Neo4j"
    written = getattr(exc, "written", None)
    written = f"Written: {written}." if written else "Nothing was written."
    return (f"{command} stopped: {server} stopped answering ({reason}). {written} Check it "
            "with `graphapp neo4j status` (start it with `graphapp neo4j start`), then run "
            f"the same command again; `graphapp --debug ...` shows the traceback.")


def quiet_driver_logs(debug: bool) -> None:
    """The Neo4j driver logs its retries and dropped connections; in a terminal they are noise
    around the one line that matters, so they are dropped unless ``--debug``."""
    import logging

    log = logging.getLogger("neo4j")
    if debug:
        logging.basicConfig(level=logging.WARNING)
        log.propagate = True
        return
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.propagate = False


LANGUAGES = ("en", "es", "fr", "pt")
language_option = click.option(
    "--lang", default="en", show_default=True, type=click.Choice(LANGUAGES),
    help="The language of the words drawn and written (titles, legends, captions).")


def in_language(lang: str):
    """A context in which graphapp's gettext speaks ``lang`` (the terminal is English
    otherwise): a bare Flask app with Flask-Babel and the project's catalogues, and a request
    context of its own, as the web app gives each request."""
    import contextlib

    if lang == "en":
        return contextlib.nullcontext()
    from flask import Flask
    from flask_babel import Babel

    app = Flask("graphapp.commands")
    Babel(app, locale_selector=lambda: lang,
          default_translation_directories=str(config.PROJECT_ROOT / "graphapp" / "translations"))
    return app.test_request_context()

