"""The joint intake, the one shared plan of action, its history and the versioned PIP."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UtcDateTime


class Plan(Base):
    """One person's plan of action, holding the joint intake that produced it.

    ``revision`` goes up on every change anywhere in the plan, so open screens can
    poll one integer to know they must reload.
    """

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20))  # intake, concept, actief
    intake_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    intake_location: Mapped[str] = mapped_column(String(200), default="")
    interpreter_present: Mapped[bool] = mapped_column(default=False)
    interpreter_language: Mapped[str] = mapped_column(String(10), default="")
    brp_date: Mapped[date | None] = mapped_column(Date)  # BRP registration in the municipality
    family_reunification: Mapped[bool] = mapped_column(default=False)  # family abroad to bring over
    # facts from the intake that select the fitting template actions (plan_templates.CONDITIONS)
    diplomas: Mapped[str] = mapped_column(String(10), default="")  # "", none, present, lost
    occupation: Mapped[str] = mapped_column(String(200), default="")  # previous occupation
    goal: Mapped[str] = mapped_column(String(10), default="")  # "", work, study
    learnability_score: Mapped[int | None] = mapped_column(Integer)  # leerbaarheidstoets, 0-40 correct answers
    health_shared: Mapped[bool] = mapped_column(default=False)  # agreed to share functional limitations
    intake_outside_hours_reason: Mapped[str] = mapped_column(Text, default="")
    intake_held_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # marked held: agreement may follow
    overall_level: Mapped[str] = mapped_column(String(2), default="")  # "" = derived from the domains
    overall_reason: Mapped[str] = mapped_column(Text, default="")
    regisseur_id: Mapped[int | None] = mapped_column(Integer)  # users.id of the one named case owner (no FK: SQLite ALTER)
    private_notes: Mapped[str] = mapped_column(Text, default="")  # gemeente only
    private_held: Mapped[bool] = mapped_column(default=False)
    agreed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    agreed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agreement_note: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    participants: Mapped[list[PlanParticipant]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanParticipant.id"
    )
    assessments: Mapped[list[DomainAssessment]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="DomainAssessment.id"
    )
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanAction.id"
    )


class PlanParticipant(Base):
    """A partner organisation invited to the joint intake, and whether it was present."""

    __tablename__ = "plan_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    present: Mapped[bool] = mapped_column(default=False)
    # The partner's own answer to the intake invitation ("ik kom" / "ik kom niet"): "", accepted, declined.
    # A moved intake asks again (back to "").
    response: Mapped[str] = mapped_column(String(10), default="", server_default="")
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    responded_by: Mapped[int | None] = mapped_column(Integer)  # users.id (no FK: SQLite ALTER)

    plan: Mapped[Plan] = relationship(back_populates="participants")

    __table_args__ = (UniqueConstraint("plan_id", "organisation_id", name="uq_plan_participants_plan_org"),)


class DomainAssessment(Base):
    """One life domain as discussed at the intake: situation, score, own goals, guidance level."""

    __tablename__ = "domain_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    domain: Mapped[str] = mapped_column(String(30))
    relevance: Mapped[str] = mapped_column(Text, default="")  # why this domain is recorded at all
    situation: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int] = mapped_column(Integer)
    goals: Mapped[str] = mapped_column(Text, default="")  # in the person's own words
    level: Mapped[str] = mapped_column(String(2))  # L1, L2, L3
    level_reason: Mapped[str] = mapped_column(Text, default="")  # required when level != suggested

    plan: Mapped[Plan] = relationship(back_populates="assessments")

    __table_args__ = (UniqueConstraint("plan_id", "domain", name="uq_domain_assessments_plan_domain"),)


class PlanAction(Base):
    """Who does what by when. ``version`` refuses a stale save instead of silently overwriting."""

    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    domain: Mapped[str] = mapped_column(String(30))
    what: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # begeleid, coaching, informatie, controle
    owner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    own_part: Mapped[str] = mapped_column(Text, default="")
    milestone: Mapped[str] = mapped_column(String(20), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    norm_date: Mapped[date | None] = mapped_column(Date)  # what the norm alone gave, when that had passed
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, bezig, klaar, geblokkeerd
    blocked_reason: Mapped[str] = mapped_column(Text, default="")
    visible_to: Mapped[list] = mapped_column(JSON, default=list)  # organisation ids besides owner and gemeente
    template: Mapped[str] = mapped_column(String(100), default="")  # where it came from, "" when added by hand
    subject: Mapped[str] = mapped_column(String(200), default="")  # the child it is for, e.g. "Mariam (6 jaar)"
    reason: Mapped[str] = mapped_column(Text, default="")  # why the generator chose it (facts and level)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    plan: Mapped[Plan] = relationship(back_populates="actions")

    __mapper_args__ = {"version_id_col": version}


class PlanHistory(Base):
    """Every change to a plan: who, when, what. Kept when the action itself is removed."""

    __tablename__ = "plan_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(Text)


class Pip(Base):
    """One version of a person's PIP. A change never edits a row: it adds the next version."""

    __tablename__ = "pips"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(default=True)
    decided_on: Mapped[date] = mapped_column(Date)
    term_start: Mapped[date] = mapped_column(Date)  # start of the inburgeringstermijn (first version)
    route: Mapped[str] = mapped_column(String(20))  # b1, onderwijs, z
    language_level: Mapped[str] = mapped_column(String(5), default="B1")  # B1 or A2 (b1 route)
    duration_months: Mapped[int] = mapped_column(Integer)
    preconditions: Mapped[str] = mapped_column(Text, default="")
    guidance: Mapped[str] = mapped_column(Text, default="")
    map_intensity: Mapped[str] = mapped_column(String(100), default="")
    pvt_intensity: Mapped[str] = mapped_column(String(100), default="")
    ontzorgen: Mapped[str] = mapped_column(Text, default="")
    ontzorgen_months: Mapped[int] = mapped_column(Integer, default=6)
    monitoring: Mapped[str] = mapped_column(Text, default="")
    vve: Mapped[str] = mapped_column(Text, default="")
    lesson_hours: Mapped[int] = mapped_column(Integer, default=0)
    in_person_hours: Mapped[int] = mapped_column(Integer, default=0)
    linked_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))  # household: the other PIP
    change_kind: Mapped[str] = mapped_column(String(20))  # eerste, route, a2, verhuizing, huishouden, anders
    term_extension_months: Mapped[int] = mapped_column(Integer, default=0)  # term extended (e.g. birth)
    lessons_paused_from: Mapped[date | None] = mapped_column(Date)
    lessons_paused_until: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (UniqueConstraint("person_id", "version", name="uq_pips_person_version"),)


class LifeEvent(Base):
    """Something in the person's life that changes the plan: birth, work, lessons paused (plan timeline)."""

    __tablename__ = "life_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # birth, work_start, work_end, lessons_paused, lessons_stopped
    on: Mapped[date] = mapped_column(Date)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    changes: Mapped[list] = mapped_column(JSON, default=list)  # what it changed, as shown before saving
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
