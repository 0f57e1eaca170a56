"""``graphapp run``: the web app on gunicorn; the development server only with ``--debug``.

gunicorn runs ``workers`` processes (default: 2 x CPUs + 1, gunicorn's own advice) of
``threads`` threads each (gthread), logs every request to stderr, and restarts gracefully: a
``SIGHUP`` to the master starts new workers and lets the old ones finish their requests, a
``SIGTERM`` stops after the requests in flight (``--graceful-timeout`` seconds at most). Any
worker may serve any request: sessions, the sign-in throttle and the secret key live in Neo4j
and the instance folder, not in a process. Behind a reverse proxy, set ``GRAPHAPP_PROXY_HOPS``
so that the app sees the client's address (graphapp.web.app).
"""

from __future__ import annotations

import multiprocessing

import click

from graphapp.commands.base import instance_option
from graphapp.web.app import create_app


def default_workers() -> int:
    return 2 * multiprocessing.cpu_count() + 1


def gunicorn_options(host: str, port: int, workers: int, threads: int,
                     graceful_timeout: int) -> dict:
    """gunicorn's settings for ``graphapp run`` (a dict of its config names)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",  # one line per request, on stderr with the server's own log
        "errorlog": "-",
        "graceful_timeout": graceful_timeout,
        "timeout": 120,  # an export or a large import may take a while
        "proc_name": "graphapp",
    }


def serve(make_app, options: dict) -> None:
    """Run the app under gunicorn with ``options`` until it is stopped; each worker makes its
    own (``make_app()``: a Neo4j driver is not shared across a fork)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return make_app()

    Server().run()


@click.command()
@instance_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="Worker processes (default: 2 x CPUs + 1).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Threads per worker.")
@click.option("--graceful-timeout", default=30, show_default=True, type=int,
              help="Seconds a stopping or restarting worker may finish its requests in.")
@click.option("--debug", is_flag=True,
              help="Flask's development server with the debugger, for development only.")
def run(instance: str, host: str, port: int, workers: int | None, threads: int,
        graceful_timeout: int, debug: bool) -> None:
    """Serve the web app with gunicorn (SIGHUP restarts the workers gracefully); --debug: the
    development server."""
    if debug:
        click.echo(f"graphapp serves http://{host}:{port}/ (development server)", err=True)
        create_app({"NEO4J_INSTANCE": instance}).run(host=host, port=port, debug=True,
                                                     use_reloader=False)
        return
    workers = workers or default_workers()
    click.echo(f"graphapp serves http://{host}:{port}/ (gunicorn, {workers} worker(s) x "
               f"{threads} thread(s))", err=True)
    serve(lambda: create_app({"NEO4J_INSTANCE": instance}),
          gunicorn_options(host, port, workers, threads, graceful_timeout))
