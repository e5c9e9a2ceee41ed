"""Proposal models: the proposal itself (proposal.py) and its implementation (implementation.py)."""

from proposals.models.implementation import (  # noqa: F401, E402
    Acceptance,
    Payment,
    ProgressReport,
    Settlement,
)
from proposals.models.proposal import (  # noqa: F401
    EDITABLE_FIELDS,
    Attachment,
    Beneficiary,
    Kind,
    OutcomeIndicator,
    Proposal,
    ProposalEvent,
    ProposalQuerySet,
    State,
    attachment_path,
    check_beneficiary_sums,
)
