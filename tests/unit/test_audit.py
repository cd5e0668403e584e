"""The access log: every read and change is there, chained, and tampering is found."""

from datetime import date

import pytest
from sqlalchemy import exc, select, text

from statushouders import audit, register
from statushouders.models import AuditEntry
from statushouders.policy import AccessDenied

TODAY = date(2026, 11, 22)


def _drop_append_only(session):
    """Simulate an attacker with direct database access who removed the guard."""
    if session.bind.dialect.name == "sqlite":
        session.execute(text("DROP TRIGGER audit_entries_no_UPDATE"))
        session.execute(text("DROP TRIGGER audit_entries_no_DELETE"))
    else:
        session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))


def test_reads_changes_and_refusals_are_logged_with_who_and_why(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    register.open_file(session, chain["regisseur"], person.id, TODAY, why="intake voorbereiden")
    with pytest.raises(AccessDenied):
        register.open_file(session, chain["vwn"], person.id, TODAY)
    session.commit()  # the refusal is written in a transaction of its own once this one has ended
    rows = session.scalars(select(AuditEntry).where(AuditEntry.person_id == person.id).order_by(AuditEntry.id)).all()
    assert [(r.user_name, r.action, r.what.split(":")[0], r.why) for r in rows] == [
        ("Regisseur", "change", "dossier aangemaakt", "registratie statushouder"),
        ("Regisseur", "read", "dossier bekeken", "intake voorbereiden"),
        ("Vwn", "refused", "toegang geweigerd", "dossier geopend"),
    ]
    assert rows[1].organisation == "Gemeente Hilversum" and rows[1].role == "regisseur"


def test_the_chain_verifies_when_untouched(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    register.open_file(session, chain["regisseur"], person.id, TODAY)
    report = audit.verify(session)
    assert report.ok and report.entries == 2


def test_the_database_refuses_to_edit_or_delete_a_logged_access(db_url, chain, make_form, session):
    register.register(session, chain["regisseur"], make_form(), [], TODAY)
    session.commit()
    with pytest.raises(exc.DBAPIError):
        session.execute(text("UPDATE audit_entries SET what = 'niets'"))
    session.rollback()
    with pytest.raises(exc.DBAPIError):
        session.execute(text("DELETE FROM audit_entries"))
    session.rollback()


def test_an_edited_row_is_detected(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    register.open_file(session, chain["regisseur"], person.id, TODAY)
    register.open_file(session, chain["regisseur"], person.id, TODAY)
    _drop_append_only(session)
    second = session.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(1)).first()
    session.execute(text("UPDATE audit_entries SET user_name = 'Iemand anders' WHERE id = :id"), {"id": second.id})
    session.expire_all()
    report = audit.verify(session)
    assert not report.ok and report.broken_at == second.id and "gewijzigd" in report.reason


def test_a_deleted_row_is_detected(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    for _ in range(3):
        register.open_file(session, chain["regisseur"], person.id, TODAY)
    _drop_append_only(session)
    ids = session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": ids[1]})
    assert audit.verify(session).broken_at == ids[2]
    session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": ids[-1]})
    session.execute(text("DELETE FROM audit_entries WHERE id IN (:a, :b)"), {"a": ids[2], "b": ids[3]})
    assert not audit.verify(session).ok


def test_privacy_officer_lists_who_accessed_a_file(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    register.open_file(session, chain["regisseur"], person.id, TODAY)
    entries = audit.accesses_to(session, chain["privacy"], person.id)
    assert {e.user_name for e in entries} == {"Regisseur"}
    newest = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert newest.user_name == "Privacy" and newest.what == "toegangslog bekeken"


@pytest.mark.parametrize("role", ["regisseur", "taalschool", "coa", "vwn"])
def test_other_roles_cannot_list_accesses(session, chain, make_form, role):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    with pytest.raises(AccessDenied):
        audit.accesses_to(session, chain[role], person.id)
