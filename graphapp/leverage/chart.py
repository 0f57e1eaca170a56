"""The company leverage page's chart: top holders, economic vs voting look-through, as a PNG.

matplotlib with the Agg canvas (no display, no pyplot state, no network): safe in a web worker.
Honest figures: a known stake is a solid bar; a stake known only as a range is a solid bar to
its lower bound and a hatched, lighter one up to its upper bound, labelled with both bounds; a
stake nobody disclosed (no lower bound) is a short grey hatched stub labelled "undisclosed",
never a long bar. Known stakes come first, then ranges, then the undisclosed ones.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale

from graphapp.i18n import gettext as _

ECONOMIC = "#1b4ea3"
VOTING = "#b3261e"


UNDISCLOSED = "#9aa1ad"
STUB = 2.5  # the width, in %, of an undisclosed stake's stub


def stake(row: dict[str, Any], kind: str) -> tuple[str, float, float | None]:
    """("known", value, None), ("range", low, high) or ("undisclosed", 0, upper bound or
    None) for one holder and kind (economic or voting)."""
    if row.get(f"{kind}_pct") is not None:
        return "known", float(row[f"{kind}_pct"]), None
    lo, hi = row.get(f"{kind}_min_pct"), row.get(f"{kind}_max_pct")
    if lo:
        return "range", float(lo), None if hi is None else float(hi)
    return "undisclosed", 0.0, None if hi is None else float(hi)


def _number(x: float) -> str:
    """A figure to 4 significant digits with the reader's separators (61.1, 61,1)."""
    return format_decimal(float(f"{x:.4g}"), format="#,##0.####", locale=get_locale() or "en")


def _pct(x: float) -> str:
    """A percentage as the reader's language writes it (61.1%, 61,1 %)."""
    return format_percent(float(f"{x:.4g}") / 100, format="#,##0.####%",
                          locale=get_locale() or "en")


def stake_text(row: dict[str, Any], kind: str) -> str:
    """"13%", "5–10%", "undisclosed (at most 68.9%)": how a stake reads everywhere, in the
    reader's language and number format."""
    what, lo, hi = stake(row, kind)
    if what == "known":
        return _pct(lo)
    if what == "range":
        return (f"{_number(lo)}–{_pct(hi)}" if hi is not None
                else _("at least %(pct)s", pct=_pct(lo)))
    if hi is not None and hi < 100:
        return _("undisclosed (at most %(pct)s)", pct=_pct(hi))
    return _("undisclosed")


def order(rows: list[dict[str, Any]], who: str = "holder") -> list[dict[str, Any]]:
    """Known stakes first (largest first), then ranges (by their lower bound), then the
    undisclosed ones: an unknown stake never ranks above a known one."""
    rank = {"known": 0, "range": 1, "undisclosed": 2}

    def key(row: dict[str, Any]) -> tuple:
        kinds = [stake(row, k) for k in ("economic", "voting")]
        best = min(rank[k[0]] for k in kinds)
        return (best, -max(k[1] for k in kinds), str(row[who].get("name") or ""))

    return sorted(rows, key=key)


def holders_png(result: dict[str, Any], top: int = 10, phone: bool = False) -> bytes:
    """A horizontal bar chart of the ``top`` holders of ``company_leverage``'s result.

    ``phone``: drawn 4.2 inches wide instead of 8.5, so that on a 390-pixel screen its text is
    as large as the page's (the wide chart scaled down there made 5-pixel letters)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = order(result["look_through"])[:top]
    height = 1.4 + 0.55 * max(len(rows), 1)
    fig = Figure(figsize=(4.2 if phone else 8.5, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    title = (_("Who holds %(name)s: look-through stakes (as of %(date)s)",
               name=result["company"]["name"], date=result["as_of"]) if result.get("as_of")
             else _("Who holds %(name)s: look-through stakes", name=result["company"]["name"]))
    if phone:
        # Anchored to the figure's left edge, not the axes' (which start after the holders'
        # names): from the axes, a 44-letter line ran off the 420-pixel image.
        fig.suptitle(textwrap.fill(title, 44, break_on_hyphens=False), x=0.02, ha="left",
                     fontsize=11)
    else:
        ax.set_title(title, fontsize=11, loc="left")
    if not rows:
        ax.text(0.5, 0.5, _("No holders recorded."), ha="center", va="center", fontsize=11)
        ax.set_axis_off()
    else:
        names = [_label(r, phone) for r in rows]
        y = list(range(len(rows)))
        for offset, kind, colour, label in ((-0.2, "economic", ECONOMIC, _("Economic")),
                                            (0.2, "voting", VOTING, _("Voting"))):
            for i, row in enumerate(rows):
                p = i + offset
                what, lo, hi = stake(row, kind)
                if what == "undisclosed":
                    ax.barh(p, STUB, height=0.38, color="#eceef2", edgecolor=UNDISCLOSED,
                            hatch="////", linewidth=0.6)
                    ax.text(STUB + 0.8, p, stake_text(row, kind), va="center", fontsize=8,
                            color="#5d6675", style="italic")
                    continue
                ax.barh(p, lo, height=0.38, color=colour,
                        label=label if i == 0 else None)
                end = lo
                if what == "range" and hi is not None and hi > lo:
                    ax.barh(p, hi - lo, left=lo, height=0.38, color="white", edgecolor=colour,
                            hatch="////", linewidth=0.6, alpha=0.7)
                    end = hi
                ax.text(end + 0.8, p, stake_text(row, kind), va="center", fontsize=8)
        ax.set_yticks(y, names, fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, 135 if phone else 112)  # room for "100%" beside a full bar
        ax.set_xticks(range(0, 101, 25 if phone else 20))
        if phone:
            # Centred on the figure and on two lines, and the legend above the bars: on the
            # narrow chart the one-line label was cut off and the legend covered the
            # "undisclosed" notes of the last holder.
            fig.supxlabel(_("%(pct)s of the company\n(hatched: a range or undisclosed)",
                            pct="%"), fontsize=9)
            ax.legend(loc="lower right", bbox_to_anchor=(1, 1), ncol=2, fontsize=8,
                      frameon=False, borderaxespad=0.2)
        else:
            # wrapped: the Spanish and French labels are longer than the chart is wide
            ax.set_xlabel(textwrap.fill(_("%(pct)s of the company, over all ownership chains "
                                          "(hatched: a range or undisclosed)", pct="%"), 80,
                                        break_on_hyphens=False), fontsize=9)
            ax.legend(loc="lower right", fontsize=8, frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _label(row: dict[str, Any], phone: bool = False) -> str:
    """The holder's name, cut to fit; "(indirect)" after it, on a line of its own on a phone
    (the names' column would otherwise leave the bars no room)."""
    name = row["holder"]["name"] or "?"
    most = 18 if phone else 24
    name = name if len(name) <= most else name[:most - 1] + "…"
    if row["direct"]:
        return name
    label = _("%(name)s (indirect)", name=name)
    return label.replace(f"{name} (", f"{name}\n(", 1) if phone else label
