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
from graphapp.server import provision  # noqa: E402


def _label(checkout: Path) -> str:
    """The checkout's commit, with "+" when it has changes not committed (two worktrees on one
    commit, one of them changed, must not read alike)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(checkout), *args], capture_output=True,
                              text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or checkout.name
    changed = git("status", "--porcelain", "--untracked-files=no")
    return f"{checkout.name} {head}{'+' if changed else ''}"


def measure(checkout: Path, target: provision.Neo4jTarget, paths: list[str], seconds: float,
            workers: int, threads: int) -> list[dict]:
    """One gunicorn serving ``checkout``'s code; a wrk row per path."""
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
            for path in paths:
                web.warm_up(base, [path], cookie, 8)
                rows.append(web.row(path, web.run_wrk(base, [path], cookie, 8, seconds,
                                                      100_000)))
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
    print("| checkout | round | page | p50 | p95 | req/s | errors |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for round_ in range(1, args.rounds + 1):
        for checkout in (ROOT, *args.against):
            label = _label(checkout)
            for r in measure(checkout.resolve(), target, args.paths, args.seconds, args.workers,
                             args.threads):
                print(f"| {label} | {round_} | `{r['server']}` | {r['p50_ms']:.1f} ms | "
                      f"{r['p95_ms']:.1f} ms | {r['rps']:.0f} | {r['errors']} |", flush=True)


if __name__ == "__main__":
    main()
