"""Cached pages under wrk, this checkout and optionally others, round after round.

    .venv/bin/python bench/pages.py --instance bench1m / /investors/fund-0/exposure
    .venv/bin/python bench/pages.py --instance bench1m --against /tmp/old --rounds 2 /

For each round and checkout (``--against`` adds another worktree; each serves its own code:
gunicorn runs with the checkout as its working directory), it starts gunicorn (``--workers``
x ``--threads``, as bench/web.py's ``measure_pages``) on the local instance's graph with the
page cache on, signs a throwaway viewer in, warms each path up, and puts each path alone under
wrk (8 connections, ``--seconds``). It prints one row per checkout, round and path. Quicker
than bench/run.py's pages table (no cache-off runs), for side-by-side comparisons in a short
idle window. Only the throwaway account is written.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import web  # noqa: E402

from graphapp import auth  # noqa: E402
from graphapp.server import localserver, provision  # noqa: E402


def _label(checkout: Path) -> str:
    """The checkout's commit, with "+" when it has changes not committed (two worktrees on one
    commit, one of them changed, must not read alike)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(checkout), *args], capture_output=True,
                              text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or checkout.name
    changed = git("status", "--porcelain", "--untracked-files=no")
    return f"{checkout.name} {head}{'+' if changed else ''}"


def _pids(pattern: str) -> list[str]:
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
    return found.split()


def _cpu(pids: list[str]) -> float:
    return sum(localserver.process_cpu_seconds(p) or 0.0 for p in pids)


def measure(checkout: Path, target: provision.Neo4jTarget, paths: list[str], seconds: float,
            workers: int, threads: int, instance: str) -> list[dict]:
    """One gunicorn serving ``checkout``'s code; a wrk row per path, with the CPU the Neo4j
    server (the local ``instance``) and the gunicorn processes spent a request: on a shared
    machine a steadier comparison than latency."""
    graph = web.graph_for(target)
    name, password = f"bench-pages-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    auth.create_user(graph, name, "viewer", password)
    env = {**web.server_env(target, secrets.token_hex(32)), "GRAPHAPP_PAGE_CACHE": "1",
           "PYTHONPATH": str(checkout)}
    port = web.free_port()
    command = web.gunicorn_command(port, workers, threads)
    try:
        with web.serving(command, env, port, cwd=checkout) as base:
            cookie = web.login(base, name, password)
            rows = []
            servers = _pids(f"127.0.0.1:{port}")  # gunicorn's master and workers
            for path in paths:
                web.warm_up(base, [path], cookie, 8)
                neo4j, app = localserver.server_cpu_seconds(instance), _cpu(servers)
                row = web.row(path, web.run_wrk(base, [path], cookie, 8, seconds, 100_000))
                per_request = 1000 / max(1, row["requests"])
                after = localserver.server_cpu_seconds(instance)
                row["neo4j_cpu_ms"] = (None if neo4j is None or after is None
                                       else (after - neo4j) * per_request)
                row["app_cpu_ms"] = (_cpu(servers) - app) * per_request
                rows.append(row)
            return rows
    finally:
        graph.write("web.delete_user", username=name)
        graph.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--instance", required=True, help="a local instance holding a graph")
    parser.add_argument("--against", action="append", default=[], type=Path,
                        help="another checkout (a git worktree) to measure in turn")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    target = provision.start(args.instance, echo=lambda m: print(m, file=sys.stderr))
    load = os.getloadavg()
    print(f"Cached pages, wrk, 8 connections, gunicorn {args.workers} x {args.threads}, "
          f"{args.seconds:g} s a page; load average {load[0]:.1f} at the start\n")
    print("| checkout | round | page | p50 | p95 | req/s | errors | Neo4j CPU a request "
          "| gunicorn CPU a request |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for round_ in range(1, args.rounds + 1):
        for checkout in (ROOT, *args.against):
            label = _label(checkout)
            for r in measure(checkout.resolve(), target, args.paths, args.seconds, args.workers,
                             args.threads, args.instance):
                cpu = " | ".join("—" if r[k] is None else f"{r[k]:.2f} ms"
                                 for k in ("neo4j_cpu_ms", "app_cpu_ms"))
                print(f"| {label} | {round_} | `{r['server']}` | {r['p50_ms']:.1f} ms | "
                      f"{r['p95_ms']:.1f} ms | {r['rps']:.0f} | {r['errors']} | {cpu} |",
                      flush=True)


if __name__ == "__main__":
    main()
