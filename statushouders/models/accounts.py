"""Chain organisations, their staff accounts and login sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UtcDateTime


class Organisation(Base):
    """A chain partner: a gemeente, COA, VluchtelingenWerk, a taalschool, a budget coach organisation."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))  # policy.ORGANISATION_KINDS
    municipality: Mapped[str | None] = mapped_column(String(100))  # for a gemeente: which one
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    phone_hours: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")

    users: Mapped[list[User]] = relationship(back_populates="organisation")


class User(Base):
    """A staff member of one organisation, with one role there."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # argon2 hash; "!" for accounts that sign in only through their organisation's provider (never verifies).
    password_hash: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(30))  # policy.ROLES
    active: Mapped[bool] = mapped_column(default=True)
    email: Mapped[str | None] = mapped_column(String(200))
    # Second factor (issue 21): the TOTP secret once enrolment is confirmed, and the last time step used
    # (a code works once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Single sign-on: the provider's issuer and subject this account is bound to.
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(300))

    organisation: Mapped[Organisation] = relationship(back_populates="users")


class LoginSession(Base):
    """A signed-in browser. Only the hash of the token is stored."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # for the idle timeout
    # How the user signed in: "local", "local+totp", "local+recovery" or "oidc:<organisation key>".
    method: Mapped[str] = mapped_column(String(100), default="local", server_default="local")

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """A one-time code to sign in without the authenticator app; only its hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(300))
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LoginThrottle(Base):
    """Failed sign-ins counted per key (``account:<name>``, ``address:<ip>``, ``own-address:<ip>``).

    Counted with one atomic upsert each, so parallel tries are all counted (``statushouders.throttle``).
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
