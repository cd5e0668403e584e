"""Issue 14 point 4: whoever can write to the database cannot rewrite the audit log unseen.

Each attack is done as an attacker with direct database access would: drop the append-only guard,
edit rows, recompute hashes, move the head. Without the audit key (kept outside the database) the
rows' HMACs give it away; with the key but without the anchor file, the anchors do.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import stat
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select, text

from statushouders import audit, audit_anchor, audit_keys, config, register
from statushouders.__main__ import main
from statushouders.models import AuditEntry, AuditHead

TODAY = date(2026, 11, 22)


def _drop_append_only(session):
    """Simulate an attacker with direct database access who removed the guard (as in test_audit.py)."""
    if session.bind.dialect.name == "sqlite":
        session.execute(text("DROP TRIGGER audit_entries_no_UPDATE"))
        session.execute(text("DROP TRIGGER audit_entries_no_DELETE"))
    else:
        session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))


def _log(session, chain, make_form, reads: int) -> list[AuditEntry]:
    """A person registered and opened ``reads`` times: 1 + reads audit rows, in order."""
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    for _ in range(reads):
        register.open_file(session, chain["regisseur"], person.id, TODAY)
    return _rows(session)


def _rows(session) -> list[AuditEntry]:
    session.flush()
    session.expire_all()
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


# What an attacker can compute. Without the key: the plain SHA-256 of the code (audit._digest), and
# a row "from before the key" (no key_id). With the key: whatever the verifier checks.
def _without_key(entry: AuditEntry, prev: str) -> str:
    if hasattr(entry, "key_id"):
        entry.key_id = None  # pass the row off as one from before the key
    return audit._digest(prev, audit._fields(entry))


def _with_key(entry: AuditEntry, prev: str) -> str:
    if not hasattr(audit, "_keyed_digest"):  # the unkeyed chain: the attacker needs nothing more
        return audit._digest(prev, audit._fields(entry))
    return audit._keyed_digest(audit_keys.current().hasher(), prev, audit._fields(entry))


def _rehash(session, scheme, start: int = 0) -> None:
    """Recompute every row's link and hash from row ``start`` (0-based) on, and move the head."""
    rows = _rows(session)
    prev = rows[start - 1].hash if start else audit.GENESIS
    for entry in rows[start:]:
        entry.prev_hash = prev
        entry.hash = "x" + entry.hash[1:]  # keep the unique column free while rows change
    session.flush()
    for entry in rows[start:]:
        entry.prev_hash = prev
        entry.hash = scheme(entry, prev)
        prev = entry.hash
    session.get(AuditHead, 1).last_hash = prev
    session.flush()
    session.expire_all()


def _anchor(session):
    session.flush()
    return audit_anchor.write(session)


# -- the five attacks of the issue ------------------------------------------------------------------

def test_an_edited_row_with_recomputed_hashes_is_found_at_that_row(session, chain, make_form):
    rows = _log(session, chain, make_form, reads=3)
    _drop_append_only(session)
    rows[1].user_name = "Iemand anders"
    _rehash(session, _without_key, start=1)
    report = audit.verify(session)
    assert not report.ok and report.broken_at == rows[1].id
    assert "zonder sleutel" in report.reason


def test_an_edited_row_keeping_its_key_id_but_rehashed_without_the_key_is_found(session, chain, make_form):
    rows = _log(session, chain, make_form, reads=3)
    _drop_append_only(session)
    rows[2].why = "iets anders"

    def sha256_keeping_key_id(entry, prev):
        return audit._digest(prev, audit._fields(entry))

    _rehash(session, sha256_keeping_key_id, start=2)
    report = audit.verify(session)
    assert not report.ok and report.broken_at == rows[2].id and "gewijzigd" in report.reason


