"""The statushouder register: persons, their household, partner links and consents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UtcDateTime


class Person(Base):
    """One statushouder. Columns are grouped by the field groups the access policy uses."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    # identity
    given_names: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200), index=True)
    name_own_script: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date] = mapped_column(Date)
    country_of_origin: Mapped[str] = mapped_column(String(2))
    v_number: Mapped[str] = mapped_column(String(10), unique=True)
    bsn: Mapped[str | None] = mapped_column(String(9), unique=True)
    residence_status: Mapped[str] = mapped_column(String(30))
    integration_duty: Mapped[bool] = mapped_column(default=True)
    permit_date: Mapped[date | None] = mapped_column(Date)
    koppeling_date: Mapped[date | None] = mapped_column(Date)
    move_date: Mapped[date | None] = mapped_column(Date)
    municipality: Mapped[str] = mapped_column(String(100), index=True)
    azc: Mapped[str] = mapped_column(String(200), default="")
    spoken_languages: Mapped[list] = mapped_column(JSON, default=list)
    read_languages: Mapped[list] = mapped_column(JSON, default=list)
    letter_language: Mapped[str] = mapped_column(String(10))
    mother_tongue: Mapped[str] = mapped_column(String(10), default="")  # any ISO 639 code, "" when not asked
    literacy: Mapped[str] = mapped_column(String(20))
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    preferred_channel: Mapped[str] = mapped_column(String(20))
    # contact
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    # health (functional limitations only, never diagnoses)
    functional_limitations: Mapped[str] = mapped_column(Text, default="")
    # finances
    iban: Mapped[str] = mapped_column(String(34), default="")
    # learning route
    education_years: Mapped[int | None]
    education_history: Mapped[str] = mapped_column(Text, default="")
    learning_limitations: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    household: Mapped[list[HouseholdMember]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="HouseholdMember.id"
    )

    __table_args__ = (Index("ix_persons_name_birth", "family_name", "birth_date"),)

    @property
    def household_here(self) -> list[HouseholdMember]:
        """The members living here now: without those still abroad."""
        return [m for m in self.household if not m.abroad]


class HouseholdMember(Base):
    """A member of the statushouder's household (family group)."""

    __tablename__ = "household_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relationship_kind: Mapped[str] = mapped_column(String(20))
    birth_date: Mapped[date] = mapped_column(Date)
    # Still abroad, arrives later (gezinshereniging): on the file, not yet in the household here
    # (no norm, no childcare, no letter wording), until the arrival is recorded as a life event.
    abroad: Mapped[bool] = mapped_column(default=False, server_default=false())
    arrived_on: Mapped[date | None] = mapped_column(Date)  # set by the arrival; None = here from the start

    person: Mapped[Person] = relationship(back_populates="household")


class PartnerLink(Base):
    """A partner organisation working with this person (for partners whose basis is a contract)."""

    __tablename__ = "partner_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    since: Mapped[date] = mapped_column(Date)
    ended_at: Mapped[date | None] = mapped_column(Date)


class Consent(Base):
    """Explicit consent for one partner organisation and one purpose; withdrawn takes effect at once."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(50))
    text_version: Mapped[str] = mapped_column(String(50))
    language: Mapped[str] = mapped_column(String(10))
    interpreter_present: Mapped[bool] = mapped_column(default=False)
    given_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
