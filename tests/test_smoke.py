from tests.graphs import build


def test_search_finds_a_company_by_alias(empty_graph, client):
    build(empty_graph, [{"label": "Company", "id": "meta", "name": "Meta Platforms, Inc.",
                         "aliases": ["Facebook"]}])
    body = client.get("/api/entities?q=faceb").get_json()
    assert [r["id"] for r in body["results"]] == ["meta"]
