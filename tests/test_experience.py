"""The advocate's experience (issue 18), server side: navigation and help, search that forgives,
name fields, roles in the UI, filled gaps (exposure, interlocks, favicon), languages.

A small named graph; the browser journeys are in tests/test_journeys_browser.py.
"""

from __future__ import annotations

from html.parser import HTMLParser

from graphapp import engagement, entities, leverage
from tests.graphs import build

NODES = [
    {"label": "Harm", "id": "huracan", "name": "Operación Huracán", "harm_type": "surveillance",
     "severity": 4, "started": "2017-09"},
    {"label": "Organization", "id": "ai", "name": "Amnesty International, Chile section"},
    {"label": "Organization", "id": "ngo2", "name": "Derechos Digitales"},
    {"label": "Company", "id": "tatmadaw-co", "name": "တပ်မတော်", "aliases": ["Tatmadaw"]},
    {"label": "Company", "id": "gazprom", "name": "Газпром"},
    {"label": "Company", "id": "corp", "name": "Corp Inc."},
    {"label": "Company", "id": "sub", "name": "Corp Chile SpA"},
    {"label": "Product", "id": "app", "name": "The App"},
    {"label": "Company", "id": "fund", "name": "Big Fund", "extra_labels": ["Investor"],
     "investor_type": "asset_manager"},
    {"label": "Company", "id": "other-fund", "name": "Other Fund", "extra_labels": ["Investor"],
     "investor_type": "pension_fund"},
    {"label": "Person", "id": "ana", "name": "Ana Partner"},
]
RELS = [
    {"type": "INVOLVES", "from": "huracan", "to": "app"},
    {"type": "INVOLVES", "from": "huracan", "to": "sub"},
    {"type": "OPERATES", "from": "corp", "to": "app"},
    {"type": "OWNS", "from": "corp", "to": "sub", "economic_pct": 100.0},
    {"type": "OWNS", "from": "fund", "to": "corp", "economic_pct": 20.0},
    {"type": "OWNS", "from": "other-fund", "to": "corp", "economic_pct": 5.0},
    {"type": "HOLDS_ROLE", "from": "ana", "to": "fund", "kind": "executive", "title": "Partner"},
    {"type": "HOLDS_ROLE", "from": "ana", "to": "corp", "kind": "board", "title": "Director"},
]


def small(graph):
    return build(graph, NODES, RELS)


# --- search ---------------------------------------------------------------------------------


def test_search_ignores_case_and_accents_and_finds_transliterations(empty_graph):
    small(empty_graph)
    assert [r["id"] for r in entities.search(empty_graph, "operacion huracan")] == ["huracan"]
    assert [r["id"] for r in entities.search(empty_graph, "OPERACIÓN")] == ["huracan"]
    assert [r["id"] for r in entities.search(empty_graph, "gazprom")] == ["gazprom"]
    assert [r["id"] for r in entities.search(empty_graph, "tatmadaw")] == ["tatmadaw-co"]
    # Typed in its own script, a name is found too.
    assert [r["id"] for r in entities.search(empty_graph, "Газпром")] == ["gazprom"]


def test_suggestions_are_names_of_the_kinds_asked(empty_graph, client):
    small(empty_graph)
    found = client.get("/suggest?q=amnes").get_json()
    assert [f["id"] for f in found] == ["ai"]
    assert client.get("/suggest?q=corp&kinds=Organization").get_json() == []
    assert {f["id"] for f in client.get("/suggest?q=corp&kinds=Company").get_json()} == {
        "corp", "sub"}
    assert client.get("/suggest?q=a").get_json() == []  # two letters at least


def test_names_resolve_with_commas_accents_and_ids(empty_graph):
    small(empty_graph)
    got = entities.resolve_names(
        empty_graph, ["amnesty international, chile section", "ngo2", "Nobody", "corp"],
        kinds=("Organization",))
    assert [e["id"] for e in got["amnesty international, chile section"]] == ["ai"]
    assert [e["id"] for e in got["ngo2"]] == ["ngo2"]
    assert got["Nobody"] == [] and got["corp"] == []  # corp is a Company, not an Organization


