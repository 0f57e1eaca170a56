"""Benchmark: the web app under a real load generator, gunicorn against the Flask dev server.

``measure()`` starts gunicorn (gthread workers) on a free loopback port, pointed at a Neo4j
target through ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD``, waits for ``/healthz``, signs
a throwaway reader account in through the real ``/login`` form, requests every path once (each
must answer 2xx), then runs ``wrk`` with ``bench/web.lua``: it cycles through the paths with the
session cookie and stops after ``max_requests`` responses or ``seconds``, whichever comes first,
and prints p50/p95/p99 from wrk's own latency histogram. Then the same against the baseline, the
Flask development server as ``flask run`` serves it (werkzeug, threaded), in the same run. The
servers are stopped and the account deleted even on error.

    .venv/bin/python bench/web.py --instance web --seconds 10
    .venv/bin/python bench/web.py --instance web --paths /harms/X,/api/harms/X/escalation

The load generator is ``wrk`` when it is installed (``make bench-tools`` says how). Without it,
a small threaded client of the standard library's ``http.client`` sends the same load (each of
``connections`` threads keeps one connection alive and waits for each response before the next
request), and every table says which one measured. It runs on the same cores as the servers, as
wrk does, but costs more CPU per request.

``measure_pages()`` measures each page on its own (harm, entity, leverage, exposure of the
largest fund, search, home), with the page cache on and off (``GRAPHAPP_PAGE_CACHE``).

The graph is read, never written (but for the account).
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from itertools import cycle
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphapp import auth  # noqa: E402
from graphapp.server import provision  # noqa: E402
from graphapp.store.cypher import Queries, load, parse  # noqa: E402
from graphapp.store.db import Graph  # noqa: E402

QUERIES = parse(Path(__file__).with_name("web.cypher"))
LUA = Path(__file__).with_name("web.lua")
USER_AGENT = "graphapp-bench-web"  # login and wrk send the same (Flask-Login session protection)
WRK_THREADS = 1  # one event loop drives every connection; the cores are for the servers
BASELINE = "flask dev server (baseline)"


def graph_for(target: provision.Neo4jTarget) -> Graph:
    """A Graph that also knows this benchmark's queries (bench/web.cypher)."""
    return Graph(target, queries=Queries({**load(), **QUERIES}))


def default_paths(graph: Graph) -> list[str]:
    """Representative pages of whatever graph is loaded: a harm page (escalation ladder), an
    entity page, the escalation API, a company leverage page and a search."""
    pages = default_pages(graph)
    return [pages["harm page"], pages["entity page"], pages["escalation API"],
            pages["company leverage page"], pages["search"]]


def default_pages(graph: Graph) -> dict[str, str]:
    """Every page issue 19 budgets, by name: the harm page, an entity page, a company's
    leverage page, the exposure page of the investor with the most direct holdings, a search,
    the home page; and the escalation API."""
    harm = graph.read("web.harm")
    company = graph.read("web.company")
    fund = graph.read("web.largest_fund")
    if not harm or not company or not fund:
        raise ValueError("the graph needs a Harm that INVOLVES something, a Company with "
                         "owners and an Investor (load the seed: graphapp seed --instance NAME)")
    h, c, f = (urllib.parse.quote(x[0]["id"], safe="") for x in (harm, company, fund))
    word = (company[0]["name"] or company[0]["id"]).split()[0]
    return {"harm page": f"/harms/{h}", "entity page": f"/entities/{c}",
            "escalation API": f"/api/harms/{h}/escalation",
            "company leverage page": f"/companies/{c}/leverage",
            f"investor exposure page ({fund[0]['holdings']:,} direct holdings)":
                f"/investors/{f}/exposure",
            "search": "/?" + urllib.parse.urlencode({"q": word}), "home page": "/"}


