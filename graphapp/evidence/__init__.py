"""Evidence you can cite: how much a relationship's sources weigh, and how old its facts are.

Advocates quote graphapp's claims in letters, shareholder questions and the press, so each claim
must say what it rests on. A source has a tier (``primary``: the filing, the decision, the
party's own statement; ``secondary``: established media, NGO and UN reports; ``tertiary``:
encyclopedias, aggregators, blogs, scraper copies), read from the maintained table
``source_tiers.yaml`` by the site it is on, unless the record overrides it for that source.
A relationship's evidence is the best its sources give together (``primary`` >
``corroborated``: two independent secondary sources > ``secondary`` > ``tertiary`` > ``none``),
and a path of relationships is as strong as its weakest hop. docs/evidence.md says more.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from graphapp.i18n import gettext as _
from graphapp.i18n import lazy_gettext as _l

TIERS = ("primary", "secondary", "tertiary")
# Weakest first: a path's evidence is the lowest rank among its hops.
LEVELS = ("none", "tertiary", "secondary", "corroborated", "primary")
LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}
# What "rests on" means, in the words shown beside a claim or a path (whole sentences, for
# translators; in the reader's language in a request, English elsewhere: graphapp.i18n).
LEVEL_WORDS = {
    "primary": _l("rests on a primary source"),
    "corroborated": _l("rests on two independent secondary sources"),
    "secondary": _l("rests on one secondary source"),
    "tertiary": _l("rests on tertiary sources only"),
    "none": _l("rests on no specific source"),
}
DEFAULT_STALE_MONTHS = 18
# Records of events: a letter sent, a harm documented, a company involved in a harm. They stay
# true; only facts that change (stakes, roles, memberships, oversight...) go stale.
EVENT_TYPES = frozenset({"INVOLVES", "OCCURRED_IN", "DOCUMENTED", "BY", "TO", "ABOUT", "MADE_BY",
                         "IN_RESPONSE_TO"})
# The fields of ``problems`` that the seed loader refuses (records.validate with sourced=True).
ENFORCED = frozenset({"confidence", "method", "sources"})
TABLE_PATH = Path(__file__).resolve().parent / "source_tiers.yaml"
# Second-level labels under which a registered name has three labels (bbc.co.uk, ca.go.ke).
_SHARED_SECOND_LEVEL = {"co", "com", "org", "or", "go", "gov", "gob", "net", "ac", "edu"}
# Path segments that are not a page: a language, an index file.
_NOT_A_PAGE = re.compile(r"^([a-z]{2}([-_][a-z]{2})?|index\.[a-z]+|home)$", re.IGNORECASE)


@functools.cache
def table(path: Path = TABLE_PATH) -> dict[str, Any]:
    """The domain table: ``{"default": tier, "hosts": {host: tier}}``.

    Raises ValueError naming the problem when the file lists an unknown tier or a host twice.
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    default = raw.get("default", "tertiary")
    if default not in TIERS:
        raise ValueError(f"{path.name}: default: must be one of {', '.join(TIERS)}.")
    unknown = set(raw) - {"default", *TIERS}
    if unknown:
        raise ValueError(f"{path.name}: unknown keys {sorted(unknown)}; use {', '.join(TIERS)}.")
    hosts: dict[str, str] = {}
    for tier in TIERS:
        for host in raw.get(tier) or []:
            host = str(host).lower().removeprefix("www.")
            if host in hosts:
                raise ValueError(f"{path.name}: {host} is listed twice.")
            hosts[host] = tier
    return {"default": default, "hosts": hosts}


@functools.lru_cache(maxsize=65536)  # a ladder asks about the same sources many times
def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


@functools.lru_cache(maxsize=65536)
def site_of(url: str) -> str:
    """The registered name a URL is on (``ca.go.ke``, ``nytimes.com``): two sources on one site
    are not independent of each other."""
    labels = host_of(url).split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SHARED_SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def tier_of(url: str, override: str | None = None) -> str:
    """A source's tier: the override when given, else the table's entry for its host (or the
    nearest parent domain listed), else the table's default."""
    if override:
        return override
    return _tier_in_table(url)


@functools.lru_cache(maxsize=65536)  # a ladder asks about the same sources many times
def _tier_in_table(url: str) -> str:
    known = table()
    labels = host_of(url).split(".")
    for i in range(len(labels) - 1):
        tier = known["hosts"].get(".".join(labels[i:]))
        if tier:
            return tier
    return known["default"]


@functools.lru_cache(maxsize=65536)
def is_home_page(url: str) -> bool:
    """True for a site's front page (``https://www.amnesty.org/``, ``.../en/``): it names a
    site, not the page that says the claim."""
    parts = urlsplit(url)
    if parts.query:
        return False
    segments = [s for s in parts.path.split("/") if s]
    return all(_NOT_A_PAGE.match(s) for s in segments)


def tiers_of(sources: Sequence[str], overrides: Sequence[str | None] | None = None) -> list[str]:
    """The tier of each source; ``overrides`` (same length, ``None`` or ``""`` for "as the
    table says") come from a record's ``source_tiers``."""
    overrides = list(overrides or [])
    if len(overrides) != len(sources):
        overrides = [None] * len(sources)
    return [tier_of(url, o) for url, o in zip(sources, overrides, strict=True)]


