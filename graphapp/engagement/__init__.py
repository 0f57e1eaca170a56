"""Engagement tracking: letters, responses and commitments, and what they say about a target.

The capability in three parts: :mod:`~graphapp.engagement.rules` (partial dates, states, rates,
the ladder's steps, the options; no database), :mod:`~graphapp.engagement.inputs` (the writes:
``create_engagement``, ``update_engagement``, ``create_commitment``) and
:mod:`~graphapp.engagement.reads` (``list_engagements``, ``overdue``, ``timeline``,
``responsiveness``, ``turnover``...), offered here as one API.
:mod:`graphapp.engagement.standing` (``ladder``: where engagement on a harm stands, rung by
rung) reads the escalation ladder, which itself reads these rules, so it is imported on its own.
docs/engagement.md documents the rules.
"""

from graphapp.engagement.inputs import (
    InvalidInput,
    VersionMismatch,
    create_commitment,
    create_engagement,
    update_engagement,
)
from graphapp.engagement.reads import (
    commitments_past_due,
    get_engagement,
    list_commitments,
    list_engagements,
    overdue,
    overdue_csv,
    overdue_page,
    overdue_rows,
    responsiveness,
    timeline,
    turnover,
)
from graphapp.engagement.rules import (
    DEFAULT_OVERDUE_DAYS,
    STEP_TITLES,
    STEPS,
    EngagementOptions,
    check_days,
    days_waiting,
    evaluation_day,
    first_day,
    last_day,
    overdue_window,
    response_days,
    state,
    stats,
    step_of_node,
    step_of_target,
)

__all__ = [
    "DEFAULT_OVERDUE_DAYS", "STEPS", "STEP_TITLES", "EngagementOptions", "InvalidInput",
    "VersionMismatch",
    "check_days", "commitments_past_due", "create_commitment", "create_engagement",
    "days_waiting", "evaluation_day", "first_day", "get_engagement", "last_day",
    "list_commitments", "list_engagements", "overdue", "overdue_csv", "overdue_page",
    "overdue_rows", "overdue_window", "response_days", "responsiveness", "state",
    "stats", "step_of_node", "step_of_target", "timeline", "turnover", "update_engagement",
]
