"""Append-only, hash-chained audit log of every read, change and export of a person's file.

Each entry's hash covers its own fields and the previous entry's hash, so editing or
deleting any row breaks the chain from there on; ``verify`` finds the first break.

The hash is an HMAC-SHA256 with the audit key (``audit_keys``), which is kept outside the database:
whoever can write to the database cannot recompute it. Rows written before the key existed
(``key_id`` empty) keep their plain SHA-256 and verify under it, but only as the chain's beginning:
once a keyed row appears, a row without the key is a downgrade. Anchors (``audit_anchor``) pin the
head outside the database, so cutting off the tail, or a rewrite by someone who has the key, is seen
too. The threat model is in docs/foundation.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit_anchor, audit_keys
from .catalogs import staff_text as _
from .models import AuditEntry, AuditHead
from .policy import MAY_READ_AUDIT, Actor, require

READ, CHANGE, EXPORT, PRINT, LOGIN = "read", "change", "export", "print", "login"
GENESIS = "0" * 64


def _payload(prev_hash: str, fields: dict) -> bytes:
    return (prev_hash + json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))).encode()


def _digest(prev_hash: str, fields: dict) -> str:
    """The plain SHA-256 of rows written before the audit key (``key_id`` empty)."""
    return hashlib.sha256(_payload(prev_hash, fields)).hexdigest()


def _keyed_digest(mac, prev_hash: str, fields: dict) -> str:
    """HMAC-SHA256 with the audit key; ``mac`` is ``Key.hasher()``, copied so the key is set up once."""
    h = mac.copy()
    h.update(_payload(prev_hash, fields))
    return h.hexdigest()


def _fields(entry: AuditEntry) -> dict:
    fields = {
        "at": entry.at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "user_id": entry.user_id,
        "user_name": entry.user_name,
        "organisation": entry.organisation,
        "role": entry.role,
        "person_id": entry.person_id,
        "action": entry.action,
        "what": entry.what,
        "why": entry.why,
    }
    if entry.key_id is not None:  # rows from before the key have none, and their hash does not cover it
        fields["key_id"] = entry.key_id
    return fields


def record(session: Session, actor: Actor, action: str, what: str, why: str, person_id: int | None = None) -> AuditEntry:
    """Append one entry in the caller's transaction, so the log and the change commit together."""
    key = audit_keys.current()
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    entry = AuditEntry(
        at=datetime.now(timezone.utc),
        user_id=actor.user_id,
        user_name=actor.name,
        organisation=actor.organisation,
        role=actor.role,
        person_id=person_id,
        action=action,
        what=what,
        why=why,
        prev_hash=head.last_hash,
        key_id=key.id,
    )
    entry.hash = _keyed_digest(key.hasher(), head.last_hash, _fields(entry))
    head.last_hash = entry.hash
    session.add(entry)
    session.flush()
    return entry


