"""A campaign story drawn from the ladder: steps an advocate can present, edit and export.

graphapp knows the ladder, so it writes the first draft (:func:`draft`): one step per rung,
in the order an advocate tells it, each highlighting that rung's best target and the path
from the harm to it, with a one-sentence caption taken from the ladder's "why" and the
evidence behind it:

1. the harm; 2. the local office that cannot decide; 3. the team that does; 4. the executive;
5. the holders behind them; 6. the regulator who can compel.

The advocate edits the captions and drops steps (the harm page's story form), then exports one
offline HTML slideshow (arrow keys, a printable view: every slide on its own page) or numbered
PNG slides in a zip. Everything comes from the export view, so redaction applies as in every
export: a sensitive person is a placeholder here too.
"""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass, field
from urllib.parse import urlparse

from flask_babel import get_locale

from graphapp.drawing import diagrams
from graphapp.drawing.layered import Frame
from graphapp.drawing.scene import to_png, to_svg
from graphapp.i18n import gettext as _
from graphapp.i18n import lazy_gettext as _l
from graphapp.i18n import ngettext

# (key, rungs to take the best target from, the step's title in the reader's language)
STEPS = (
    ("harm", ("start",), _l("The harm")),
    ("local", ("local",), _l("The local office that cannot decide")),
    ("team", ("team", "person"), _l("The team that does decide")),
    ("executive", ("leadership",), _l("The executive")),
    ("holders", ("investor",), _l("The holders behind them")),
    ("regulator", ("regulator",), _l("The regulator who can compel")),
)
MAX_CAPTION = 600


@dataclass
class Step:
    key: str
    title: str
    caption: str
    target: str  # the node the step is about
    evidence: list[str] = field(default_factory=list)
    highlight: set[str] = field(default_factory=set)


# The steps that tell one chain, from the office that cannot decide up to the holders behind
# the company. On a harm with several operators (several ultimate parents), the best-ranked
# target of each rung can belong to a different company (Movistar's office, WOM's chief
# executive, América Móvil's owner): once a step has named a company, each later one takes the
# best target whose path goes through a company already named (or through none), and is left
# out when no target does, so the story is one operator's. The regulator stands beside the
# chain: the best-ranked one.
CHAIN = frozenset({"local", "team", "executive", "holders"})


def _best(view, rungs: tuple[str, ...], fits=None) -> str | None:
    """The best target of the first of ``rungs`` that has one, by its place within its rung as
    on the harm page (the real decider first); with ``fits``, the best one that fits, or None."""
    for rung in rungs:
        ranked = sorted((float(extra.get("rung_rank") or extra.get("rank") or 1e9), i)
                        for i, n in view.nodes.items()
                        if (extra := n.get("extra") or {}).get("rung") == rung
                        and not n.get("redacted"))
        if ranked:
            return next((i for _, i in ranked if fits is None or fits(i)), None)
    return None


def _path(view, harm: str, target: str, parent: dict | None = None) -> set[str]:
    if parent is None:
        parent = diagrams.toward(view, harm, set(view.nodes))
    ids, cur = {target}, target
    while cur in parent and parent[cur][0] is not None:
        cur = parent[cur][0]
        ids.add(cur)
    return ids


def _companies(view, ids: set[str]) -> set[str]:
    return {i for i in ids if "Company" in (view.nodes[i].get("labels") or ())}


def _evidence(view, ids: set[str]) -> list[str]:
    """The sources of the highlighted nodes and of the relationships among them."""
    found: list[str] = []
    for e in view.edges:
        if e["from"] in ids and e["to"] in ids:
            found += [str(s) for s in e["props"].get("sources") or []]
    for i in ids:
        found += [str(s) for s in view.nodes[i]["props"].get("sources") or []]
    return list(dict.fromkeys(found))


def draft(view) -> list[Step]:
    """The first draft: one step per rung that has a target (see the module docstring)."""
    harm = view.filters.get("harm")
    parent = diagrams.toward(view, harm, set(view.nodes)) if harm in view.nodes else {}
    chain: set[str] = set()  # the companies the chain's steps have named so far
    operators = sum((n.get("extra") or {}).get("rung") == "headquarters"
                    for n in view.nodes.values())

    def on_chain(target: str) -> bool:
        named = _companies(view, _path(view, harm, target, parent))
        return not named or bool(named & chain)

    steps = []
    for key, rungs, title in STEPS:
        fits = on_chain if key in CHAIN and chain and operators > 1 else None
        target = harm if key == "harm" else _best(view, rungs, fits)
        if target is None or target not in view.nodes:
            continue
        node = view.nodes[target]
        if key == "harm":
            p = node["props"]
            caption = (str(p.get("description") or node["name"]).split(". ")[0].rstrip(".")
                       + ".")
        else:
            caption = str((node.get("extra") or {}).get("why") or node["name"])
        ids = _path(view, harm, target, parent) if harm in view.nodes else {target}
        if key in CHAIN:
            chain |= _companies(view, ids)
        steps.append(Step(key, str(title), caption[:MAX_CAPTION], target, _evidence(view, ids),
                          ids))
    return steps


def edit(steps: list[Step], keep: set[str], captions: dict[str, str]) -> list[Step]:
    """The steps the advocate kept, with the captions they wrote (blank: the draft's)."""
    out = []
    for step in steps:
        if step.key not in keep:
            continue
        text = " ".join(str(captions.get(step.key) or "").split())
        if text:
            step.caption = text[:MAX_CAPTION]
        out.append(step)
    return out


