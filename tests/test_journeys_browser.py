"""The advocate's main journeys in a real browser (Playwright driving Chromium; tests/browser.py):
search, a harm, its ladder, an export; recording an engagement and its answer; an import with
one bad row; a viewer who cannot write; the phone layout; the Spanish interface.

Waiting is done with locators: a string predicate (wait_for_function) is evaluated with eval,
which the pages' strict Content-Security-Policy refuses.

Each journey is screenshotted at desktop (1280 px) and phone (390 px) width into
$GRAPHAPP_SCREENSHOTS when that is set (to look at them), else into the test's tmp folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from graphapp import auth, create_app, engagement
from tests.browser import serve
from tests.graphs import build
from tests.test_experience import NODES, RELS

PASSWORD = "correct horse battery staple"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("GRAPHAPP_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shoot(page, shots: Path, name: str) -> None:
    """The page at desktop and phone width, whole; the phone one must not scroll sideways."""
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(150)
        page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=True)
        if size == "phone":
            assert page.evaluate(OVERFLOW) <= 0, f"{name}: sideways scrolling at 390 px"
    page.set_viewport_size(DESKTOP)


def _users(graph) -> None:
    for role in ("viewer", "editor"):
        auth.create_user(graph, role, role, PASSWORD)


def _app(neo4j_target):
    return create_app({"NEO4J_TARGET": neo4j_target, "SECRET_KEY": "journeys",
                       "WTF_CSRF_ENABLED": True})


@pytest.fixture
def small_site(empty_graph, neo4j_target):
    build(empty_graph, NODES, RELS)
    _users(empty_graph)
    yield from serve(_app(neo4j_target))


@pytest.fixture
def seed_site(graph, neo4j_target):
    from graphapp import seeding
    from tests import graphs

    graphs.wipe(graph)
    seeding.load_seed(graph)
    _users(graph)
    graphs.state["loaded"] = None  # accounts were added: not the plain seed any more
    yield from serve(_app(neo4j_target))


def _sign_in(page, site: str, role: str) -> None:
    page.goto(f"{site}/login")
    page.get_by_label(re.compile("^(Name|Nombre|Nom|Nome)")).fill(role)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login button[type=submit]").click()
    page.wait_for_url(f"{site}/")


def test_search_a_harm_its_ladder_and_an_export(seed_site, page, shots):
    site = seed_site
    page.set_viewport_size(DESKTOP)
    _sign_in(page, site, "editor")
    box = page.get_by_role("combobox", name="Search the graph")  # a search box with suggestions
    box.fill("operacion huracan")  # no accents, lower case
    page.locator("#search-suggestions option").first.wait_for(state="attached")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/\?q=operacion"))
    _shoot(page, shots, "1-search")
    page.get_by_role("link", name=re.compile("^Operación Huracán")).click()
    page.wait_for_url(re.compile("/harms/harm-operacion-huracan$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Who to pressure")
    # the top targets per rung, the rest behind "and N more", which opens the whole rung
    more = page.locator("p.more a").filter(has_text=re.compile(r"^and \d+ more"))
    assert more.count() >= 1
    _shoot(page, shots, "2-ladder")
    more.first.click()
    page.wait_for_url(re.compile(r"[?&]all="))
    assert page.locator("details.more[open] ol.targets li").count() >= 1
    page.go_back()
    page.get_by_role("link", name=re.compile("How targets are scored")).click()
    assert page.locator("article.help-body h2#the-score").count() == 1
    page.go_back()
    page.locator("form.export select[name=format]").select_option("json")
    with page.expect_download() as download:
        page.locator("form.export button[type=submit]").click()
    assert download.value.suggested_filename.endswith(".json")


def test_record_an_engagement_and_its_response(small_site, page, shots, empty_graph):
    site = small_site
    _sign_in(page, site, "editor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    page.get_by_role("link", name="Record an engagement").click()
    page.locator("#name").fill("Letter on Operación Huracán")
    page.locator("#date").fill("2026-02-01")
    by = page.locator("input[name=by]").first
    by.fill("amnes")
    page.locator("#by-suggestions option").first.wait_for(state="attached")
    assert page.locator("#by-suggestions option").first.get_attribute("value") == (
        "Amnesty International, Chile section")
    by.fill("Amnesty International, Chile section")  # as picking the suggestion does
    page.locator("input[name=to]").first.fill("Corp Inc.")
    page.locator("fieldset#to button[data-add-field]").click()
    page.locator("input[name=to]").nth(1).fill("Nobody We Know")
    page.locator("input[name=about]").first.fill("operacion huracan")
    page.get_by_role("button", name="Save").click()
    # Refused: what was typed stays, the field to fix says why.
    assert page.locator("#to-error").inner_text().startswith("Nothing called “Nobody We Know”")
    assert page.locator("#name").input_value() == "Letter on Operación Huracán"
    _shoot(page, shots, "3-engagement-refused")
    page.locator("input[name=to]").nth(1).fill("")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("status").inner_text() == "Saved."
    page.locator("#status").select_option("responded")
    page.locator("#response_date").fill("2026-01-01")  # before it was sent
    page.locator("#outcome").fill("They will review the contract.")
    page.get_by_role("button", name="Save").click()
    assert page.locator("#response_date-error").is_visible()
    assert page.locator("#status").input_value() == "responded"
    assert page.locator("#outcome").input_value() == "They will review the contract."
    page.locator("#response_date").fill("2026-02-20")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("status").inner_text() == "Saved."
    _shoot(page, shots, "4-engagement-answered")
    [e] = engagement.list_engagements(empty_graph)
    assert (e["status"], e["response_date"]) == ("responded", "2026-02-20")


def test_import_with_one_bad_row(small_site, page, shots, tmp_path):
    site = small_site
    _sign_in(page, site, "editor")
    page.get_by_role("link", name="Import").first.click()
    sheet = tmp_path / "Harm.csv"
    sheet.write_text("id,name,harm_type,severity,sources\n"
                     "h-ok,Shutdown in Dakar,shutdown,3,https://example.org/a\n"
                     "h-bad,Mass surveillance,surveillance,9,https://example.org/b\n",
                     encoding="utf-8")
    page.locator("#files").set_input_files(str(sheet))
    page.get_by_role("button", name="Import").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nothing was imported"
    lead = page.locator("p.lead").inner_text()
    assert "tick “Import the valid rows”" in lead and "--skip-invalid" not in lead
    assert page.locator("table.problems tbody tr").count() == 1
    _shoot(page, shots, "5-import-refused")
    page.get_by_role("link", name="Import more").click()
    page.locator("#files").set_input_files(str(sheet))
    page.get_by_label(re.compile("Import the valid rows")).check()
    page.get_by_role("button", name="Import").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Imported"
    _shoot(page, shots, "6-import-valid-rows")


def test_a_viewer_sees_no_write_forms(small_site, page, shots):
    site = small_site
    _sign_in(page, site, "viewer")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Import").count() == 0
    page.goto(f"{site}/engagements")
    assert page.get_by_role("link", name="Record an engagement").count() == 0
    page.goto(f"{site}/entities/corp")
    assert page.get_by_role("link", name="Edit").count() == 0
    assert page.locator("form[method=post]").count() == 2  # sign out and the language menu
    _shoot(page, shots, "7-viewer-entity")
    page.goto(f"{site}/engagements/new")
    assert page.locator("form.record").count() == 0
    assert "needs an editor account" in page.locator("p.notice").inner_text()


PHONE_PAGES = ["/", "/harms", "/companies", "/investors", "/engagements", "/exports", "/help",
               "/help/ladder", "/entities/corp", "/harms/huracan", "/harms/huracan/engagement",
               "/companies/corp/leverage", "/investors/fund/exposure", "/import",
               "/engagements/new", "/?q=corp"]


def test_the_phone_layout_never_scrolls_sideways(small_site, page, shots):
    site = small_site
    _sign_in(page, site, "editor")
    page.set_viewport_size(PHONE)
    wide = {}
    for path in PHONE_PAGES:
        page.goto(site + path)
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            wide[path] = overflow
    assert wide == {}
    page.goto(f"{site}/investors/fund/exposure")
    cell = page.locator("table.rels td[data-label]").first
    assert cell.evaluate("c => getComputedStyle(c).display") == "block"  # stacked cards
    page.screenshot(path=str(shots / "8-phone-exposure.png"), full_page=True)


def test_the_interface_in_spanish_and_then_portuguese(small_site, browser, shots):
    site = small_site
    context = browser.new_context(locale="es-CL")
    page = context.new_page()
    page.goto(f"{site}/login")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Iniciar sesión"
    page.get_by_label("Nombre").fill("editor")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login button[type=submit]").click()
    page.wait_for_url(f"{site}/")
    assert page.get_by_role("button", name="Buscar").count() == 1
    page.goto(f"{site}/harms/huracan")
    assert page.get_by_role("heading", level=1).inner_text().startswith("A quién presionar")
    assert "Operación Huracán" in page.get_by_role("heading", level=1).inner_text()
    _shoot(page, shots, "9-spanish-ladder")
    with page.expect_navigation():
        page.locator("form.language select").select_option("pt")  # submits itself
    assert page.locator("html").get_attribute("lang") == "pt"
    page.goto(f"{site}/")
    assert page.get_by_role("button", name="Pesquisar").count() == 1
    context.close()


def test_the_french_ladder_at_390_px_never_scrolls_sideways(small_site, browser):
    """The longest French kind on the ladder's filters ("Investisseurs derrière les entreprises
    sur le chemin") wraps at 390 px instead of pushing the page 1 px sideways."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    _sign_in(page, small_site, "viewer")
    page.goto(f"{small_site}/harms/huracan")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.evaluate(OVERFLOW) <= 0
    context.close()