# --- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(target: provision.Neo4jTarget, secret: str) -> dict[str, str]:
    """The environment that points a server process at ``target`` (graphapp/config.py)."""
    env = {**os.environ, "NEO4J_URI": target.uri, "NEO4J_USER": target.user,
           "NEO4J_PASSWORD": target.password, "GRAPHAPP_SECRET_KEY": secret}
    for name in ("GRAPHAPP_PUBLIC_READ", "GRAPHAPP_HTTPS", "FLASK_DEBUG"):
        env.pop(name, None)
    return env


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
            "--graceful-timeout", "5", "--log-level", "warning", "graphapp:create_app()"]


def flask_command(port: int) -> list[str]:
    """``flask run``: werkzeug's development server, threaded, no debugger or reloader."""
    return [sys.executable, "-m", "flask", "--app", "graphapp:create_app()", "run",
            "--host", "127.0.0.1", "--port", str(port)]


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int,
            timeout: float = 90, cwd: Path = ROOT) -> Iterator[str]:
    """Run a server until the block ends; yield its base URL once /healthz answers 200."""
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield _wait_healthy(proc, f"http://127.0.0.1:{port}", log, timeout)
        finally:
            _stop(proc)


def _wait_healthy(proc: subprocess.Popen, base: str, log, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[2]} exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
                if r.status == 200:
                    return base
        except OSError:  # refused, 503, timeout (URLError and HTTPError are OSErrors)
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base}/healthz did not answer in {timeout:.0f}s:\n{_tail(log)}")
        time.sleep(0.3)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the server's own process group (gunicorn master and workers), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)  # the group we started (start_new_session)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(wait)
            return


def _tail(log, size: int = 3000) -> str:
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-size:]


# --- a signed-in client ------------------------------------------------------------------------


