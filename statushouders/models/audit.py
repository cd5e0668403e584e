"""The append-only, hash-chained log of every read, change and export of a person's file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime


class AuditEntry(Base):
    """One logged access. ``hash`` covers every other column and the previous entry's hash.

    ``hash`` is an HMAC-SHA256 with the audit key whose fingerprint is ``key_id``; rows written
    before the key existed have no ``key_id`` and a plain SHA-256 (see ``statushouders.audit``).
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(20))  # read, change, export, print, login
    what: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[str | None] = mapped_column(String(16))


class AuditHead(Base):
    """The single row that serialises appends: its lock orders the chain on every database."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
