"""Chain milestones the register does not hold yet, the dashboard's rollup, and the indexes it needs.

``person_milestones`` keeps the two dates the dashboard's throughput times need but no other
module records: the housing offer (koppeling -> offer -> move) and the first language lesson
(move -> first lesson). One optional row per person; both dates nullable.

The rollup the KPIs are read from (``statushouders/rollup.py``): ``dashboard_facts`` holds per
person a few narrow rows (what ``kpis`` counts for that person, per month), ``dashboard_audiences``
who may open the person, ``dashboard_totals`` the facts summed per audience; ``dashboard_dirty``
lists persons to recompute (database triggers write it on every change, see migration
``0009_dashboard_rollup``); ``dashboard_rollup_state`` the day and definition the rollup is for.

The indexes on other modules' tables are declared here (bound to their columns) so the
dashboard's query plan needs stay in one place and the migration test still sees them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime
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


class DashboardFact(Base):
    """What one KPI counts for one person (in one month, for one organisation and worker).

    ``kind`` is a KPI key or a part of one (see the ``_*_facts`` SELECTs in ``kpis``); ``month`` is
    ``YYYY-MM`` or "" for facts without a month; ``org_id``/``worker_id`` are 0 when not applicable
    (worker 0 = unassigned); ``days`` is the throughput time in days, or the day of the month
    (hand-backs); ``n`` and ``k`` are counts (all, and those meeting the KPI's condition); ``cents``
    the lowest leefgeld transfer of the month.
    """

    __tablename__ = "dashboard_facts"
    __table_args__ = {"sqlite_with_rowid": False}

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    worker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    days: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)
    k: Mapped[int] = mapped_column(Integer)
    cents: Mapped[int | None] = mapped_column(Integer)


class DashboardAudience(Base):
    """A viewer group that may open the person (``policy.audiences``): "m:<municipality>", "o:<org id>", "coa"."""

    __tablename__ = "dashboard_audiences"
    __table_args__ = {"sqlite_with_rowid": False}

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    audience: Mapped[str] = mapped_column(String(110), primary_key=True)


class _FactKey:
    """A fact without its person: kind, month, organisation, worker, days (see ``DashboardFact``)."""

    kind: Mapped[str] = mapped_column(String(30))
    month: Mapped[str] = mapped_column(String(7))
    org_id: Mapped[int] = mapped_column(Integer, autoincrement=False)
    worker_id: Mapped[int] = mapped_column(Integer, autoincrement=False)
    days: Mapped[int] = mapped_column(Integer, autoincrement=False)


class _Sums:
    """What ``dashboard_totals`` adds up per fact."""

    n: Mapped[int] = mapped_column(Integer)  # sum of n
    k: Mapped[int] = mapped_column(Integer)  # sum of k
    persons: Mapped[int] = mapped_column(Integer)  # facts with n > 0
    leefgeld: Mapped[int] = mapped_column(Integer)  # facts with a leefgeld transfer
    below: Mapped[int] = mapped_column(Integer)  # facts whose lowest leefgeld transfer is below the minimum


class DashboardTotal(_FactKey, _Sums, Base):
    """The facts of every person an audience may open, summed: what a dashboard without filters reads."""

    __tablename__ = "dashboard_totals"
    __table_args__ = (PrimaryKeyConstraint("audience", "kind", "month", "org_id", "worker_id", "days"),
                      {"sqlite_with_rowid": False})

    audience: Mapped[str] = mapped_column(String(110))


class DashboardChange(_FactKey, _Sums, Base):
    """During a refresh: the recomputed persons' old facts (negated) and new facts, to net them out."""

    __tablename__ = "dashboard_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer)


class DashboardAudienceChange(Base):
    """During a refresh: the recomputed persons' old audiences (sign -1) and new ones (+1)."""

    __tablename__ = "dashboard_audience_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(110))
    sign: Mapped[int] = mapped_column(Integer)


class DashboardDelta(_FactKey, _Sums, Base):
    """During a refresh: the changes to ``dashboard_totals``, per audience (empty in between)."""

    __tablename__ = "dashboard_delta"

    id: Mapped[int] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(String(110))


class DashboardDirty(Base):
    """A person whose facts are out of date (written by triggers; ``claimed`` while a refresh runs)."""

    __tablename__ = "dashboard_dirty"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer)
    claimed: Mapped[bool] = mapped_column(default=False, server_default=false())


class DashboardRollupState(Base):
    """The single row (id 1) that says for which day and definition the facts were computed.

    Updating it is also the lock that keeps two refreshes from running at once.
    """

    __tablename__ = "dashboard_rollup_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    as_of: Mapped[date | None] = mapped_column(Date)
    definition: Mapped[str | None] = mapped_column(String(64))
    refreshed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


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
# policy.person_ids for partners: one index range per organisation, giving the person ids.
Index("ix_dash_consents_by_org", Consent.organisation_id, Consent.purpose, Consent.withdrawn_at, Consent.person_id)
Index("ix_dash_partner_links_by_org", PartnerLink.organisation_id, PartnerLink.ended_at, PartnerLink.person_id)
# Moving the rollup to another day: the persons with open actions due in between.
Index("ix_dash_actions_due", PlanAction.due_date, PlanAction.status, PlanAction.plan_id)
