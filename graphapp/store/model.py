"""The power graph's vocabulary: labels, relationship types, the patterns they may join, enums.

``docs/model.md`` explains it in prose; ``cypher/schema.cypher`` holds its constraints and indexes.
"""

from __future__ import annotations

# Every node also carries the label ``Entity``: one uniqueness constraint on ``Entity.id`` makes
# ids unique across the whole graph, so ``/entities/<id>`` and relationship endpoints need no label.
BASE_LABEL = "Entity"

LABELS = (
    "Company", "Person", "Team", "Product", "Regulator", "Forum", "Organization",
    "Harm", "Country", "Engagement", "Commitment", "Arrangement", "State", "Undisclosed",
)
# ``Investor`` is an extra label on a Company or Person that holds stakes.
EXTRA_LABELS = {"Investor": ("Company", "Person")}
ALL_LABELS = (*LABELS, *EXTRA_LABELS)

CONFIDENCE = ("confirmed", "reported", "alleged")
CONFIDENCE_RANK = {"alleged": 1, "reported": 2, "confirmed": 3}

TEAM_FUNCTIONS = (
    "board", "executive", "policy", "trust_and_safety", "human_rights", "product", "engineering",
    "design", "marketing", "legal", "privacy", "law_enforcement_response", "local_office",
)
TEAM_SCOPES = ("global", "regional", "country")
INVESTOR_TYPES = (
    "asset_manager", "pension_fund", "sovereign_fund", "venture_capital", "private_equity",
    "state", "bank", "individual",
)
REGULATOR_KINDS = (
    "data_protection", "competition", "telecom", "consumer", "media", "court", "legislature",
    "ministry", "un_mechanism", "regional_human_rights_body", "oecd_ncp",
)
FORUM_KINDS = (
    "multi_stakeholder_initiative", "industry_association", "convening", "oversight_body",
    "coalition_of_states", "investor_initiative",
)
HARM_TYPES = (
    "hate_speech", "incitement", "misinformation", "surveillance",
    "data_sharing_with_authorities", "privacy_breach", "discriminatory_algorithm", "censorship",
    "shutdown", "labour_rights", "environmental",
)
ENGAGEMENT_KINDS = (
    "letter", "email", "meeting", "open_letter", "questionnaire", "complaint", "litigation",
    "public_campaign",
)
ENGAGEMENT_STATUSES = ("sent", "acknowledged", "responded", "no_response", "declined")
ENGAGEMENT_ANSWERED = ("acknowledged", "responded", "declined")  # the others are still open
ENGAGEMENT_OPEN = ("sent", "no_response")
COMMITMENT_STATUSES = ("pending", "fulfilled", "partial", "broken", "withdrawn")
ROLE_KINDS = ("board", "executive", "manager", "staff", "representative")
# Opaque structures (BODS 0.4, GLEIF Level 2; docs/model.md "Opaque structures").
ARRANGEMENT_TYPES = ("trust", "nomination", "other")  # BODS entityType arrangement subtypes
STATE_KINDS = ("state", "stateBody")
STATE_BODY_TYPES = ("governmentDepartment", "stateAgency", "other")
# A party to an arrangement (BODS interest types settlor ... nominator).
ARRANGEMENT_ROLES = ("settlor", "trustee", "protector", "beneficiary", "nominee", "nominator")
DIRECT_OR_INDIRECT = ("direct", "indirect", "unknown")
# Why an owner or controller is not disclosed: the BODS unspecifiedReason codelist, the BODS
# person and entity types that stand for an unidentified party, and GLEIF's reporting
# exception reasons.
UNDISCLOSED_REASONS = (
    "noBeneficialOwners", "subjectUnableToConfirmOrIdentifyBeneficialOwner",
    "interestedPartyHasNotProvidedInformation", "subjectExemptFromDisclosure",
    "interestedPartyExemptFromDisclosure", "unknown", "informationUnknownToPublisher",
    "anonymousPerson", "unknownPerson", "anonymousEntity", "unknownEntity",
    "NATURAL_PERSONS", "NON_CONSOLIDATING", "NO_KNOWN_PERSON", "NON_PUBLIC",
    "BINDING_LEGAL_COMMITMENTS", "LEGAL_OBSTACLES", "DISCLOSURE_DETRIMENTAL",
    "DETRIMENT_NOT_EXCLUDED", "CONSENT_NOT_OBTAINED",
)
UNDISCLOSED_PARTY_KINDS = ("person", "entity", "unknown")
# Who may be named in a shared graph: a Person acting in a public role. ``manager`` is the head
# of a function (a vice-president, a director of human rights policy); ``staff`` below that is
# not an office. Owners and controllers of a company act in a public role too. Anyone else
# (victims, petitioners, activists, staff) is removed, or marked sensitive in an advocate's graph.
OFFICE_ROLE_KINDS = ("board", "executive", "manager", "representative")
OFFICE_REL_TYPES = ("OWNS", "CONTROLS", "HOLDS_INDIRECTLY")

ANY = ALL_LABELS
OWNERS = ("Company", "Person", "Arrangement", "State", "Undisclosed")
# What a disclosure can be about: BODS subjects are entities (companies, arrangements, states).
HELD = ("Company", "Arrangement", "State", "Undisclosed")

# type -> (allowed start labels, allowed end labels)
RELATIONSHIPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "OWNS": (OWNERS, HELD),
    "CONTROLS": (OWNERS, HELD),
    # The register's own figure for an indirect interest (its chain may not give one).
    "HOLDS_INDIRECTLY": (OWNERS, HELD),
    # settlor, trustee, protector, beneficiary, nominee, nominator of an arrangement.
    "PARTY_TO": (OWNERS, HELD),
    "INCORPORATED_IN": (("Company",), ("Country",)),
    "HEADQUARTERED_IN": (("Company",), ("Country",)),
    "OPERATES_IN": (("Company",), ("Country",)),
    "PART_OF": (("Team",), ("Company",)),
    "REPORTS_TO": (("Team",), ("Team",)),
    "HOLDS_ROLE": (("Person",), ("Company", "Team", "Arrangement", "State")),
    "OPERATES": (("Company",), ("Product",)),
    "RESPONSIBLE_FOR": (("Team",), ("Product",)),
    "AVAILABLE_IN": (("Product",), ("Country",)),
    "INVOLVES": (("Harm",), ("Product", "Company")),
    "OCCURRED_IN": (("Harm",), ("Country",)),
    "HAS_JURISDICTION_OVER": (("Regulator",), ("Country",)),
    "OVERSEES": (("Regulator",), ("Company", "Product")),
    "MEMBER_OF": (("Company", "Organization", "Regulator", "Investor"), ("Forum", "Organization")),
    "DOCUMENTED": (("Organization",), ("Harm",)),
    "HAS_CONTACT": (("Organization",), ("Person",)),
    "BY": (("Engagement",), ("Organization",)),
    "TO": (("Engagement",), ANY),
    "ABOUT": (("Engagement", "Commitment"), ("Harm",)),
    "MADE_BY": (("Commitment",), ("Company",)),
    "IN_RESPONSE_TO": (("Commitment",), ("Engagement",)),
}
REL_TYPES = tuple(RELATIONSHIPS)

# Relationships that are sensitive by nature: who can reach whom.
SENSITIVE_REL_TYPES = ("HAS_CONTACT",)


def pattern_allows(rel_type: str, start_labels: set[str], end_labels: set[str]) -> bool:
    """True when the model lets ``rel_type`` join nodes with these labels."""
    starts, ends = RELATIONSHIPS[rel_type]
    return bool(set(starts) & start_labels) and bool(set(ends) & end_labels)
