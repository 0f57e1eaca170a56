"""The one table of words the pages show for the graph's internal names.

Labels (``Company``), relationship types (``HAS_JURISDICTION_OVER``), property keys
(``voting_pct``) and enum values (``no_response``) are the model's names, chosen for Cypher and
the API; an advocate reading a page should see "has jurisdiction over" and "voting share"
instead. Every page goes through :func:`human` (a Jinja filter of the same name), so a word is
chosen, and translated, in one place. Lazy strings: the language is the request's.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

WORDS: dict[str, Any] = {
    # node labels
    "Company": _l("Company"), "Person": _l("Person"), "Team": _l("Team"),
    "Product": _l("Product"), "Regulator": _l("Regulator"), "Forum": _l("Forum"),
    "Organization": _l("Organisation"), "Harm": _l("Harm"), "Country": _l("Country"),
    "Engagement": _l("Engagement"), "Commitment": _l("Commitment"), "Investor": _l("Investor"),
    # relationship types
    "OWNS": _l("owns"), "CONTROLS": _l("controls"), "INCORPORATED_IN": _l("incorporated in"),
    "HEADQUARTERED_IN": _l("headquartered in"), "OPERATES_IN": _l("operates in"),
    "PART_OF": _l("part of"), "REPORTS_TO": _l("reports to"), "HOLDS_ROLE": _l("holds a role at"),
    "OPERATES": _l("operates"), "RESPONSIBLE_FOR": _l("responsible for"),
    "AVAILABLE_IN": _l("available in"), "INVOLVES": _l("involves"),
    "OCCURRED_IN": _l("occurred in"), "HAS_JURISDICTION_OVER": _l("has jurisdiction over"),
    "OVERSEES": _l("oversees"), "MEMBER_OF": _l("member of"), "DOCUMENTED": _l("documented"),
    "HAS_CONTACT": _l("has a contact"), "BY": _l("sent by"), "TO": _l("sent to"),
    "ABOUT": _l("about"), "MADE_BY": _l("made by"), "IN_RESPONSE_TO": _l("in response to"),
    # property keys
    "economic_pct": _l("economic share"), "voting_pct": _l("voting share"),
    "pct_min": _l("share at least"), "pct_max": _l("share at most"),
    "share_class": _l("share class"), "title": _l("title"), "kind": _l("kind"),
    "means": _l("means"), "mechanism": _l("how"), "instrument": _l("under"),
    "area": _l("area"), "note": _l("note"), "harm_type": _l("type of harm"),
    "severity": _l("severity"), "started": _l("started"), "ended": _l("ended"),
    "status": _l("status"), "jurisdiction": _l("jurisdiction"), "lei": _l("LEI"),
    "wikidata_id": _l("Wikidata"), "registration_number": _l("registration number"),
    "aliases": _l("other names"), "function": _l("function"), "scope": _l("scope"),
    "investor_type": _l("type of investor"), "iso2": _l("country code"),
    "affected_groups": _l("affected groups"), "website": _l("website"),
    "country": _l("country"), "founded": _l("founded"), "ticker": _l("ticker"),
    "date": _l("date"), "subject": _l("subject"), "outcome": _l("outcome"),
    "response_date": _l("response date"), "text": _l("text"), "due_date": _l("due"),
    "date_made": _l("made on"), "start_date": _l("from"), "end_date": _l("until"),
    "as_of": _l("as of"), "confidence": _l("confidence"), "sources": _l("sources"),
    "name": _l("name"), "description": _l("description"), "id": _l("id"),
    # confidence
    "confirmed": _l("confirmed"), "reported": _l("reported"), "alleged": _l("alleged"),
    "unknown": _l("unknown"),
    # engagement states and kinds, commitment statuses
    "sent": _l("sent"), "acknowledged": _l("acknowledged"), "responded": _l("responded"),
    "no_response": _l("no response"), "declined": _l("declined"), "answered": _l("answered"),
    "awaiting": _l("awaiting an answer"), "overdue": _l("overdue"),
    "letter": _l("letter"), "email": _l("email"), "meeting": _l("meeting"),
    "open_letter": _l("open letter"), "questionnaire": _l("questionnaire"),
    "complaint": _l("complaint"), "litigation": _l("litigation"),
    "public_campaign": _l("public campaign"),
    "pending": _l("pending"), "fulfilled": _l("fulfilled"), "partial": _l("partly kept"),
    "broken": _l("broken"), "withdrawn": _l("withdrawn"),
    # team functions (graphapp.store.model.TEAM_FUNCTIONS; the ladder's sentences say them too)
    "board": _l("board"), "executive": _l("executive"), "policy": _l("policy"),
    "trust_and_safety": _l("trust and safety"), "human_rights": _l("human rights"),
    "product": _l("product"), "engineering": _l("engineering"), "design": _l("design"),
    "marketing": _l("marketing"), "legal": _l("legal"), "privacy": _l("privacy"),
    "law_enforcement_response": _l("law enforcement response"),
    "local_office": _l("local office"),
    # kinds of arrangement (trusts and nominations that hold shares)
    "trust": _l("trust"), "nomination": _l("nomination"), "other": _l("other"),
    # kinds of harm
    "hate_speech": _l("hate speech"), "incitement": _l("incitement"),
    "misinformation": _l("misinformation"), "surveillance": _l("surveillance"),
    "data_sharing_with_authorities": _l("data sharing with authorities"),
    "privacy_breach": _l("privacy breach"),
    "discriminatory_algorithm": _l("discriminatory algorithm"), "censorship": _l("censorship"),
    "shutdown": _l("shutdown"), "labour_rights": _l("labour rights"),
    "environmental": _l("environmental"),
    # the engagement ladder's steps (graphapp.engagement.rules.STEP_TITLES)
    "step:local": _l("Local representative or office"),
    "step:regional": _l("Regional policy lead"),
    "step:hq_product": _l("Headquarters product and policy teams"),
    "step:board": _l("Board and executives"),
    "step:investors_regulators": _l("Investors and regulators"),
    # timeline events
    "engagement": _l("engagement"), "response": _l("response"), "commitment": _l("commitment"),
    # escalation score components
    "authority": _l("authority"), "leverage": _l("leverage"), "evidence": _l("evidence"),
    "distance": _l("distance"), "access": _l("access"), "responsiveness": _l("responsiveness"),
    "relevance": _l("relevance"),
    # roles
    "viewer": _l("viewer"), "editor": _l("editor"), "admin": _l("admin"),
    # escalation rungs
    "local": _l("Local representatives and offices"), "subsidiary": _l("Companies on the way"),
    "team": _l("Teams that decide on the product"), "person": _l("People in those teams now"),
    "leadership": _l("Executives and board of the ultimate parent"),
    "headquarters": _l("Ultimate parent (headquarters)"),
    "investor": _l("Investors behind the companies on the way"),
    "regulator": _l("Regulators"), "forum": _l("Forums"),
}


def human(name: Any) -> str:
    """The words for an internal name; an unknown one with its underscores made spaces."""
    if name is None:
        return ""
    word = WORDS.get(str(name))
    if word is not None:
        return str(word)
    return str(name).replace("_", " ").lower() if str(name).isupper() else \
        str(name).replace("_", " ")