@pytest.mark.parametrize("then_write_more", [False, True])
def test_cutting_off_the_tail_and_moving_the_head_is_found_by_the_anchor(session, chain, make_form, then_write_more):
    rows = _log(session, chain, make_form, reads=4)
    cut_at, person_id = rows[3].id, rows[0].person_id
    _anchor(session)
    _drop_append_only(session)
    session.execute(text("DELETE FROM audit_entries WHERE id >= :id"), {"id": cut_at})
    head_hash = rows[2].hash
    session.expunge_all()  # forget the deleted rows
    session.get(AuditHead, 1).last_hash = head_hash
    if then_write_more:  # the log grows again past the anchor's length
        for _ in range(3):
            register.open_file(session, chain["regisseur"], person_id, TODAY)
    session.flush()
    session.expire_all()
    report = audit.verify(session)
    assert not report.ok and "anker" in report.reason
    if not then_write_more:
        assert report.broken_at == cut_at and "laatste regel(s) verwijderd" in report.reason


def test_a_deleted_middle_row_rehashed_without_the_key_is_found(session, chain, make_form):
    rows = _log(session, chain, make_form, reads=4)
    _drop_append_only(session)
    session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": rows[2].id})
    _rehash(session, _without_key, start=2)
    report = audit.verify(session)
    assert not report.ok and report.broken_at == rows[3].id


def test_a_deleted_middle_row_rehashed_with_the_key_is_found_by_the_anchor(session, chain, make_form):
    rows = _log(session, chain, make_form, reads=4)
    _anchor(session)
    _drop_append_only(session)
    session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": rows[2].id})
    _rehash(session, _with_key, start=2)
    report = audit.verify(session)
    assert not report.ok and report.broken_at == rows[0].id and "anker" in report.reason


def test_the_whole_chain_rewritten_without_the_key_is_not_vouched_for(session, chain, make_form):
    """No anchor yet: a log of only key-less rows cannot be told from a rewritten one, and says so."""
    rows = _log(session, chain, make_form, reads=2)
    _drop_append_only(session)
    session.execute(text("UPDATE audit_entries SET what = 'niets bijzonders'"))
    _rehash(session, _without_key)
    report = audit.verify(session)
    assert not report.ok and report.entries == len(rows)
    assert "zonder sleutel" in report.unchecked and "anker" in report.unchecked


def test_the_whole_chain_rewritten_is_found_by_the_anchor(session, chain, make_form):
    rows = _log(session, chain, make_form, reads=2)
    _anchor(session)
    _drop_append_only(session)
    session.execute(text("UPDATE audit_entries SET what = 'niets bijzonders'"))
    _rehash(session, _with_key)
    report = audit.verify(session)
    assert not report.ok and report.broken_at == rows[0].id and "anker" in report.reason


def test_a_forged_row_appended_without_the_key_is_found(session, chain, make_form):
    rows = _log(session, chain, make_form, reads=1)
    forged = AuditEntry(at=datetime.now(timezone.utc), user_id=None, user_name="Regisseur",
                        organisation="Gemeente Hilversum", role="regisseur", person_id=rows[0].person_id,
                        action="read", what="dossier bekeken", why="alibi", prev_hash=rows[-1].hash)
    forged.hash = _without_key(forged, rows[-1].hash)
    session.add(forged)
    session.get(AuditHead, 1).last_hash = forged.hash
    session.flush()
    report = audit.verify(session)
    assert not report.ok and report.broken_at == forged.id


def test_a_forged_row_claiming_the_key_is_found(session, chain, make_form):
    rows = _log(session, chain, make_form, reads=1)
    forged = AuditEntry(at=datetime.now(timezone.utc), user_id=None, user_name="Regisseur",
                        organisation="Gemeente Hilversum", role="regisseur", person_id=rows[0].person_id,
                        action="read", what="dossier bekeken", why="alibi", prev_hash=rows[-1].hash)
    forged.key_id = rows[-1].key_id
    guessed = audit_keys.Key(rows[-1].key_id, b"a guessed key, long enough to be accepted")
    forged.hash = audit._keyed_digest(guessed.hasher(), rows[-1].hash, audit._fields(forged))
    session.add(forged)
    session.get(AuditHead, 1).last_hash = forged.hash
    session.flush()
    report = audit.verify(session)
    assert not report.ok and report.broken_at == forged.id and "gewijzigd" in report.reason


