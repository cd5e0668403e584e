"""Anchors: the audit log's head pinned outside the database, so a truncation or rewrite is seen.

An anchor is one JSON line ``{at, count, last_id, head_hash, key_id, hmac}``: at that moment the log
had ``count`` rows up to row ``last_id``, whose hash was ``head_hash``; ``hmac`` signs the anchor with
the audit key. Anchors are appended (``O_APPEND``, never rewritten) to the anchor file
(``STATUSHOUDERS_AUDIT_ANCHOR_FILE``) and logged at INFO to the logger ``statushouders.audit.anchor``,
so a deployment can ship them elsewhere (syslog, an object store with retention). ``verify-audit``
writes one after every clean check; the running app writes one every few minutes when the log grew
(``STATUSHOUDERS_AUDIT_ANCHOR_MINUTES``). ``audit.verify`` checks the chain against all of them.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit_keys, config, db
from .models import AuditEntry

EMPTY_HEAD = "0" * 64  # audit.GENESIS: the head of an empty log
FIELDS = ("at", "count", "last_id", "head_hash", "key_id")
log = logging.getLogger("statushouders.audit.anchor")


@dataclass(frozen=True)
class Anchor:
    at: str
    count: int
    last_id: int
    head_hash: str
    key_id: str
    line: int = 0  # line number in the anchor file
    signed: bool = True  # false when its key is not configured here: it can raise alarms, not vouch


def _payload(anchor: dict) -> bytes:
    return json.dumps({k: anchor[k] for k in FIELDS}, sort_keys=True, separators=(",", ":")).encode()


def head(session: Session) -> tuple[int, int, str, bool]:
    """The log as it is now: (rows up to the last one, id of the last row, its hash, whether it is keyed)."""
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash, AuditEntry.key_id).order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None:
        return 0, 0, EMPTY_HEAD, True
    count = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= last.id))
    return count, last.id, last.hash, last.key_id is not None


def append_line(path: Path, line: str) -> None:
    """Append one line; the file is only ever opened for appending, so earlier anchors stay as written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def write(session: Session, path: Path | None = None, now: datetime | None = None,
          pin_unkeyed: bool = False) -> Anchor | None:
    """Pin the log's current head: append a signed anchor to the file and log it.

    A log whose last row has no key is all rows from before the key (a downgraded row after a keyed
    one is a break ``verify`` reports). Such a log is pinned only when asked (``pin_unkeyed``: the
    ``migrate`` command, right after the upgrade that introduced the key), never by the periodic
    write: otherwise an attacker who rewrote the whole log without the key would get it anchored.
    Returns None when nothing was written.
    """
    count, last_id, head_hash, keyed = head(session)
    if not keyed and not pin_unkeyed:
        log.warning("audit log head (row %s) has no key: not anchored (run `migrate` once after the upgrade)", last_id)
        return None
    key = audit_keys.current()
    anchor = {"at": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"), "count": count,
              "last_id": last_id, "head_hash": head_hash, "key_id": key.id}
    anchor["hmac"] = key.mac(_payload(anchor))
    line = json.dumps(anchor, sort_keys=True, separators=(",", ":"))
    append_line(path or config.audit_anchor_file(), line + "\n")
    log.info(line)
    return Anchor(**{k: anchor[k] for k in FIELDS})


def read(keys: dict[str, audit_keys.Key], path: Path | None = None) -> tuple[list[Anchor], list[str]]:
    """Every anchor in the file, and a Dutch problem line for each that is unreadable or wrongly signed."""
    path = path or config.audit_anchor_file()
    anchors: list[Anchor] = []
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return anchors, problems
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            anchor = Anchor(str(data["at"]), int(data["count"]), int(data["last_id"]), str(data["head_hash"]),
                            str(data["key_id"]), number)
            signature = str(data["hmac"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"ankerbestand regel {number}: onleesbaar")
            continue
        key = keys.get(anchor.key_id)
        if key is None:
            anchors.append(Anchor(**{**anchor.__dict__, "signed": False}))
        elif hmac.compare_digest(key.mac(_payload(data)), signature):
            anchors.append(anchor)
        else:
            problems.append(f"ankerbestand regel {number}: handtekening klopt niet (anker gewijzigd of vervalst)")
    return anchors, problems


_last_written: dict[str, tuple[int, str]] = {}


def write_if_grown(path: Path | None = None) -> Anchor | None:
    """The running app's periodic anchor: written when the log changed since this process last anchored it."""
    path = path or config.audit_anchor_file()
    with db.session_scope() as session:
        _count, last_id, head_hash, _keyed = head(session)
        if _last_written.get(str(path)) == (last_id, head_hash):
            return None
        anchor = write(session, path)
    if anchor is not None:
        _last_written[str(path)] = (anchor.last_id, anchor.head_hash)
    return anchor
