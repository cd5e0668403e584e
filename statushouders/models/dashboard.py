"""Chain milestones the register does not hold yet, and the indexes the chain dashboard needs.

``person_milestones`` keeps the two dates the dashboard's throughput times need but no other
module records: the housing offer (koppeling -> offer -> move) and the first language lesson
(move -> first lesson). One optional row per person; both dates nullable.

The indexes on other modules' tables are declared here (bound to their columns) so the
dashboard's query plan needs stay in one place and the migration test still sees them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .budget import OntzorgenCategory, Payment
from .letters import LetterRecord
from .people import Consent, PartnerLink, Person
from .plans import Pip, Plan, PlanAction


class PersonMilestone(Base):
    """Dates of chain milestones that have no home elsewhere yet (null = not happened / unknown)."""

    __tablename__ = "person_milestones"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    housing_offer_date: Mapped[date | None] = mapped_column(Date, index=True)
    first_lesson_date: Mapped[date | None] = mapped_column(Date, index=True)


# Range scans by the end date of a throughput time, covering the start date and the filters.
Index("ix_dash_persons_koppeling", Person.koppeling_date, Person.permit_date, Person.municipality)
Index("ix_dash_persons_move", Person.move_date, Person.municipality)
Index("ix_dash_plans_status", Plan.status, Plan.agreed_at)
Index("ix_dash_pips_decided", Pip.decided_on, Pip.version, Pip.person_id)
# Open and overdue actions per organisation and worker: an index-only scan.
Index("ix_dash_actions_open", PlanAction.status, PlanAction.owner_id, PlanAction.worker_id,
      PlanAction.due_date, PlanAction.plan_id)
Index("ix_dash_actions_plan", PlanAction.plan_id, PlanAction.status, PlanAction.owner_id, PlanAction.worker_id,
      PlanAction.due_date)
Index("ix_dash_letters_produced", LetterRecord.produced_at, LetterRecord.person_id, LetterRecord.language)
Index("ix_dash_payments_kind_month", Payment.kind, Payment.month, Payment.person_id, Payment.amount_cents)
Index("ix_dash_payments_kind_person", Payment.kind, Payment.person_id, Payment.due_date)
Index("ix_dash_payments_person_month", Payment.person_id, Payment.month, Payment.kind, Payment.amount_cents,
      Payment.due_date, Payment.run_id)
Index("ix_dash_ontzorgen_hand_back", OntzorgenCategory.hand_back_month)
# policy.person_filter for partners is an EXISTS per person: make it one covering index seek.
Index("ix_dash_consents_access", Consent.person_id, Consent.organisation_id, Consent.purpose, Consent.withdrawn_at)
Index("ix_dash_partner_links_access", PartnerLink.person_id, PartnerLink.organisation_id, PartnerLink.ended_at)
