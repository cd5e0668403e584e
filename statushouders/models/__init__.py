"""All tables, imported here so Alembic and the app see one metadata."""

from .agenda import Meeting, OutboxMessage  # noqa: F401
from .accounts import LoginSession, LoginThrottle, Organisation, RecoveryCode, User
from .audit import AuditEntry, AuditHead
from .base import Base
from .dashboard import PersonMilestone  # noqa: F401
from .budget import BankStatement, BankStatementLine, PaymentReturn, PaymentRunExclusion  # noqa: F401
from .budget import Budget, BudgetDeduction, BudgetLine, BudgetHousehold, CoachAssignment, CoachChecklistItem, CoachNote, ExpectedAllowance, FixedCost, OntzorgenArrangement, OntzorgenCategory, Payment, PaymentRun  # noqa: F401
from .own_view import CallbackRequest, PersonAccessCode, PersonSession
from .letters import LetterRecord
from .people import Consent, HouseholdMember, PartnerLink, Person
from .plans import DomainAssessment, LifeEvent, Pip, Plan, PlanAction, PlanHistory, PlanParticipant  # noqa: F401

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Base",
    "CallbackRequest",
    "Consent",
    "HouseholdMember",
    "LetterRecord",
    "LoginSession",
    "LoginThrottle",
    "Organisation",
    "PartnerLink",
    "Person",
    "PersonAccessCode",
    "PersonSession",
    "RecoveryCode",
    "User",
]