def test_with_the_key_but_not_the_anchors_a_rewrite_before_the_last_anchor_is_found(session, chain, make_form):
    rows = _log(session, chain, make_form, reads=2)
    _anchor(session)  # pins rows[0..2]
    for _ in range(3):
        register.open_file(session, chain["regisseur"], rows[0].person_id, TODAY)
    _anchor(session)  # pins rows[0..5]
    rows = _rows(session)
    _drop_append_only(session)
    rows[4].why = "andere reden"
    _rehash(session, _with_key, start=4)
    report = audit.verify(session)
    assert not report.ok and report.anchors == 1
    assert report.broken_at == rows[3].id  # the first row after the anchor that still matches
    assert f"tussen regel {rows[3].id} en regel {rows[5].id}" in report.reason


def test_a_downgraded_row_after_keyed_rows_is_found(session, chain, make_form):
    """Rows from before the key are accepted only as the log's beginning."""
    rows = _log(session, chain, make_form, reads=2)
    _drop_append_only(session)
    _rehash(session, _without_key, start=2)
    report = audit.verify(session)
    assert report.broken_at == rows[2].id and "zonder sleutel" in report.reason


# -- rows from before the key, the key itself --------------------------------------------------------

def _legacy_rows(session, n: int) -> list[AuditEntry]:
    """Rows as the code before the key wrote them: plain SHA-256, no key_id."""
    head = session.get(AuditHead, 1)
    for i in range(n):
        entry = AuditEntry(at=datetime(2026, 1, 1, 9, i, tzinfo=timezone.utc), user_id=None, user_name="Oud",
                           organisation="Gemeente Hilversum", role="regisseur", person_id=None, action="read",
                           what=f"oude regel {i}", why="voor de sleutel", prev_hash=head.last_hash)
        entry.hash = audit._digest(head.last_hash, audit._fields(entry))
        head.last_hash = entry.hash
        session.add(entry)
        session.flush()
    return _rows(session)


def test_rows_from_before_the_key_verify_under_the_old_scheme_then_the_chain_is_keyed(session, chain, make_form):
    old = _legacy_rows(session, 3)
    assert not audit.verify(session).ok  # only key-less rows and no anchor: cannot be vouched for
    assert audit_anchor.write(session) is None  # the periodic/verify anchor does not pin them
    assert audit_anchor.write(session, pin_unkeyed=True) is not None  # `migrate` right after the upgrade does
    report = audit.verify(session)
    assert report.ok and report.legacy == 3
    rows = _log(session, chain, make_form, reads=1)
    assert [r.key_id for r in rows[:3]] == [None] * 3 and all(r.key_id for r in rows[3:])
    assert rows[3].prev_hash == old[-1].hash
    report = audit.verify(session)
    assert report.ok and report.legacy == 3 and report.entries == 5 and report.anchors == 1