def login(base: str, name: str, password: str) -> str:
    """Sign in through the /login form (CSRF token included); the ``Cookie`` header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    with opener.open(base + "/login", timeout=30) as r:
        page = r.read().decode("utf-8")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    form = {"name": name, "password": password, **({"csrf_token": token[1]} if token else {})}
    with opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=30) as r:
        r.read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if not cookie or "/login" in r.url:
        raise RuntimeError(f"signing in as {name!r} at {base} failed")
    return cookie


def get(base: str, path: str, cookie: str) -> tuple[int, str]:
    """GET with the session cookie: the status and the final URL (redirects followed)."""
    request = urllib.request.Request(base + path,
                                     headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=600) as r:  # a first exposure: minutes
            r.read()
            return r.status, r.url
    except urllib.error.HTTPError as exc:
        return exc.code, base + path


SLOW_SECONDS = 10  # wrk's --timeout: a page slower than this is timed once, not put under load


def timed_get(base: str, path: str, cookie: str) -> float:
    """One request alone, in milliseconds; anything but a 2xx page stops the benchmark."""
    start = time.perf_counter()
    status, url = get(base, path, cookie)
    if not 200 <= status < 300 or urllib.parse.urlparse(url).path == "/login":
        raise ValueError(f"GET {path} answered {status} ({url}), not a 2xx page")
    return (time.perf_counter() - start) * 1000


def warm_up(base: str, paths: list[str], cookie: str, connections: int) -> None:
    """Each path once (anything but 2xx stops the benchmark: it would measure errors), then
    each path ``connections`` times at once, so that every worker and thread has its Neo4j
    connection and compiled templates before wrk starts."""
    for path in paths:
        status, url = get(base, path, cookie)
        if not 200 <= status < 300 or urllib.parse.urlparse(url).path == "/login":
            raise ValueError(f"GET {path} answered {status} ({url}), not a 2xx page")
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(lambda path: get(base, path, cookie), paths * connections))


# --- wrk ---------------------------------------------------------------------------------------


def run_wrk(base: str, paths: list[str], cookie: str, connections: int, seconds: float,
            max_requests: int) -> dict[str, Any]:
    """One wrk run, bounded by ``seconds`` and ``max_requests``; its JSON line, parsed.

    When every wrk thread has had its share of responses (it prints ``LIMIT``), wrk gets SIGINT:
    that ends its -d sleep and it reports at once instead of idling until -d."""
    wrk = shutil.which("wrk")
    if not wrk:
        return run_threads(base, paths, cookie, connections, seconds, max_requests)
    threads = min(WRK_THREADS, connections)
    per_thread = math.ceil(max_requests / threads)
    duration = max(1, math.ceil(seconds))  # wrk takes whole seconds
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s",
               "--timeout", f"{SLOW_SECONDS}s", "-s", str(LUA), "-H", f"Cookie: {cookie}",
               "-H", f"User-Agent: {USER_AGENT}",
               base, "--", str(per_thread), *paths]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as proc:
        killer = threading.Timer(duration + 60, proc.kill)
        killer.start()
        try:
            out, limits = [], 0
            for line in proc.stdout:
                out.append(line)
                limits += line.strip() == "LIMIT"
                if limits == threads and line.strip() == "LIMIT":
                    proc.send_signal(signal.SIGINT)
            proc.wait()
        finally:
            killer.cancel()
    stdout = "".join(out)
    line = next((ln for ln in out if ln.startswith("JSON ")), None)
    if proc.returncode or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{stdout}")
    return json.loads(line[5:])


def load_generator() -> str:
    """Which load generator measures: wrk, or the threaded client when wrk is missing."""
    return "wrk" if shutil.which("wrk") else "Python threads (wrk is not installed)"


def run_threads(base: str, paths: list[str], cookie: str, connections: int, seconds: float,
                max_requests: int) -> dict[str, Any]:
    """The same load as wrk without wrk: ``connections`` threads, each with one keep-alive
    connection, cycling through ``paths`` until ``max_requests`` responses or ``seconds``.
    Returns the numbers wrk's script prints (latencies in microseconds)."""
    host, port = urllib.parse.urlparse(base).netloc.split(":")
    headers = {"Cookie": cookie, "User-Agent": USER_AGENT}
    latencies: list[float] = []
    errors = {"non2xx": 0, "connect": 0, "read": 0, "write": 0, "timeout": 0}
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    finished = [started]

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        order = cycle(paths[offset % len(paths):] + paths[:offset % len(paths)])
        while time.perf_counter() < deadline:
            with lock:
                if len(latencies) + sum(errors.values()) >= max_requests:
                    return
            path = next(order)
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 300
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
                with lock:
                    errors["read"] += 1
                continue
            t1 = time.perf_counter()
            with lock:
                if ok:
                    latencies.append(t1 - t0)
                else:
                    errors["non2xx"] += 1
                finished[0] = max(finished[0], t1)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ordered = sorted(latencies) or [0.0]

    def pct_us(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1e6

    return {"requests": len(latencies) + sum(errors.values()), **errors,
            "active_us": (finished[0] - started) * 1e6, "p50_us": pct_us(.5),
            "p95_us": pct_us(.95), "p99_us": pct_us(.99)}


def row(server: str, raw: dict[str, Any]) -> dict[str, Any]:
    """One result row from wrk's numbers (latencies in ms; the rate over the time from the
    first request to the last response, shorter than -d when ``max_requests`` ended the run)."""
    seconds = raw["active_us"] / 1e6
    errors = raw["non2xx"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {"server": server, "requests": raw["requests"], "errors": errors,
            "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
            "p50_ms": round(raw["p50_us"] / 1000, 2), "p95_ms": round(raw["p95_us"] / 1000, 2),
            "p99_ms": round(raw["p99_us"] / 1000, 2), "seconds": round(seconds, 2)}


# --- the measurement -------------------------------------------------------------------------


def measure(target: provision.Neo4jTarget, paths: list[str], connections: int = 8,
            seconds: float = 10, max_requests: int = 20000, workers: int = 2,
            threads: int = 4) -> list[dict]:
    """gunicorn, then the Flask dev server, under the same wrk load; one dict per server."""
    if not paths or any(not p.startswith("/") for p in paths):
        raise ValueError(f"paths must be absolute paths like /harms/x: {paths!r}")
    name = f"bench-web-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    secret = secrets.token_hex(32)
    env = server_env(target, secret)
    servers = [(f"gunicorn ({workers} worker{'s' * (workers != 1)} x {threads} "
                f"thread{'s' * (threads != 1)})",
                lambda port: gunicorn_command(port, workers, threads)),
               (BASELINE, flask_command)]
    graph = graph_for(target)
    rows = []
    try:
        auth.create_user(graph, name, "viewer", password)
        for server, command in servers:
            port = free_port()
            with serving(command(port), env, port) as base:
                cookie = login(base, name, password)
                warm_up(base, paths, cookie, connections)
                raw = run_wrk(base, paths, cookie, connections, seconds, max_requests)
            rows.append(row(server, raw))
    finally:
        try:
            graph.write("web.delete_user", username=name)
        finally:
            graph.close()
    return rows


def measure_pages(target: provision.Neo4jTarget, pages: dict[str, str], connections: int = 8,
                  seconds: float = 10, max_requests: int = 3000, workers: int = 2,
                  threads: int = 4) -> dict[str, dict[str, dict]]:
    """Each page on its own under the load, through gunicorn, with the page cache on and then
    off (``GRAPHAPP_PAGE_CACHE=0``, every request computed and rendered): {"cached" | "uncached":
    {page name: row}}.

    With the cache off, each page's first request is timed alone before the load: a page
    whose one request takes longer than wrk's timeout (``SLOW_SECONDS``) is not put under load
    (every request of it would time out), and its row holds only that time (``first_ms``)."""
    name = f"bench-web-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    secret = secrets.token_hex(32)
    graph = graph_for(target)
    out: dict[str, dict[str, dict]] = {}
    try:
        auth.create_user(graph, name, "viewer", password)
        for mode, flag in (("cached", "1"), ("uncached", "0")):
            env = {**server_env(target, secret), "GRAPHAPP_PAGE_CACHE": flag}
            port = free_port()
            with serving(gunicorn_command(port, workers, threads), env, port) as base:
                cookie = login(base, name, password)
                out[mode] = {}
                for page, path in pages.items():
                    if mode == "uncached":
                        first_ms = timed_get(base, path, cookie)
                        if first_ms > SLOW_SECONDS * 1000:
                            out[mode][page] = {"server": page, "first_ms": first_ms}
                            continue
                    warm_up(base, [path], cookie, connections)
                    out[mode][page] = row(page, run_wrk(base, [path], cookie, connections,
                                                        seconds, max_requests))
    finally:
        try:
            graph.write("web.delete_user", username=name)
        finally:
            graph.close()
    return out


def table(rows: list[dict]) -> str:
    """Markdown: one row per server, then gunicorn / baseline for rps and p95."""
    lines = ["| server | requests | errors | rps | p50 ms | p95 ms | p99 ms | seconds |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['server']} | {r['requests']} | {r['errors']} | {r['rps']:.1f} | "
              f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['seconds']:.1f} |"
              for r in rows]
    base = next((r for r in rows if r["server"] == BASELINE), None)
    for r in rows:
        if base and r is not base and base["rps"] and base["p95_ms"]:
            lines.append(f"| ratio {r['server'].split()[0]} / baseline | | | "
                         f"{r['rps'] / base['rps']:.2f}x | | {r['p95_ms'] / base['p95_ms']:.2f}x"
                         " | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", required=True, help="the Neo4j instance holding a graph")
    parser.add_argument("--paths", default=None,
                        help="comma-separated paths (default: default_paths() of the graph)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    target = provision.start(args.instance, echo=lambda m: print(m, file=sys.stderr))
    if args.paths:
        paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    else:
        graph = graph_for(target)
        try:
            paths = default_paths(graph)
        finally:
            graph.close()
    rows = measure(target, paths, connections=args.connections, seconds=args.seconds,
                   max_requests=args.max_requests, workers=args.workers, threads=args.threads)
    print(f"wrk: {args.connections} connections, at most {args.seconds:g}s and "
          f"{args.max_requests} requests per server; paths: {', '.join(paths)}\n")
    print(table(rows))


if __name__ == "__main__":
    main()
