"""``graphapp run``: gunicorn (workers from the CPU count, threads, an access log, a graceful
restart on SIGHUP); the development server only with ``--debug``; ProxyFix with
GRAPHAPP_PROXY_HOPS, so that the sign-in throttle counts the client's address."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner
from flask import Flask

from graphapp.commands import serve
from graphapp.commands.cli import cli
from graphapp.web.app import create_app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return None


def _wait_for(predicate, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_run_takes_gunicorn_with_workers_from_the_cpu_count(app, monkeypatch):
    served = {}
    monkeypatch.setattr(serve, "create_app", lambda config: app)
    monkeypatch.setattr(serve, "serve", lambda make, options: served.update(options,
                                                                             app=make()))
    result = CliRunner().invoke(cli, ["run", "--port", "5099"])
    assert result.exit_code == 0, result.output
    assert served == {
        "bind": "127.0.0.1:5099", "workers": 2 * multiprocessing.cpu_count() + 1, "threads": 4,
        "worker_class": "gthread", "accesslog": "-", "errorlog": "-", "graceful_timeout": 30,
        "timeout": 120, "proc_name": "graphapp", "app": app}


def test_run_debug_takes_the_development_server(app, monkeypatch):
    ran = {}
    monkeypatch.setattr(serve, "create_app", lambda config: app)
    monkeypatch.setattr(serve, "serve", lambda *a: ran.update(gunicorn=True))
    monkeypatch.setattr(Flask, "run", lambda self, **kw: ran.update(kw))
    result = CliRunner().invoke(cli, ["run", "--debug", "--port", "5099"])
    assert result.exit_code == 0, result.output
    assert ran == {"host": "127.0.0.1", "port": 5099, "debug": True, "use_reloader": False}


def test_gunicorn_serves_logs_requests_and_restarts_gracefully(neo4j_target, graph, tmp_path):
    port = _free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "NEO4J_URI": neo4j_target.uri, "NEO4J_USER": neo4j_target.user,
           "NEO4J_PASSWORD": neo4j_target.password, "GRAPHAPP_SECRET_KEY": "serve-test",
           "GRAPHAPP_INSTANCE_PATH": str(tmp_path)}
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "graphapp.commands.cli", "run", "--port", str(port),
             "--workers", "2", "--threads", "2", "--graceful-timeout", "5"],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(lambda: _status(base + "/healthz") == 200), log.read_text()
        assert _status(base + "/login") == 200
        assert _wait_for(lambda: '"GET /login HTTP/1.1" 200' in log.read_text(), 10)
        text = log.read_text()
        assert "(gunicorn, 2 worker(s) x 2 thread(s))" in text
        assert text.count("Booting worker") == 2
        server.send_signal(signal.SIGHUP)  # a graceful restart: new workers, same master
        assert _wait_for(lambda: log.read_text().count("Booting worker") >= 4, 60)
        assert _status(base + "/healthz") == 200
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
        assert "Shutting down: Master" in log.read_text()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _throttle_keys(graph) -> list[str]:
    return sorted(r["key"] for r in graph.driver.execute_query(
        "MATCH (t:LoginThrottle) RETURN t.key AS key").records)


def test_proxy_hops_let_the_throttle_see_the_client_address(neo4j_target, empty_graph):
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    for hops, key in ((0, "addr:127.0.0.1"), (1, "addr:203.0.113.9")):
        empty_graph.driver.execute_query("MATCH (t:LoginThrottle) DETACH DELETE t")
        app = create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "t",
                          "WTF_CSRF_ENABLED": False, "GRAPHAPP_PROXY_HOPS": hops})
        response = app.test_client(role=None).post(
            "/login", data={"name": "nobody", "password": "wrong"}, headers=forwarded,
            environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert response.status_code == 401
        assert _throttle_keys(empty_graph) == [key, "name:nobody"]
