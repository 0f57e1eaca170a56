"""Per-request cost of signing in (session cookie, bearer token, public read) and of scrypt.

Run: .venv/bin/python bench/auth.py sec2   (the instance is WIPED: never "dev").
"""

from __future__ import annotations

import statistics
import sys
import time

from flask.testing import FlaskClient
from werkzeug.security import check_password_hash, generate_password_hash

from graphapp import auth, create_app
from graphapp.server import provision
from graphapp.store import records
from graphapp.store.db import Graph

PASSWORD = "bench password 123"


def timed(client: FlaskClient, n: int = 300, **kwargs) -> tuple[float, float]:
    """Median and 95th percentile of GET /api/entities/acme, in ms."""
    for _ in range(20):
        client.get("/api/entities/acme", **kwargs)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get("/api/entities/acme", **kwargs)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000


def ms(work) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def main(instance: str) -> None:
    target = provision.resolve(instance)
    graph = Graph(target)
    graph.write_autocommit("records.delete_all")
    graph.init_schema()
    records.write(graph, records.validate(
        [("n", {"label": "Company", "id": "acme", "name": "Acme", "jurisdiction": "US"})], []))
    auth.create_user(graph, "bench", "editor", PASSWORD)
    token = auth.create_token(graph, "bench")

    app = create_app({"NEO4J_TARGET": target, "SECRET_KEY": "b", "GRAPHAPP_PUBLIC_READ": True,
                      "WTF_CSRF_ENABLED": False})
    app.test_client_class = FlaskClient
    public, session, bearer = app.test_client(), app.test_client(), app.test_client()
    assert session.post("/login", data={"name": "bench", "password": PASSWORD}).status_code == 302
    rows = [("public read (anonymous)", *timed(public)),
            ("session cookie (user looked up in Neo4j)", *timed(session)),
            ("bearer token (hash looked up in Neo4j)",
             *timed(bearer, headers={"Authorization": f"Bearer {token}"}))]
    hashed = generate_password_hash("x" * 16, method="scrypt")
    gen = ms(lambda: generate_password_hash("x" * 16, method="scrypt"))
    check = ms(lambda: check_password_hash(hashed, "x" * 16))
    login = ms(lambda: session.post("/login", data={"name": "bench", "password": PASSWORD}))
    print("| GET /api/entities/acme | median ms | p95 ms |\n|---|---|---|")
    for name, median, p95 in rows:
        print(f"| {name} | {median:.2f} | {p95:.2f} |")
    print(f"\nscrypt hash {gen:.1f} ms, check {check:.1f} ms; a sign-in POST {login:.1f} ms")
    graph.write_autocommit("records.delete_all")
    graph.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python bench/auth.py INSTANCE  (a throwaway local instance: WIPED)")
    main(sys.argv[1])