def test_record_many_is_keyed_like_record(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    assert audit.record_many(session, chain["financien"], audit.EXPORT, "betaalrun", "test", [person.id] * 50) == 50
    rows = _rows(session)
    assert len(rows) == 51 and {r.key_id for r in rows} == {audit_keys.current().id}
    assert audit.verify(session).ok


def test_without_the_key_verify_checks_the_links_and_says_the_key_is_missing(session, chain, make_form, monkeypatch,
                                                                         tmp_path):
    rows = _log(session, chain, make_form, reads=3)
    monkeypatch.delenv("STATUSHOUDERS_AUDIT_KEY")
    monkeypatch.setattr(config, "DATA_DIR", tmp_path / "elders")
    report = audit.verify(session)
    assert report.intact and not report.ok and "sleutel ontbreekt" in report.unchecked
    assert not (tmp_path / "elders" / "audit.key").exists()  # verifying never makes a key
    _drop_append_only(session)
    session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": rows[1].id})
    report = audit.verify(session)
    assert report.broken_at == rows[2].id and "sleutel ontbreekt" in report.unchecked


def test_a_dev_key_is_generated_once_outside_the_database_owner_only(monkeypatch, tmp_path, caplog):
    monkeypatch.delenv("STATUSHOUDERS_AUDIT_KEY", raising=False)
    monkeypatch.delenv("STATUSHOUDERS_AUDIT_KEY_FILE", raising=False)
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    assert audit_keys.known() == {}
    with caplog.at_level(logging.WARNING, logger="statushouders.audit"):
        key = audit_keys.current()
    path = tmp_path / "audit.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and "generated" in caplog.text
    assert audit_keys.current() == key and set(audit_keys.known()) == {key.id}
    assert [p.name for p in tmp_path.iterdir()] == ["audit.key"]


def test_a_configured_key_that_is_too_short_or_missing_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("STATUSHOUDERS_AUDIT_KEY", "kort")
    with pytest.raises(audit_keys.AuditKeyError):
        audit_keys.current()
    monkeypatch.delenv("STATUSHOUDERS_AUDIT_KEY")
    monkeypatch.setenv("STATUSHOUDERS_AUDIT_KEY_FILE", str(tmp_path / "nergens.key"))
    with pytest.raises(audit_keys.AuditKeyError):
        audit_keys.current()


def test_key_rotation_keeps_the_old_key_for_verifying(session, chain, make_form, monkeypatch, tmp_path):
    old_key = os.environ["STATUSHOUDERS_AUDIT_KEY"]
    _log(session, chain, make_form, reads=1)
    _anchor(session)
    new_key = "de-nieuwe-auditsleutel-" + "n" * 40
    key_file = tmp_path / "audit.key"
    key_file.write_text(f"{new_key}\n{old_key}\n")
    monkeypatch.delenv("STATUSHOUDERS_AUDIT_KEY")
    monkeypatch.setenv("STATUSHOUDERS_AUDIT_KEY_FILE", str(key_file))
    register.open_file(session, chain["regisseur"], _rows(session)[0].person_id, TODAY)
    _anchor(session)
    rows = _rows(session)
    assert rows[0].key_id != rows[-1].key_id
    report = audit.verify(session)
    assert report.ok and report.anchors == 2
    key_file.write_text(f"{new_key}\n")  # the old key dropped: its rows and anchor can no longer be checked
    report = audit.verify(session)
    assert report.intact and not report.ok and "onbekende sleutel" in report.unchecked


# -- the anchor file ----------------------------------------------------------------------------------

def test_anchors_are_only_ever_appended_signed_and_owner_only(session, chain, make_form):
    path = config.audit_anchor_file()
    path.write_text("{\"shipped\": \"elsewhere\"}\n")  # an older line, e.g. from a log shipper: kept as it is
    os.chmod(path, 0o600)
    first = _log(session, chain, make_form, reads=1)
    _anchor(session)
    before = path.read_bytes()
    register.open_file(session, chain["regisseur"], first[0].person_id, TODAY)
    anchor = _anchor(session)
    after = path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    last = json.loads(after.splitlines()[-1])
    assert (last["count"], last["last_id"], last["head_hash"]) == (3, anchor.last_id, _rows(session)[-1].hash)
    key = audit_keys.current()
    signed = json.dumps({k: last[k] for k in audit_anchor.FIELDS}, sort_keys=True, separators=(",", ":")).encode()
    assert hmac.compare_digest(last["hmac"], hmac.new(key.secret, signed, hashlib.sha256).hexdigest())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    report = audit.verify(session)
    assert report.anchors == 2 and report.anchor_problems == ("ankerbestand regel 1: onleesbaar",)


def test_a_new_anchor_file_is_created_owner_only_and_opened_for_appending(session, monkeypatch):
    opened = []
    real_open = os.open
    monkeypatch.setattr(audit_anchor.os, "open", lambda p, flags, *a: opened.append(flags) or real_open(p, flags, *a))
    audit_anchor.write(session)
    assert opened and all(flags & os.O_APPEND for flags in opened)
    assert stat.S_IMODE(config.audit_anchor_file().stat().st_mode) == 0o600


def test_an_edited_anchor_is_reported(session, chain, make_form):
    _log(session, chain, make_form, reads=2)
    _anchor(session)
    path = config.audit_anchor_file()
    data = json.loads(path.read_text())
    data["count"] -= 1  # e.g. to hide a deleted row
    path.write_text(json.dumps(data) + "\n")
    report = audit.verify(session)
    assert not report.ok and report.broken_at is None
    assert report.anchor_problems == ("ankerbestand regel 1: handtekening klopt niet (anker gewijzigd of vervalst)",)


def test_anchors_are_logged_for_shipping(session, caplog):
    with caplog.at_level(logging.INFO, logger="statushouders.audit.anchor"):
        audit_anchor.write(session)
    shipped = [r for r in caplog.records if r.name == "statushouders.audit.anchor"]
    assert len(shipped) == 1 and json.loads(shipped[0].getMessage())["count"] == 0


def test_the_app_anchors_at_start_and_again_only_when_the_log_grew(session, chain, make_form, monkeypatch):
    from statushouders.ui import rollup_task

    _log(session, chain, make_form, reads=1)
    session.commit()
    path = config.audit_anchor_file()
    monkeypatch.setattr(audit_anchor, "_last_written", {})
    monkeypatch.setenv("STATUSHOUDERS_AUDIT_ANCHOR_MINUTES", "0.001")

    async def run_briefly():
        task = asyncio.create_task(rollup_task.keep_audit_anchored())
        await asyncio.sleep(0.5)
        task.cancel()

    asyncio.run(run_briefly())
    assert len(path.read_text().splitlines()) == 1  # written at start, not again while nothing changed
    register.open_file(session, chain["regisseur"], _rows(session)[0].person_id, TODAY)
    session.commit()
    assert audit_anchor.write_if_grown() is not None and audit_anchor.write_if_grown() is None
    assert len(path.read_text().splitlines()) == 2
    assert audit.verify(session).anchors == 2


# -- the command line ---------------------------------------------------------------------------------

def test_verify_audit_exit_codes_and_the_first_differing_row(session, chain, make_form, capsys, monkeypatch,
                                                            tmp_path):
    rows = _log(session, chain, make_form, reads=3)
    session.commit()
    assert main(["verify-audit"]) == 0
    out = capsys.readouterr().out
    assert "intact: 4 regels" in out and f"Anker geschreven: regel {rows[-1].id}, 4 regels" in out
    assert len(config.audit_anchor_file().read_text().splitlines()) == 1

    with monkeypatch.context() as m:  # a verifier without the key
        m.delenv("STATUSHOUDERS_AUDIT_KEY")
        m.setattr(config, "DATA_DIR", tmp_path / "zonder-sleutel")
        assert main(["verify-audit"]) == 2
        assert "sleutel ontbreekt" in capsys.readouterr().err

    _drop_append_only(session)
    session.commit()
    rows[2].what = "dossier niet bekeken"
    _rehash(session, _with_key, start=2)  # even with the key: the anchor of the first run sees it
    session.commit()
    assert main(["verify-audit"]) == 1
    err = capsys.readouterr().err
    assert f"GEBROKEN bij regel {rows[0].id}" in err and f"en regel {rows[-1].id}" in err
    assert len(config.audit_anchor_file().read_text().splitlines()) == 1  # a broken log is not anchored


def test_verify_audit_names_the_edited_row(session, chain, make_form, capsys):
    rows = _log(session, chain, make_form, reads=3)
    _drop_append_only(session)
    rows[2].user_name = "Iemand anders"
    _rehash(session, _without_key, start=2)
    session.commit()
    assert main(["verify-audit"]) == 1
    assert f"GEBROKEN bij regel {rows[2].id}: zonder sleutel" in capsys.readouterr().err


def test_migrate_anchors_the_log_as_the_upgrade_found_it(db_url, capsys):
    assert main(["migrate"]) == 0
    lines = config.audit_anchor_file().read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["count"] == 0
    from statushouders import db

    with db.session_scope(db_url) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