# --- forms ----------------------------------------------------------------------------------


def test_the_engagement_form_takes_names_with_commas(empty_graph, client):
    small(empty_graph)
    made = client.post("/engagements/new", data={
        "name": "Letter", "kind": "letter", "date": "2026-02-01",
        "by": ["Amnesty International, Chile section"], "to": ["corp inc.", "Big Fund"],
        "about": ["operacion huracan"], "sources": "https://example.org/l"})
    assert made.status_code == 302, made.get_data(as_text=True)[-1500:]
    [e] = engagement.list_engagements(empty_graph)
    assert [n["id"] for n in e["by"]] == ["ai"]
    assert sorted(n["id"] for n in e["to"]) == ["corp", "fund"]


def test_a_failed_form_keeps_what_was_typed_and_says_what_to_fix_beside_it(empty_graph, client):
    small(empty_graph)
    page = client.post("/engagements/new", data={
        "name": "Letter to nobody", "kind": "meeting", "date": "2026-02-01",
        "by": ["Amnesty International, Chile section"], "to": ["Nobody Known"],
        "subject": "Our questions"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'value="Letter to nobody"' in html and 'value="Nobody Known"' in html
    assert 'value="Amnesty International, Chile section"' in html
    assert '<option value="meeting" selected>' in html and "Our questions" in html
    assert 'aria-invalid="true" aria-describedby="to-error"' in html
    assert "Nothing called “Nobody Known” was found" in html
    assert engagement.list_engagements(empty_graph) == []


def _boxes(html: str, field: str) -> list[tuple[str, str, bool]]:
    """The boxes of a name field: (tag, value typed or the first choice's label, in error)."""
    import re

    out = []
    for m in re.finditer(rf'<(input|select)\b[^>]*\bname="{field}"[^>]*>', html):
        tag = m.group(1)
        value = re.search(r'value="([^"]*)"', m.group(0)) if tag == "input" else None
        out.append((tag, value.group(1) if value else "", 'aria-invalid="true"' in m.group(0)))
    return out


def test_a_name_in_error_marks_only_its_own_box(empty_graph, client):
    small(empty_graph)
    page = client.post("/engagements/new", data={
        "name": "Letter", "kind": "letter", "date": "2026-02-01",
        "by": ["Derechos Digitales"], "to": ["Corp Inc.", "Nobody Known", "Big Fund"]})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert _boxes(html, "to") == [("input", "Corp Inc.", False), ("input", "Nobody Known", True),
                                  ("input", "Big Fund", False)]
    assert _boxes(html, "by") == [("input", "Derechos Digitales", False)]
    # a field-level error (nothing typed where a name is required) marks its one box
    page = client.post("/engagements/new", data={
        "name": "Letter", "kind": "letter", "date": "2026-02-01", "by": ["ngo2"], "to": [""]})
    assert page.status_code == 422
    assert _boxes(page.get_data(as_text=True), "to") == [("input", "", True)]


def test_an_ambiguous_name_asks_which_one_is_meant(empty_graph, client):
    build(empty_graph, [*NODES, {"label": "Team", "id": "corp-team", "name": "Corp Inc.",
                                 "function": "policy"},
                        {"label": "Company", "id": "evil", "name": "<b>Corp</b> & Co"}], RELS)
    page = client.post("/engagements/new", data={
        "name": "Letter", "kind": "letter", "date": "2026-02-01", "by": ["ngo2"],
        "to": ["corp inc.", "Big Fund", "<b>Corp</b> & Co"]})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Several entries are called “corp inc.”: pick the one you mean." in html
    assert [(tag, bad) for tag, _, bad in _boxes(html, "to")] == [
        ("select", True), ("input", False), ("input", False)]
    assert '<option value="corp">Corp Inc. · Company · corp</option>' in html
    assert '<option value="corp-team">Corp Inc. · Team · corp-team</option>' in html
    assert "<b>Corp</b>" not in html and "&lt;b&gt;Corp&lt;/b&gt; &amp; Co" in html  # escaped
    assert engagement.list_engagements(empty_graph) == []
    # picking one records it
    made = client.post("/engagements/new", data={
        "name": "Letter", "kind": "letter", "date": "2026-02-01", "by": ["ngo2"],
        "to": ["corp-team", "Big Fund"]})
    assert made.status_code == 302
    [e] = engagement.list_engagements(empty_graph)
    assert sorted(n["id"] for n in e["to"]) == ["corp-team", "fund"]


def test_a_refused_response_keeps_the_status_date_and_outcome(empty_graph, client):
    small(empty_graph)
    client.post("/engagements/new", data={
        "id": "e1", "name": "Letter", "kind": "letter", "date": "2026-02-01", "by": ["ai"],
        "to": ["corp"]})
    page = client.post("/engagements/e1", data={
        "status": "responded", "response_date": "2025-01-01", "outcome": "They promised."})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert '<option value="responded" selected>' in html
    assert 'value="2025-01-01"' in html and "They promised." in html
    assert 'id="response_date-error"' in html


# --- roles in the UI ------------------------------------------------------------------------


def test_viewers_see_no_write_forms_or_edit_links(empty_graph, app):
    small(empty_graph)
    editor, viewer = app.test_client(role="editor"), app.test_client(role="viewer")
    editor.post("/engagements/new", data={
        "id": "e1", "name": "Letter", "kind": "letter", "date": "2026-02-01", "by": ["ai"],
        "to": ["corp"]})
    for url in ("/engagements", "/engagements/e1", "/entities/corp", "/harms/huracan/engagement"):
        html = viewer.get(url).get_data(as_text=True)
        assert 'method="post" action="/engagements' not in html, url
        assert "/engagements/new" not in html and "/commitments/new" not in html, url
        assert "/edit" not in html and 'href="/import"' not in html, url
    assert "Record the response" in editor.get("/engagements/e1").get_data(as_text=True)
    assert 'href="/import"' in editor.get("/").get_data(as_text=True)


# --- navigation, help, favicon, internal names ------------------------------------------------


def test_every_page_has_the_navigation_a_skip_link_and_no_internal_names(empty_graph, client):
    small(empty_graph)
    for url in ("/", "/harms", "/companies", "/investors", "/engagements", "/exports",
                "/entities/corp", "/harms/huracan", "/investors/fund/exposure",
                "/companies/corp/leverage", "/help"):
        html = client.get(url).get_data(as_text=True)
        assert '<a class="skip" href="#main">' in html and '<nav class="main"' in html, url
        assert 'id="main"' in html, url
        for internal in ("voting_pct", "economic_pct", "HAS_JURISDICTION_OVER", "HOLDS_ROLE",
                         "triangleDown", "Inc..", "is no response"):
            assert internal not in html.replace('name="', ""), (url, internal)
    assert "Operación Huracán" in client.get("/harms").get_data(as_text=True)
    assert "Big Fund" in client.get("/investors").get_data(as_text=True)


def test_help_pages_render_the_docs(client):
    ladder = client.get("/help/ladder").get_data(as_text=True)
    assert '<h2 id="the-score">The score</h2>' in ladder
    assert "confirmed" in client.get("/help/confidence").get_data(as_text=True)
    assert client.get("/help/look-through").status_code == 200
    assert client.get("/help/nothing").status_code == 404
    assert "Your organisation" in client.get("/help").get_data(as_text=True)


def test_the_engagement_import_and_exports_help_pages_are_translated(client):
    """/help/engagement, /help/import and /help/exports in es, fr and pt: the translated doc
    (docs/<lang>/), no "not translated" notice, and each translated heading keeps an anchor the
    English page has, so a link to a section works in every language."""
    import re

    def anchors(html):
        return set(re.findall(r'<h[23] id="([^"]+)"', html))

    for topic in ("engagement", "import", "exports"):
        english = anchors(client.get(f"/help/{topic}").get_data(as_text=True))
        for lang in ("es", "fr", "pt"):
            html = client.get(f"/help/{topic}", headers={"Accept-Language": lang}).get_data(
                as_text=True)
            assert f'<article class="help-body" lang="{lang}">' in html, (topic, lang)
            assert 'class="notice"' not in html, (topic, lang)
            translated = anchors(html)
            assert len(translated) >= 4 and translated <= english, (topic, lang,
                                                                    translated - english)


def test_the_favicon_is_served_even_signed_out(app):
    anonymous = app.test_client(role=None)
    icon = anonymous.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"


# --- filled gaps ----------------------------------------------------------------------------


def test_exposure_lists_each_harm_once_with_its_other_routes(empty_graph):
    small(empty_graph)
    result = leverage.investor_exposure(empty_graph, "fund")
    assert [h["harm"]["id"] for h in result["harms"]] == ["huracan"]
    [h] = result["harms"]
    assert h["company"]["id"] in ("corp", "sub") and len(h["also"]) == 1
    assert {h["company"]["id"], h["also"][0]["id"]} == {"corp", "sub"}


def test_investor_interlocks_are_computed(empty_graph, client):
    small(empty_graph)
    links = leverage.holder_interlocks(empty_graph, "fund", ["corp", "sub"])
    assert [(m["person"]["id"], m["title"], [b["id"] for b in m["boards"]])
            for m in links["board_members"]] == [("ana", "Partner", ["corp"])]
    assert [(h["holder"]["id"], [c["id"] for c in h["companies"]])
            for h in links["co_holders"]] == [("other-fund", ["corp"])]
    html = client.get("/investors/fund/exposure").get_data(as_text=True)
    assert "Ana Partner" in html and "Other Fund" in html


# --- languages ------------------------------------------------------------------------------


def test_the_language_comes_from_the_browser_or_the_menu_and_is_remembered(empty_graph, app):
    small(empty_graph)
    client = app.test_client(role="editor")
    spanish = client.get("/", headers={"Accept-Language": "es-CL,es;q=0.9"}).get_data(
        as_text=True)
    assert '<html lang="es">' in spanish and "Buscar" in spanish
    client.post("/language", data={"lang": "fr", "next": "/harms"})
    french = client.get("/harms", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="fr">' in french and "Atteintes" in french
    assert "Operación Huracán" in french  # data stays as entered
    [row] = empty_graph.driver.execute_query(
        "MATCH (u:User {id: 'test-editor'}) RETURN u.language AS language",
        database_=empty_graph.database).records
    assert row["language"] == "fr"  # remembered on the account
    assert client.post("/language", data={"lang": "xx"}).status_code == 400


def test_names_in_other_scripts_are_marked_with_their_language(empty_graph, client):
    small(empty_graph)
    html = client.get("/companies").get_data(as_text=True)
    assert 'lang="my">တပ်မတော်</a>' in html


def test_every_interface_string_is_translated_and_compiled():
    """Each string the pages and views mark for translation has a Spanish, French and
    Portuguese translation, and the committed .mo files are the .po files compiled."""
    import io

    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from graphapp.config import PROJECT_ROOT as ROOT

    method_map, options_map = parse_mapping_cfg(io.StringIO((ROOT / "babel.cfg").read_text()))
    used = {m[2] for m in extract_from_dir(str(ROOT), method_map, options_map,
                                           keywords={"_": None, "gettext": None,
                                                     "ngettext": (1, 2), "_l": None,
                                                     "lazy_gettext": None})}
    used = {u if isinstance(u, str) else u[0] for u in used}
    for lang in ("es", "fr", "pt"):
        folder = ROOT / "graphapp" / "translations" / lang / "LC_MESSAGES"
        with open(folder / "messages.po", "rb") as f:
            catalog = read_po(f)
        have = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog if m.id}
        assert sorted(used - set(have)) == [], lang
        assert [k for k in used if not have[k] or not all(have[k])] == [], lang
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        assert compiled.getvalue() == (folder / "messages.mo").read_bytes(), (
            f"{lang}: run `pybabel compile -d graphapp/translations`")


def test_words_of_the_projects_own_tables_are_translated():
    """Words looked up in the catalogues at run time, which no extractor sees: the reasons a
    register gives for an owner it does not name (graphapp.io's English, shown by
    graphapp.leverage.disclosures) and relevance.yaml's remits and harm words (the ladder's
    sentences). Each must be there, translated, in every language: they are the interface's
    vocabulary, and a Spanish sentence must not carry them in English."""
    from babel.messages.pofile import read_po

    from graphapp import relevance
    from graphapp.config import PROJECT_ROOT as ROOT
    from graphapp.io.bods_import import REASON_TEXT
    from graphapp.io.gleif import EXCEPTION_REASONS

    table = relevance.table()
    wanted = {*REASON_TEXT.values(), *(v.rstrip(".") for v in EXCEPTION_REASONS.values()),
              *(m["says"] for m in table["mandates"].values()),
              *table["harm_words"].values(), relevance.harm_words(None)}
    for lang in ("es", "fr", "pt"):
        with open(ROOT / "graphapp" / "translations" / lang / "LC_MESSAGES" / "messages.po",
                  "rb") as f:
            have = {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}
        assert [w for w in sorted(wanted) if not have.get(w)] == [], lang


# Words that only English uses (none is a Spanish word): a text node with one of them, once the
# graph's own names are taken out, is an interface string nobody marked for translation.
ENGLISH_ONLY = ("the", "and", "with", "which", "your", "this", "what", "who", "from", "been",
                "there", "are", "is", "not", "has", "have", "will", "should", "when", "where")
# Pages whose interface is still partly English, each with why: the sweep checks all the others,
# and fails when one of these is clean (take it off the list).
STILL_ENGLISH: dict[str, str] = {}
# Routes a sweep cannot open as a page (downloads, feeds, forms that need a posted body).
NOT_PAGES = ("/api", "/static", "/favicon", "/language", "/logout", "/export", "/suggest",
             ".csv", ".json", ".svg", ".png", ".xlsx", ".zip", "/templates/")


class _PageText(HTMLParser):
    """The text of a page's body outside <code>, <script>, <style>, <title>, <datalist>, the
    language menu, and elements marked as another language (lang="en" help, data)."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                      "source", "track", "wbr"})

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: whether it hides its text
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        hides = (tag in ("code", "script", "style", "title", "datalist")
                 or a.get("lang") not in (None, "es")
                 or (tag == "select" and a.get("name") == "lang"))
        self.stack.append(hides)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip() and not any(self.stack):
            self.texts.append(data.strip())


def _untranslated_text(html: str, names: set[str]) -> list[str]:
    """The text nodes of a page that read as English once the graph's names are taken out."""
    import re

    parser = _PageText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        words = text
        for name in sorted(names, key=len, reverse=True):
            words = words.replace(name, " ")
        if set(re.findall(r"[A-Za-z]+", words.lower())) & set(ENGLISH_ONLY):
            found.append(text)
    return found


def test_every_page_in_spanish_has_no_english_interface_text(empty_graph, app):
    """Each GET page an editor or admin can open, in Spanish: no interface text left in
    English (the graph's data stays as entered and is left out of the check)."""
    small(empty_graph)
    made = engagement.create_engagement(empty_graph, {
        "name": "Carta a Corp", "kind": "letter", "date": "2024-01-10", "by": ["ai"],
        "to": ["corp"], "about": ["huracan"]}, user="test")
    values = {"entity_id": "corp", "harm_id": "huracan", "company_id": "corp",
              "investor_id": "fund", "engagement_id": made["id"], "topic": "confidence"}
    names = {n["name"] for n in NODES} | {"Carta a Corp", "graphapp", "Corp", "OpenAPI", "JSON",
                                         "API", "UTC", "Amnesty International"}
    # Kumu's own column names, which a Kumu sheet must use as they are
    names |= {"Elements: Label, Type, Description, Tags", "Connections: From, To, Type"}
    client = app.test_client(role="admin")
    client.post("/language", data={"lang": "es"})
    opened, english = [], {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or any(part in rule.rule for part in NOT_PAGES):
            continue
        if any(arg not in values for arg in rule.arguments):
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<{arg}>", values[arg]).replace(f"<string:{arg}>", values[arg])
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        opened.append(url)
        found = _untranslated_text(response.get_data(as_text=True), names)
        if found:
            english[url] = found
    assert len(opened) >= 25, opened
    assert {"/quality", "/account", "/users", "/entities/corp/history", "/entities/corp/edit",
            "/companies/corp/responsiveness", "/review/people", "/harms/huracan/story",
            "/help/confidence"} <= set(opened), opened
    assert sorted(set(STILL_ENGLISH) - set(english)) == []
    english = {url: texts for url, texts in english.items() if url not in STILL_ENGLISH}
    assert english == {}, "\n".join(f"{url}: {text}" for url, texts in english.items()
                                     for text in dict.fromkeys(texts))


def test_the_ladders_paths_speak_the_readers_language(empty_graph, app):
    """Each hop of a target's path on the harm page ("← owns 20%", "involves →") and its
    evidence badge are in the reader's language; the same words stay English at the terminal."""
    import re

    from graphapp import escalation

    small(empty_graph)
    client = app.test_client(role="viewer")
    client.post("/language", data={"lang": "es"})
    page = client.get("/harms/huracan").get_data(as_text=True)
    hops = set(re.findall(r'<span class="hop-type">([^<]*)</span>', page))
    assert {"involucra a →", "← posee 20%", "← posee 5%", "← opera", "← Director"} <= hops, hops
    assert not [h for h in hops if re.search(r"\b(owns|involves|operates|is part of)\b", h)]
    badges = set(re.findall(r'<span class="evidence evidence-[a-z]+" title="[^"]*">([^<]*)<', page))
    assert badges and not badges & {"none", "primary", "secondary", "tertiary"}, badges
    english = escalation.escalate(empty_graph, "huracan")
    labels = {h["edge_label"] for r in english["rungs"] for t in r["targets"] for h in t["path"]}
    assert {"involves", "owns 20%", "owns 5%", "operates", "Director"} <= labels, labels


def test_the_story_forms_slide_sizes_speak_the_readers_language(empty_graph, app):
    """The story form's slide sizes read as the export form's do: "Diapositiva (1920×1080)",
    not "16:9 slide, 1920x1080"."""
    import re

    small(empty_graph)
    client = app.test_client(role="viewer")
    client.post("/language", data={"lang": "es"})
    page = client.get("/harms/huracan/story").get_data(as_text=True)
    select = re.search(r'<select name="size">(.*?)</select>', page, re.S).group(1)
    sizes = re.findall(r'<option value="(\w+)"[^>]*>([^<]*)</option>', select)
    assert ("slide", "Diapositiva (1920×1080)") in sizes, sizes
    assert not [w for _, w in sizes if re.search(r"\b(slide|square|portrait|landscape)\b", w)]


def test_the_ladders_evidence_and_the_html_export_speak_the_readers_language(empty_graph, app):
    """The "rests on ..." words beside each target, and a ladder exported as HTML (its
    language, help line, footer and legend), are in Spanish for a Spanish reader; English at
    the terminal."""
    from graphapp import escalation

    small(empty_graph)
    client = app.test_client(role="admin")
    client.post("/language", data={"lang": "es"})
    page = client.get("/harms/huracan").get_data(as_text=True)
    assert "Pruebas: se basa en" in page and "rests on" not in page
    exported = client.get("/export?view=escalation&harm=huracan&format=html")
    assert exported.status_code == 200, exported.get_data(as_text=True)[:300]
    html = exported.get_data(as_text=True)
    assert '<html lang="es">' in html and "Exportado el" in html
    assert "el cursor por un recuadro" in html and "Every relationship" not in html
    english = escalation.escalate(empty_graph, "huracan", include_sensitive=True)
    words = [t["evidence"]["words"] for r in english["rungs"] for t in r["targets"]]
    assert words and all(w.startswith("rests on ") for w in words), words
