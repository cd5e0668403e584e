"""Meetings sent out as calendar invitations (the joint intake, progress talks) and the e-mail outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime


class Meeting(Base):
    """One meeting of a plan as the partners' calendars know it: a stable ``uid`` and its ``sequence``.

    The invitation goes out with SEQUENCE 0; every move (time, place, interpreter) raises ``sequence``
    by one with a conditional update, so two moves at the same moment never send the same number twice.
    A cancelled meeting keeps its uid; scheduling again makes a new meeting with a new uid.
    ``open_key`` ("intake:<plan id>") is set while the intake meeting is planned: one planned intake
    per plan on every database. Progress talks have none (a plan has several).
    """

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # intake, progress
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned, cancelled
    open_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())  # the real moment (UTC)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(200), default="")
    outside_hours_reason: Mapped[str] = mapped_column(Text, default="")
    interpreter_email: Mapped[str] = mapped_column(String(200), default="")  # the interpreter agency, optional
    organizer_email: Mapped[str] = mapped_column(String(200))  # fixed at creation: ORGANIZER never changes
    organizer_name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")


class OutboxMessage(Base):
    """One e-mail, stored in the same transaction as the change that caused it, then delivered.

    ``status``: pending (to send), sending (claimed by one sender), sent, failed (kept with ``error``,
    retried), held (no SMTP configured: kept for the administrators to read), no_address (nobody to send
    it to). ``dedupe_key`` is unique: the same event never queues its message twice. Messages carry no
    personal data beyond a person's initials, the dossier reference and a link into the app.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(30))  # notify.KINDS
    sender_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recipients: Mapped[list] = mapped_column(JSON, default=list)
    reply_to: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    ics: Mapped[str] = mapped_column(Text, default="")
    ics_method: Mapped[str] = mapped_column(String(10), default="")  # REQUEST, CANCEL or ""
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    error: Mapped[str] = mapped_column(Text, default="")
