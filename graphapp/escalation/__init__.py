"""Escalation paths: from a documented harm up to the people who decide and those who fund them.

The capability in four parts: :mod:`~graphapp.escalation.core` (the ladder: its rungs and
options, ``escalate``, one card per target, the diagram's subgraph),
:mod:`~graphapp.escalation.scoring` (the score and its components),
:mod:`~graphapp.escalation.sentences` (why each target, in one plain sentence) and
:mod:`~graphapp.escalation.paths` (a path's hops and their words), offered here as one API:
``escalation.escalate(graph, harm_id, ...)``. docs/escalation.md documents the score.
"""

from graphapp.escalation.core import (
    BESIDE,
    DEFAULT_LIMIT,
    DEFAULT_MAX_HOPS,
    LADDER,
    MAX_HOPS_LIMIT,
    MAX_LIMIT,
    RUNG_TITLES,
    RUNGS,
    EscalationOptions,
    check_kinds,
    check_options,
    escalate,
    list_harms,
    more_targets,
    rung_title,
    subgraph,
)
from graphapp.escalation.paths import edge_label, hops_of, short_instrument
from graphapp.escalation.scoring import (
    WEIGHTS,
    distance_component,
    evidence_component,
    score,
    stake_leverage,
)

__all__ = [
    "BESIDE", "DEFAULT_LIMIT", "DEFAULT_MAX_HOPS", "LADDER", "MAX_HOPS_LIMIT", "MAX_LIMIT",
    "RUNGS", "RUNG_TITLES", "WEIGHTS", "EscalationOptions", "check_kinds", "check_options",
    "distance_component", "edge_label", "escalate", "evidence_component", "hops_of",
    "list_harms", "more_targets", "rung_title", "score", "short_instrument", "stake_leverage",
    "subgraph",
]
