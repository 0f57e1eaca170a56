"""The investor exposure page of the largest fund (issue 19): first request and cached ones.

On a graph already loaded in a local instance (bench/generate.py, or bench/run.py --keep), for
the public investor with the most direct holdings (or ``--investor``), it times:

- ``leverage.exposure_ranking``: the downstream subgraph and the harm links read as columns,
  solved and ranked (once per graph version and reader: the web caches it);
- ``leverage.exposure_page`` for holdings and harms pages 1, 2 and 40 on that ranking;
- the page through the Flask test client, signed in as a throwaway viewer: the first request
  (ranking, interlocks, rendering), the same page again (the page cache), page 2 (the ranking
  cached, that page computed), page 2 again, and the JSON API's first page;
- with ``--whole``, ``leverage.investor_exposure`` (every holding and harm shaped: the command
  line and the exports).

    .venv/bin/python bench/exposure.py --instance bench_perf [--investor fund-0] [--whole]

Against an older checkout (``PYTHONPATH=that/checkout``), whose exposure is worked out whole
(no ``exposure_ranking``), it times ``investor_exposure`` and the pages. It writes nothing to
the graph but the throwaway account, removed at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # PYTHONPATH first

from graphapp import auth, leverage
from graphapp.server import provision
from graphapp.store.cypher import Queries, load, parse
from graphapp.store.db import Graph
from graphapp.web.app import create_app

QUERIES = parse(Path(__file__).resolve().parent / "web.cypher")


def clock(what: str, work: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = work()
    print(f"| {what} | {(time.perf_counter() - started) * 1000:,.0f} ms |", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", required=True, help="local Neo4j instance with a graph")
    parser.add_argument("--investor", help="default: the public investor with the most "
                                           "direct holdings")
    parser.add_argument("--whole", action="store_true",
                        help="also time investor_exposure (every row shaped)")
    args = parser.parse_args()
    target = provision.start(args.instance)
    graph = Graph(target, queries=Queries({**load(), **QUERIES}))
    investor = args.investor or graph.read("web.largest_fund")[0]["id"]
    direct = graph.driver.execute_query("MATCH (:Entity {id: $id})-[r:OWNS]->() RETURN count(r)",
                                        {"id": investor}).records[0][0]
    print(f"{investor}: {direct:,} direct holdings; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}\n\n| step | time |\n|---|---:|")

    paged = hasattr(leverage, "exposure_ranking")  # else the code before issue 19's paging
    if paged:
        ranking = clock("exposure_ranking (fetch, solve, rank)",
                        lambda: leverage.exposure_ranking(graph, investor))
        for page in (1, 2, 40):
            clock(f"exposure_page, page {page}",
                  lambda p=page: leverage.exposure_page(graph, ranking, page=p, harms_page=p))
    if args.whole or not paged:
        clock("investor_exposure (every row shaped)",
              lambda: leverage.investor_exposure(graph, investor))

    name, password = f"bench-exposure-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    app = create_app({"NEO4J_TARGET": target, "SECRET_KEY": secrets.token_hex(16),
                      "WTF_CSRF_ENABLED": False})
    auth.create_user(graph, name, "viewer", password)
    try:
        client = app.test_client()
        client.post("/login", data={"name": name, "password": password})
        client.get("/")  # the app's own first request: templates, catalogues
        base = f"/investors/{investor}/exposure"
        for what, path in (("page, first request", base), ("page again (cached)", base),
                           ("page 2 (ranking cached)", base + "?page=2"),
                           ("page 2 again (cached)", base + "?page=2"),
                           ("API, first page", f"/api{base}")):
            response = clock(f"{what}: `{path}`", lambda p=path: client.get(p))
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
        if paged:
            print(f"\n{len(ranking.order):,} holdings and {len(ranking.harms):,} harms listed; "
                  f"truncated at the depth: {ranking.truncated}; capped: {ranking.capped}")
    finally:
        graph.write("web.delete_user", username=name)
        graph.close()


if __name__ == "__main__":
    main()