def assess(rel: dict[str, Any]) -> dict[str, Any]:
    """What a relationship's sources amount to.

    ``level`` (one of LEVELS), ``words`` ("rests on ..."), ``tiers`` per source, and the flags the
    quality report counts: ``single_source``, ``tertiary_only``, ``home_page_only``.
    Home pages do not count towards the level: they name a site, not the claim.
    """
    sources = list(rel.get("sources") or [])
    tiers = tiers_of(sources, rel.get("source_tiers"))
    specific = [(url, tier) for url, tier in zip(sources, tiers, strict=True)
                if not is_home_page(url)]
    secondary_sites = {site_of(url) for url, tier in specific if tier == "secondary"}
    if any(tier == "primary" for _, tier in specific):
        level = "primary"
    elif len(secondary_sites) >= 2:
        level = "corroborated"
    elif secondary_sites:
        level = "secondary"
    elif specific:
        level = "tertiary"
    else:
        level = "none"
    words = str(LEVEL_WORDS[level])
    if level == "tertiary":
        sites = sorted({host_of(url) for url, _ in specific})
        words = (_("rests on one tertiary source (%(site)s)", site=sites[0])
                 if len(specific) == 1
                 else _("rests on tertiary sources only (%(sites)s)", sites=", ".join(sites)))
    elif level == "none" and sources:
        words = _("rests on a home page only")
    return {"level": level, "rank": LEVEL_RANK[level], "words": words, "tiers": tiers,
            "single_source": len(sources) == 1,
            "tertiary_only": bool(sources) and all(t == "tertiary" for t in tiers),
            "home_page_only": bool(sources) and not specific}


def weakest(assessments: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The weakest of several assessments (a path's hops): the path rests on it."""
    found = list(assessments)
    return min(found, key=lambda a: a["rank"]) if found else None


def check_level(value: str | None, field: str = "min_evidence") -> str:
    """A valid evidence level (``none`` when not given); ValueError naming the choices."""
    level = value or "none"
    if level not in LEVEL_RANK:
        raise ValueError(f"Must be one of: {', '.join(LEVELS)}.")
    return level


# --- the rules a cited claim must meet ----------------------------------------------------------


def problems(rel: dict[str, Any]) -> dict[str, list[str]]:
    """The evidence rules, as ``{field: [message]}`` (empty when the claim can be cited).

    - ``confirmed`` needs a primary source, or two independent secondary ones;
    - a home page alone is not a source for a specific claim;
    - a derived figure (computed from others) says how (``method``).
    """
    errors: dict[str, list[str]] = {}
    sources = list(rel.get("sources") or [])
    found = assess(rel)
    if found["home_page_only"]:
        errors.setdefault("sources", []).append(
            f"A home page alone is not a source for a specific claim ({sources[0]}): cite the "
            "page, filing or decision that says it.")
    if rel.get("confidence") == "confirmed" and found["level"] not in ("primary", "corroborated"):
        errors.setdefault("confidence", []).append(
            f"confirmed needs a primary source, or two independent secondary ones; this "
            f"{found['words']}. Cite one, or mark it reported.")
    if rel.get("derived") and not (rel.get("method") or "").strip():
        errors.setdefault("method", []).append(
            "A derived figure needs its method: say how it was computed and from what.")
    return errors


# --- staleness -----------------------------------------------------------------------------------


def period_end(value: str) -> dt.date:
    """The last day a partial date can mean (``2023`` -> 2023-12-31): a fact checked at some
    time in 2023 is given the benefit of the doubt."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(*parts)


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back by whole months (the 31st falls to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))


def configured_months() -> int:
    """The age (months) after which a fact is stale: the app's ``STALE_MONTHS``
    (``GRAPHAPP_STALE_MONTHS``) inside a request, else that variable, else 18."""
    from flask import current_app, has_app_context

    if has_app_context() and current_app.config.get("STALE_MONTHS"):
        return int(current_app.config["STALE_MONTHS"])
    value = os.environ.get("GRAPHAPP_STALE_MONTHS")
    return int(value) if value and value.isdigit() and int(value) > 0 else DEFAULT_STALE_MONTHS


def day_of(on: str | dt.date | None = None) -> dt.date:
    """The day a view is seen from: today, a date, or the last day of a partial date."""
    if on is None:
        return dt.date.today()
    if isinstance(on, dt.date):
        return on
    return period_end(on) if len(on) < 10 else dt.date.fromisoformat(on)


def stale_before(on: str | dt.date | None = None, months: int | None = None) -> dt.date:
    """The day before which an ``as_of`` is stale, seen from ``on`` (today when None)."""
    months = configured_months() if months is None else months
    if on is None:  # today: not cached, a server runs across days
        return months_before(day_of(on), months)
    return _stale_before_on(on, months)


@functools.lru_cache(maxsize=1024)  # a ladder asks it for every hop, from one day
def _stale_before_on(on: str | dt.date, months: int) -> dt.date:
    return months_before(day_of(on), months)


def is_stale(rel: dict[str, Any], on: str | dt.date | None = None,
             months: int | None = None, rel_type: str | None = None) -> bool:
    """True when a current fact was last checked too long ago.

    Records of events (``EVENT_TYPES``: an engagement, a harm's involvement) never are; the type
    is ``rel_type`` or the relationship's own ``type``.

    Seen from ``on`` (the ladder's as-of day; today by default): a relationship that had ended
    by then is history, not stale; one with no ``as_of`` is not flagged here (the quality report
    lists unsourced claims separately).
    """
    as_of = rel.get("as_of")
    if not as_of or (rel_type or rel.get("type")) in EVENT_TYPES:
        return False
    end = rel.get("end_date")
    if end and period_end(str(end)) < day_of(on):
        return False
    return period_end(str(as_of)) < stale_before(on, months)


def annotate(rel: dict[str, Any], on: str | dt.date | None = None,
             months: int | None = None, rel_type: str | None = None) -> dict[str, Any]:
    """What a page, the ladder or an export shows beside a relationship: its ``evidence`` level,
    the words for it, and whether it is ``stale`` seen from ``on``."""
    found = assess(rel)
    return {"evidence": found["level"], "evidence_words": found["words"],
            "stale": is_stale(rel, on, months, rel_type)}
