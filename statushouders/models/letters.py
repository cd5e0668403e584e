"""The letter archive: every letter produced for a statushouder, exactly as sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime


class LetterRecord(Base):
    """One produced PDF with its hash and the template and catalog versions that made it."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    letter_type: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10))
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    template_version: Mapped[str] = mapped_column(String(40))
    catalog_version: Mapped[str] = mapped_column(String(60))
    gaps: Mapped[list] = mapped_column(JSON, default=list)  # Dutch messages shown untranslated
    produced_at: Mapped[datetime] = mapped_column(UtcDateTime())
    produced_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    produced_by_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    batch: Mapped[str | None] = mapped_column(String(40), index=True)
