"""The citizen-budget domain of one municipality (tenant schema). Money is whole DKK."""

from rounds.models.codes import VotingCode, VotingCodeBatch
from rounds.models.kiosk import KioskSubmission
from rounds.models.paper import PaperEntry
from rounds.models.rounds import (
    Area,
    AreaApplication,
    Assessment,
    AuditEntry,
    ChecklistItem,
    Comment,
    Decision,
    Delegate,
    Evaluation,
    ImplementationUpdate,
    Meeting,
    MeetingSignup,
    Phase,
    Proposal,
    Round,
    Statement,
    Support,
    SurveyResponse,
    Theme,
)
from rounds.models.voting import Ballot, BallotChoice, ProjectResult, RoundResult, Voter, VoterKey

__all__ = [
    "Area",
    "AreaApplication",
    "Assessment",
    "AuditEntry",
    "Ballot",
    "BallotChoice",
    "ChecklistItem",
    "Comment",
    "Decision",
    "Delegate",
    "Evaluation",
    "ImplementationUpdate",
    "KioskSubmission",
    "Meeting",
    "MeetingSignup",
    "PaperEntry",
    "Phase",
    "ProjectResult",
    "Proposal",
    "Round",
    "RoundResult",
    "Statement",
    "Support",
    "SurveyResponse",
    "Theme",
    "Voter",
    "VoterKey",
    "VotingCode",
    "VotingCodeBatch",
]