def _hosts(sources: list[str], n: int = 3) -> str:
    hosts = list(dict.fromkeys(urlparse(s).netloc or s[:40] for s in sources))
    return ", ".join(hosts[:n]) + (", …" if len(hosts) > n else "")


def _frame(view, step: Step, number: int, total: int) -> Frame:
    evidence = (ngettext("Evidence: %(num)d source (%(hosts)s)",
                         "Evidence: %(num)d sources (%(hosts)s)", len(step.evidence),
                         hosts=_hosts(step.evidence))
                if step.evidence else _("Evidence: no source recorded for this step"))
    drawn = {i for i, n in view.nodes.items() if n["label"] != "Country"}  # never on a ladder
    return Frame(f"{number}/{total} · {step.title}", step.caption, [evidence],
                 diagrams.legend(view, drawn), diagrams.footer(view), caption_lines=6)


def slide_scene(view, step: Step, number: int, total: int, size: str):
    return diagrams.scene_for(view, size, highlight=step.highlight,
                              frame_override=_frame(view, step, number, total))


def slides_png(view, steps: list[Step], size: str = "slide") -> bytes:
    """Numbered PNG slides (01-harm.png, 02-local.png ...) in a zip."""
    from graphapp.drawing.layered import SIZES

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, step in enumerate(steps, 1):
            drawn = slide_scene(view, step, n, len(steps), size)
            z.writestr(f"{n:02d}-{step.key}.png", to_png(drawn, SIZES[size]["zoom"]))
        z.writestr("captions.txt", "\n\n".join(
            f"{n}. {s.title}\n{s.caption}\n"
            + _("Sources: %(sources)s", sources="; ".join(s.evidence) or _("none"))
            for n, s in enumerate(steps, 1)) + "\n")
    return out.getvalue()


STORY_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
             "img-src data:; form-action 'none'; base-uri 'none'")
STORY_STYLE = """
body{margin:0;font-family:'Noto Sans',system-ui,sans-serif;color:#1d2330;background:#2b303a}
.slide{display:block;background:#fff;margin:0 auto 16px;max-width:1920px}
.deck .slide{display:none;margin-bottom:0}
.deck .slide.on{display:block}
.slide svg{display:block;width:100%;height:auto;max-height:calc(100vh - 64px)}
.slide .sources{font-size:13px;color:#4a5060;padding:4px 16px 10px}
.slide .sources a{color:#1b4ea3}
nav{color:#d9dde4;font-size:13px;padding:8px 16px;text-align:center}
@media print{body{background:#fff}nav{display:none}
 .slide{display:block!important;page-break-after:always;break-after:page}
 .slide svg{max-height:none}}
"""
STORY_SCRIPT = """<script>
(function () {
  document.body.classList.add('deck');
  var slides = document.querySelectorAll('.slide'), at = 0;
  function show(i) {
    at = Math.max(0, Math.min(slides.length - 1, i));
    for (var k = 0; k < slides.length; k++) slides[k].classList.toggle('on', k === at);
    document.getElementById('where').textContent = (at + 1) + ' / ' + slides.length;
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === ' ') show(at + 1);
    if (e.key === 'ArrowLeft' || e.key === 'PageUp') show(at - 1);
    if (e.key === 'Home') show(0);
    if (e.key === 'End') show(slides.length - 1);
  });
  show(0);
})();
</script>"""


def _short_url(url: str) -> str:
    """host/path, cut to 48 characters: two sources on one host read differently."""
    parts = urlparse(url)
    text = (parts.netloc + parts.path).rstrip("/")
    return text if len(text) <= 48 else text[:47] + "…"


def _source_link(url: str) -> str:
    if urlparse(url).scheme in ("http", "https"):
        safe = html.escape(url, quote=True)
        shown = html.escape(_short_url(url))
        return f'<a href="{safe}" rel="noopener noreferrer">{shown}</a>'
    return html.escape(url)


def slides_html(view, steps: list[Step]) -> str:
    """One offline HTML slideshow: arrow keys (and Page Up/Down, Home, End) move between
    slides; printing gives every slide on its own page; without script every slide shows."""
    parts = []
    for n, step in enumerate(steps, 1):
        drawn = slide_scene(view, step, n, len(steps), "slide")
        sources = (", ".join(_source_link(s) for s in step.evidence[:12])
                   or html.escape(_("none recorded")))
        if len(step.evidence) > 12:
            sources += html.escape(ngettext(" and %(num)d more", " and %(num)d more",
                                            len(step.evidence) - 12))
        label = html.escape(_("Step %(num)d", num=n), quote=True)
        said = html.escape(_("Sources for this step:"))
        parts.append(f'<section class="slide" id="step-{n}" aria-label="{label}">'
                     f"{to_svg(drawn, link=False, element_id=f'slide-{n}')}"
                     f'<p class="sources">{said} {sources}</p></section>')
    lang = html.escape(str(get_locale() or "en"), quote=True)
    title = html.escape(_("%(title)s: the story", title=view.title))
    keys = html.escape(_("← → to move · print for one slide a page"))
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{STORY_CSP}">\n'
            f"<title>{title}</title>\n"
            f"<style>{STORY_STYLE}</style></head>\n<body>\n"
            f'<nav>{keys} · <span id="where"></span></nav>\n'
            + "\n".join(parts) + "\n" + STORY_SCRIPT + "\n</body></html>\n")
