"""The /import page: upload, the row-level report, the size limit, templates."""

import io

import pytest

from graphapp import create_app
from tests.import_helpers import counts, xlsx_bytes

GOOD = b"id,name,jurisdiction\nparent,Parent SA,ES\nchild,Child SpA,CL\n"


def upload(client, *files, **form):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], **form}
    return client.post("/import", data=data, content_type="multipart/form-data")


def test_the_import_page_offers_the_form_and_the_templates(client):
    page = client.get("/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert "/import/templates/graphapp-template.xlsx" in page
    assert "/import/templates/OWNS.csv" in page


def test_a_template_downloads_as_a_file(client):
    response = client.get("/import/templates/Company.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="Company.csv"'
    assert response.get_data().decode("utf-8-sig").startswith("id,name,aliases,description")
    assert client.get("/import/templates/Nope.csv").status_code == 404


def test_uploading_a_good_file_imports_it(empty_graph, client):
    response = upload(client, ("Company.csv", GOOD))
    assert response.status_code == 200
    assert "Imported: 2 node(s)" in response.get_data(as_text=True)
    assert counts(empty_graph) == (2, 0)


def test_a_preview_lists_the_plan_and_writes_nothing(empty_graph, client):
    response = upload(client, ("Company.csv", GOOD), dry_run="1")
    page = response.get_data(as_text=True)
    assert "Dry run, nothing written: 2 node(s) to create" in page and "Parent SA" in page
    assert counts(empty_graph) == (0, 0)


def test_a_bad_row_gives_the_report_table_and_writes_nothing(empty_graph, client):
    workbook = xlsx_bytes({"Company": [["id", "name", "jurisdiction"], ["a", "A", "XX"]]})
    response = upload(client, ("map.xlsx", workbook))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert ("<tr><td>map.xlsx</td><td>Company</td>" in page and "<td>jurisdiction</td>" in page
            and "&#39;XX&#39; is not an ISO 3166-1 alpha-2 country code" in page)
    assert counts(empty_graph) == (0, 0)


def test_a_wrong_file_type_is_refused_with_a_clear_message(empty_graph, client):
    response = upload(client, ("photo.png", b"\x89PNG\r\n"))
    assert response.status_code == 400
    assert "photo.png" in response.get_data(as_text=True)
    assert "is not a file type graphapp imports" in response.get_data(as_text=True)
    assert counts(empty_graph) == (0, 0)


def test_no_file_is_a_clear_message(client):
    response = client.post("/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose at least one file" in response.get_data(as_text=True)


@pytest.fixture
def small_app(neo4j_target, graph):
    return create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target,
                       "SECRET_KEY": "test", "MAX_CONTENT_LENGTH": 1024})


def test_an_oversized_upload_gets_a_clear_413_page_and_writes_nothing(empty_graph, small_app):
    client = small_app.test_client()
    big = GOOD + b"x" * 2048
    response = upload(client, ("Company.csv", big))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "File too large" in page
    assert "larger than the limit of 1 KB, so nothing was imported" in page
    assert counts(empty_graph) == (0, 0)


def test_an_oversized_upload_to_json_clients_is_json(small_app):
    response = small_app.test_client().post(
        "/import", data={"files": [(io.BytesIO(b"x" * 4096), "a.csv")]},
        content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["error"] == "File too large"
