"""The statushouder's own sign-in: one-time codes issued by the gemeente and the sessions they open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime


class PersonAccessCode(Base):
    """A short-lived, one-time sign-in code. Only its hash is stored; the gemeente hands the code over."""

    __tablename__ = "person_access_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The first characters of the code, in clear: a wrong try whose start matches counts against this code.
    prefix: Mapped[str | None] = mapped_column(String(4), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PersonSession(Base):
    """A statushouder signed in to their own view. ``method`` says how (``code`` now; DigiD later)."""

    __tablename__ = "person_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # for the idle timeout


class CallbackRequest(Base):
    """The person pressed "call me" for one partner; that partner's staff call back and mark it handled.

    ``open_key`` is ``"<person>:<organisation>"`` while the request is open and NULL once handled, so
    the unique constraint allows one open request per person and partner on SQLite and PostgreSQL alike.
    """

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    part_of_day: Mapped[str] = mapped_column(String(20), default="")  # "", "morning" or "afternoon"
    language: Mapped[str] = mapped_column(String(10))  # the language the person used when asking
    open_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(20), default="")  # "", reached, not_reached (once closed)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # calls made, reached or not
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