def record_many(session: Session, actor: Actor, action: str, what: str, why: str, person_ids: list[int]) -> int:
    """Append one entry per person in one bulk insert (e.g. a payment run exporting 10,000 persons).

    Same chain as ``record``: the head is locked once and each entry hashes the previous one.
    """
    if not person_ids:
        return 0
    key = audit_keys.current()
    mac = key.hasher()
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    session.flush()
    prev = head.last_hash
    rows = []
    at = datetime.now(timezone.utc)
    base = {"at": at.isoformat(timespec="microseconds"), "user_id": actor.user_id, "user_name": actor.name,
            "organisation": actor.organisation, "role": actor.role, "action": action, "what": what, "why": why,
            "key_id": key.id}
    for person_id in person_ids:
        fields = {**base, "person_id": person_id}  # exactly what _fields() gives for the stored row
        digest = _keyed_digest(mac, prev, fields)
        rows.append({**fields, "at": at, "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(AuditEntry.__table__.insert(), rows)
    head.last_hash = prev
    session.flush()
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_at: int | None  # id of the first entry that does not match (or is missing)
    reason: str = ""
    anchors: int = 0  # anchors the chain was checked against
    unchecked: str = ""  # why (part of) the log could not be checked: the key is missing
    anchor_problems: tuple[str, ...] = ()  # anchor lines that are unreadable or wrongly signed
    legacy: int = 0  # rows from before the audit key (plain SHA-256; the first keyed row or an anchor pins them)

    @property
    def intact(self) -> bool:
        """Nothing wrong was found (though without the key, the rows' contents were not checked)."""
        return self.broken_at is None and not self.anchor_problems

    @property
    def ok(self) -> bool:
        """Intact, and checked in full: every row against its key, every anchor signed."""
        return self.intact and not self.unchecked


def verify(session: Session, anchor_file: Path | None = None) -> ChainReport:
    """Walk the chain in order and report the first entry that was edited, removed or inserted.

    Each row is checked against its key (or, for rows from before the key, its plain hash) and its
    link to the row before; each anchor from ``anchor_file`` (default: the configured one) must find
    its row with exactly its hash and count. An anchored row that is gone, or a log that ends before
    the newest anchor, is a deletion or truncation; a different hash or count is a rewrite between
    the last anchor that still matches and this one.
    """
    keys = audit_keys.known()
    anchors, anchor_problems = audit_anchor.read(keys, anchor_file)
    pending = sorted((a for a in anchors if a.last_id > 0), key=lambda a: (a.last_id, a.line))
    macs = {key_id: key.hasher() for key_id, key in keys.items()}
    missing_keys: set[str] = {a.key_id for a in anchors if not a.signed}
    prev, count, last_id, legacy, keyed = GENESIS, 0, 0, 0, False
    checked = 0  # anchors passed
    vouched = 0  # the last row a signed anchor confirmed
    unchecked_legacy: list[str] = []
    window_start: int | None = None  # first row after the last anchor that matched

    def report(broken_at: int | None, reason: str = "") -> ChainReport:
        unchecked = list(unchecked_legacy)
        if missing_keys and not keys:
            unchecked.insert(0, "sleutel ontbreekt (STATUSHOUDERS_AUDIT_KEY): alleen de koppeling van de regels "
                                "is gecontroleerd, niet hun inhoud")
        elif missing_keys:
            unchecked.insert(0, "onbekende sleutel " + ", ".join(sorted(missing_keys))
                             + ": die regels en ankers zijn niet gecontroleerd")
        return ChainReport(count, broken_at, reason, checked, "; ".join(unchecked), tuple(anchor_problems), legacy)

    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        if checked < len(pending) and pending[checked].last_id < entry.id:
            anchor = pending[checked]
            return report(anchor.last_id, f"regel {anchor.last_id} uit het anker van {anchor.at} ontbreekt: verwijderd")
        count += 1
        if window_start is None:
            window_start = entry.id
        if entry.prev_hash != prev:
            return report(entry.id, "vorige hash klopt niet: een regel is verwijderd of ingevoegd")
        if entry.key_id is None:
            if keyed:
                return report(entry.id, "zonder sleutel vastgelegd na regels met sleutel: herschreven")
            legacy += 1
            matches = _digest(prev, _fields(entry)) == entry.hash
        else:
            keyed = True
            mac = macs.get(entry.key_id)
            if mac is None:
                missing_keys.add(entry.key_id)
                matches = True  # only the link can be checked
            else:
                matches = hmac.compare_digest(_keyed_digest(mac, prev, _fields(entry)), entry.hash)
        if not matches:
            return report(entry.id, "inhoud gewijzigd na vastleggen")
        while checked < len(pending) and pending[checked].last_id == entry.id:
            anchor = pending[checked]
            if anchor.head_hash != entry.hash or anchor.count != count:
                return report(window_start, f"wijkt af van het anker van {anchor.at} (regel {anchor.last_id}, "
                                            f"{anchor.count} regels): herschreven tussen regel {window_start} "
                                            f"en regel {anchor.last_id}")
            checked += 1
            window_start = None
            if anchor.signed:
                vouched = entry.id
        prev = entry.hash
        last_id = entry.id
    if legacy and not keyed and vouched < last_id:
        # Only rows from before the key, and no signed anchor pins the last of them: they may as well
        # have been rewritten without the key. (Once a keyed row follows, its HMAC covers them.)
        unchecked_legacy.append(f"{legacy} regels zonder sleutel die door geen anker worden gedekt: "
                                "niet te onderscheiden van een log die zonder sleutel is herschreven")
    if checked < len(pending):
        anchor = pending[-1]
        return report(last_id + 1, f"laatste regel(s) verwijderd: het anker van {anchor.at} telt {anchor.count} "
                                   f"regels tot regel {anchor.last_id}, de log eindigt bij regel {last_id}")
    head = session.get(AuditHead, 1)
    if head is not None and head.last_hash != prev:
        return report(last_id + 1, "laatste regel(s) verwijderd")
    return report(None)


def accesses_to(session: Session, actor: Actor, person_id: int, limit: int = 200) -> list[AuditEntry]:
    """Who accessed a person's file, newest first: for the privacy officer (and logged itself)."""
    require(actor, MAY_READ_AUDIT, _("de toegangslog van een dossier inzien"))
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.person_id == person_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ).all()
    record(session, actor, READ, "toegangslog bekeken", "verzoek inzage / privacytoezicht", person_id)
    return list(rows)


# --- Refusals and failed sign-ins: written in a transaction of their own (issue 14, point 5) -------------

import logging  # noqa: E402 (this section is self-contained)

from sqlalchemy import event  # noqa: E402

REFUSED, LOGIN_FAILED, LOCKED = "refused", "login_failed", "locked"
REFUSAL_ACTIONS = (REFUSED, LOGIN_FAILED, LOCKED)
_APART = "statushouders.audit.apart"
_log = logging.getLogger(__name__)


def after_transaction(session: Session, work) -> None:
    """Run ``work(new_session)`` in a transaction of its own once the caller's transaction has ended.

    It runs whether the caller commits or rolls back, so a refusal that rolls back everything else is
    still written. It waits for the caller's transaction to end because a second connection cannot write
    on SQLite while the caller's transaction holds the write lock (with BEGIN IMMEDIATE, any transaction).
    """
    session.info.setdefault(_APART, []).append(work)


def record_apart(session: Session, actor: Actor, action: str, what: str, why: str,
                 person_id: int | None = None) -> None:
    """``record`` in a transaction of its own, after the caller's: for refusals and failed sign-ins."""
    after_transaction(session, lambda s: record(s, actor, action, what, why, person_id))


def record_refusal(session: Session, actor: Actor, what: str, why: str, person_id: int | None = None) -> None:
    """Log a refused access; it stays logged when the refusal rolls the caller's transaction back."""
    record_apart(session, actor, REFUSED, what, why, person_id)


@event.listens_for(Session, "after_transaction_end")
def _write_apart(session: Session, transaction) -> None:
    if transaction.parent is not None or not session.info.get(_APART):
        return
    pending = session.info.pop(_APART)
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    from . import db  # db imports nothing of the domain; imported here to keep audit light

    try:
        with db.session_scope(engine.url.render_as_string(hide_password=False)) as apart:
            for work in pending:
                work(apart)
    except Exception:  # the caller's own outcome (often a refusal being raised) must not be masked
        _log.exception("audit: writing %d refusal/sign-in entries in their own transaction failed", len(pending))


REFUSAL_FILTERS = {
    "refusals": (REFUSED,),
    "failed_logins": (LOGIN_FAILED,),
    "locks": (LOCKED,),
    "all": REFUSAL_ACTIONS,
}


def refusals(session: Session, actor: Actor, kind: str = "all", limit: int = 200) -> list[AuditEntry]:
    """Refused accesses, failed sign-ins and locks, newest first: for the privacy officer (logged itself)."""
    require(actor, MAY_READ_AUDIT, _("geweigerde toegang en mislukte inlogpogingen inzien"))
    actions = REFUSAL_FILTERS.get(kind, REFUSAL_ACTIONS)
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(actions)).order_by(AuditEntry.id.desc()).limit(limit)
    ).all()
    record(session, actor, READ, f"toegangslog bekeken: geweigerd en mislukt ({kind})", "privacytoezicht")
    return list(rows)
