"""The company leverage page's chart: top holders, economic vs voting look-through, as a PNG.

matplotlib with the Agg canvas (no display, no pyplot state, no network): safe in a web worker.
A stake known only as a range is drawn as a bar to its lower bound with a line to its upper one.
"""

from __future__ import annotations

import io
from typing import Any

ECONOMIC = "#1b4ea3"
VOTING = "#b3261e"


def _bar(row: dict[str, Any], kind: str) -> tuple[float, float]:
    """(lower bound, extra up to the upper bound) in %, for one holder and kind."""
    lo = row[f"{kind}_min_pct"] or 0.0
    hi = row[f"{kind}_max_pct"]
    return lo, (100.0 if hi is None else hi) - lo


def holders_png(result: dict[str, Any], top: int = 10) -> bytes:
    """A horizontal bar chart of the ``top`` holders of ``company_leverage``'s result."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = result["look_through"][:top]
    height = 1.4 + 0.55 * max(len(rows), 1)
    fig = Figure(figsize=(8.5, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    title = f"Who holds {result['company']['name']}: look-through stakes"
    if result.get("as_of"):
        title += f" (as of {result['as_of']})"
    ax.set_title(title, fontsize=11, loc="left")
    if not rows:
        ax.text(0.5, 0.5, "No holders recorded", ha="center", va="center", fontsize=11)
        ax.set_axis_off()
    else:
        names = [_label(r) for r in rows]
        y = list(range(len(rows)))
        for offset, kind, colour, label in ((-0.2, "economic", ECONOMIC, "economic"),
                                            (0.2, "voting", VOTING, "voting")):
            bars = [_bar(r, kind) for r in rows]
            pos = [i + offset for i in y]
            ax.barh(pos, [b[0] for b in bars], height=0.38, color=colour, label=label)
            ranged = [(p, b) for p, b in zip(pos, bars, strict=True) if b[1] > 1e-9]
            if ranged:
                ax.errorbar([b[0] + b[1] / 2 for _, b in ranged], [p for p, _ in ranged],
                            xerr=[b[1] / 2 for _, b in ranged], fmt="none", ecolor=colour,
                            elinewidth=1.2, capsize=3)
            for p, (lo, extra) in zip(pos, bars, strict=True):
                text = f"{lo:.4g}%" if extra <= 1e-9 else f"{lo:.4g}–{lo + extra:.4g}%"
                ax.text(lo + extra + 0.8, p, text, va="center", fontsize=8)
        ax.set_yticks(y, names, fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, 112)
        ax.set_xlabel("% of the company (integrated over all ownership chains)")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _label(row: dict[str, Any]) -> str:
    name = row["holder"]["name"] or "?"
    name = name if len(name) <= 34 else name[:33] + "…"
    return name + ("" if row["direct"] else " (indirect)")
