"""The privacy officer's view of the audit log: every entry, filtered, paged on the server, exported as CSV.

Filters: one person (dossier number), a user (part of the name), an organisation (part of the name),
the kind of entry (read, change, export, print, sign-in, and the refused ones), and a period in
Dutch local days. Paging is LIMIT/OFFSET over the newest-first order with the total counted, so
10,000+ rows page as fast as 200. Looking and exporting are logged themselves (the export as an
export, with the filter in words). Only roles with ``policy.MAY_READ_AUDIT`` get in.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from . import audit
from .catalogs import staff_message
from .catalogs import staff_text as _
from .models import AuditEntry
from .policy import MAY_READ_AUDIT, Actor, require
from .validation import parse_date, parse_id

LOCAL = ZoneInfo("Europe/Amsterdam")
PAGE_SIZE = 50
REFUSED_ANY = "refused_any"
KINDS = {
    audit.READ: staff_message("Inzien"),
    audit.CHANGE: staff_message("Wijzigen"),
    audit.EXPORT: staff_message("Export"),
    audit.PRINT: staff_message("Afdrukken"),
    audit.LOGIN: staff_message("Inloggen"),
    REFUSED_ANY: staff_message("Geweigerd, mislukt of geblokkeerd"),
    audit.REFUSED: staff_message("Toegang geweigerd"),
    audit.LOGIN_FAILED: staff_message("Inloggen mislukt"),
    audit.LOCKED: staff_message("Geblokkeerd"),
}
CSV_COLUMNS = ("id", "at", "user_name", "organisation", "role", "person_id", "action", "what", "why")


@dataclass(frozen=True)
class AuditFilter:
    person_id: int | None = None
    user: str = ""
    organisation: str = ""
    kind: str = ""  # a key of KINDS, "" = everything
    period_from: date | None = None
    period_to: date | None = None

    def words(self) -> str:
        """The filter as the audit entry of the look (and of the export) writes it."""
        parts = [f"dossier {self.person_id}" if self.person_id else "", f"gebruiker '{self.user}'" if self.user else "",
                 f"organisatie '{self.organisation}'" if self.organisation else "",
                 f"soort {self.kind}" if self.kind else "",
                 f"vanaf {self.period_from:%d-%m-%Y}" if self.period_from else "",
                 f"tot en met {self.period_to:%d-%m-%Y}" if self.period_to else ""]
        return ", ".join(p for p in parts if p) or "alles"


def parse_filter(form: dict) -> tuple[AuditFilter, dict[str, str]]:
    """A filter from the page's (or the URL's) strings; a message per wrong field, the rest kept."""
    errors: dict[str, str] = {}
    raw_person = str(form.get("person", "") or "").strip()
    person = parse_id(raw_person) if raw_person else None
    if raw_person and person is None:
        errors["person"] = _("Vul een dossiernummer in (alleen cijfers).")
    kind = str(form.get("kind", "") or "")
    if kind and kind not in KINDS:
        kind = ""
    days = {}
    for key, label in (("from", _("Vanaf")), ("to", _("Tot en met"))):
        raw = str(form.get(key, "") or "").strip()
        try:
            days[key] = parse_date(raw, label) if raw else None
        except ValueError as exc:
            errors[key] = str(exc)
            days[key] = None
    if days["from"] and days["to"] and days["to"] < days["from"]:
        errors["to"] = _("De einddatum ligt vóór de begindatum.")
    text = {k: " ".join(str(form.get(k, "") or "").split())[:100] for k in ("user", "organisation")}
    return AuditFilter(person, text["user"], text["organisation"], kind, days["from"], days["to"]), errors


def _query(f: AuditFilter) -> Select:
    q = select(AuditEntry)
    if f.person_id:
        q = q.where(AuditEntry.person_id == f.person_id)
    if f.user:
        q = q.where(AuditEntry.user_name.ilike(f"%{_escape_like(f.user)}%", escape="\\"))
    if f.organisation:
        q = q.where(AuditEntry.organisation.ilike(f"%{_escape_like(f.organisation)}%", escape="\\"))
    if f.kind == REFUSED_ANY:
        q = q.where(AuditEntry.action.in_(audit.REFUSAL_ACTIONS))
    elif f.kind:
        q = q.where(AuditEntry.action == f.kind)
    if f.period_from:
        q = q.where(AuditEntry.at >= datetime.combine(f.period_from, time(), LOCAL))
    if f.period_to:
        q = q.where(AuditEntry.at < datetime.combine(f.period_to + timedelta(days=1), time(), LOCAL))
    return q


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(session: Session, actor: Actor, f: AuditFilter, page: int = 0,
           page_size: int = PAGE_SIZE) -> tuple[list[AuditEntry], int]:
    """One page of matching entries, newest first, and how many match in all (the look is logged)."""
    require(actor, MAY_READ_AUDIT, _("de toegangslog inzien"))
    q = _query(f)
    total = session.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0
    page = max(0, min(page, (total - 1) // page_size if total else 0))
    rows = session.scalars(q.order_by(AuditEntry.id.desc()).offset(page * page_size).limit(page_size)).all()
    audit.record(session, actor, audit.READ, f"toegangslog bekeken ({f.words()}; pagina {page + 1})", "privacytoezicht",
                 f.person_id)
    return list(rows), total


def export_csv(session: Session, actor: Actor, f: AuditFilter) -> str:
    """Every matching entry as CSV (semicolons, as Dutch spreadsheets open it); the export is logged."""
    require(actor, MAY_READ_AUDIT, _("de toegangslog exporteren"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for e in session.scalars(_query(f).order_by(AuditEntry.id.desc()).execution_options(yield_per=2000)):
        writer.writerow([e.id, e.at.astimezone(LOCAL).isoformat(timespec="seconds"), e.user_name, e.organisation,
                         e.role, e.person_id or "", e.action, e.what, e.why])
        count += 1
    audit.record(session, actor, audit.EXPORT, f"toegangslog geëxporteerd als CSV ({f.words()}; {count} regels)",
                 "privacytoezicht", f.person_id)
    return out.getvalue()
