"""When Neo4j is away the app answers 503 with a plain message, and recovers by itself."""

from urllib.parse import urlparse

import pytest

from graphapp import create_app
from graphapp.errors import UNAVAILABLE_MESSAGE
from graphapp.server.provision import Neo4jTarget
from tests.tcp_proxy import TcpProxy


def app_for(target):
    return create_app({"TESTING": True, "NEO4J_TARGET": target, "SECRET_KEY": "t",
                       "NEO4J_CONNECTION_TIMEOUT": 1.0, "NEO4J_RETRY_SECONDS": 0.5})


def test_healthz_answers_200_when_neo4j_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "neo4j": "answers"}


@pytest.fixture
def nowhere():
    """A target where nothing listens."""
    proxy = TcpProxy("127.0.0.1", 9)  # never brought up
    return Neo4jTarget(f"neo4j://127.0.0.1:{proxy.port}", "neo4j", "x", "env")


@pytest.mark.parametrize("url", ["/healthz", "/api/stats", "/api/entities?q=meta",
                                 "/api/entities/meta"])
def test_api_answers_503_with_a_plain_message(nowhere, url):
    response = app_for(nowhere).test_client().get(url)
    assert response.status_code == 503
    assert response.get_json()["message"] == UNAVAILABLE_MESSAGE
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/entities/meta"])
def test_pages_answer_503_with_a_plain_page(nowhere, url):
    response = app_for(nowhere).test_client().get(url)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    html = response.get_data(as_text=True)
    assert "Database unavailable" in html and "Nothing was changed" in html


def test_the_app_recovers_when_neo4j_returns(neo4j_target, graph):
    real = urlparse(neo4j_target.uri)
    proxy = TcpProxy(real.hostname, real.port)
    # bolt:// (direct): a routing driver would learn the server's own address and skip the proxy.
    target = Neo4jTarget(f"bolt://127.0.0.1:{proxy.port}", neo4j_target.user,
                         neo4j_target.password, "env")
    client = app_for(target).test_client()
    proxy.up()
    try:
        assert client.get("/healthz").status_code == 200
        proxy.down()
        assert client.get("/healthz").status_code == 503
        assert client.get("/api/stats").status_code == 503
        proxy.up()
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/stats").status_code == 200
    finally:
        proxy.down()
