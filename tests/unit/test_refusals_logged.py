"""Refused accesses, failed staff logins and failed own-view codes reach the audit log (issue 14, point 5).

The refusal rolls the caller's transaction back; the log entry must survive that, on SQLite and PostgreSQL,
also when the caller's transaction had already written (and on SQLite holds the write lock).
"""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select, text

from statushouders import audit, auth, db, own_access, plans, register
from statushouders.budget import service as budget_service
from statushouders.letters import archive
from statushouders.models import AuditEntry
from statushouders.policy import AccessDenied

TODAY = date(2026, 11, 22)


@pytest.fixture
def committed(session, chain, make_form):
    """The chain and one person, committed, so every call below runs in a transaction of its own."""
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    session.commit()
    return chain, person.id


def _entries(url, *actions):
    with db.session_scope(url) as s:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if actions:
            query = query.where(AuditEntry.action.in_(actions))
        return s.scalars(query).all()


REFUSING_CALLS = {
    "file": lambda s, actor, pid: register.open_file(s, actor, pid, TODAY),
    "letter": lambda s, actor, pid: archive.prepare(s, actor, pid, "plan_summary", {}, TODAY),
    "letter list": lambda s, actor, pid: archive.list_letters(s, actor, pid, TODAY),
    "budget": lambda s, actor, pid: budget_service.open_finances(s, actor, pid, TODAY, "budget"),
    "plan": lambda s, actor, pid: plans.load_plan(s, actor, pid, TODAY),
}


@pytest.mark.parametrize("where", REFUSING_CALLS)
def test_a_refusal_stays_logged_when_its_transaction_rolls_back(db_url, committed, where):
    chain, person_id = committed
    for _ in range(5):  # as the app runs it: one transaction per page load, rolled back by the refusal
        with pytest.raises(AccessDenied):
            db.in_session(REFUSING_CALLS[where], chain["utrecht"], person_id)
    refused = _entries(db_url, audit.REFUSED)
    assert len(refused) == 5
    assert {(e.user_name, e.organisation, e.person_id) for e in refused} == {("Utrecht", "Gemeente Utrecht", person_id)}
    assert "geweigerd" in refused[0].what
    with db.session_scope(db_url) as s:
        assert audit.verify(s).ok


def test_a_refusal_after_the_transaction_wrote_is_logged_and_the_write_rolled_back(db_url, committed):
    """The caller's transaction holds the write lock (SQLite) when refused: no deadlock, the entry is written."""
    chain, person_id = committed
    with pytest.raises(AccessDenied):
        with db.session_scope(db_url) as s:
            register.open_file(s, chain["regisseur"], person_id, TODAY)  # writes an audit entry first
            register.open_file(s, chain["utrecht"], person_id, TODAY)
    entries = _entries(db_url)
    assert [(e.user_name, e.action) for e in entries[1:]] == [("Utrecht", audit.REFUSED)]  # the regisseur's read rolled back
    with db.session_scope(db_url) as s:
        assert audit.verify(s).ok


def test_a_refusal_the_caller_catches_is_logged_after_the_commit(db_url, committed):
    chain, person_id = committed
    with db.session_scope(db_url) as s:
        register.open_file(s, chain["regisseur"], person_id, TODAY)
        with pytest.raises(AccessDenied):
            register.open_file(s, chain["utrecht"], person_id, TODAY)
        register.open_file(s, chain["regisseur"], person_id, TODAY)
    assert [(e.user_name, e.action) for e in _entries(db_url)[1:]] == [
        ("Regisseur", audit.READ), ("Regisseur", audit.READ), ("Utrecht", audit.REFUSED)]
    with db.session_scope(db_url) as s:
        assert audit.verify(s).ok


def test_a_failed_login_is_logged_with_the_name_as_typed_and_the_address_not_the_password(db_url, committed):
    with pytest.raises(auth.LoginFailed):
        db.in_session(auth.login, "Regisseur ", "fout-wachtwoord-123", "203.0.113.9")
    with pytest.raises(auth.LoginFailed):
        db.in_session(auth.login, "niemand", "nog-een-fout", "")
    failed = _entries(db_url, audit.LOGIN_FAILED)
    assert [(e.user_name, e.user_id, e.person_id) for e in failed] == [("Regisseur", None, None), ("niemand", None, None)]
    assert "203.0.113.9" in failed[0].why and "adres onbekend" in failed[1].why
    with db.session_scope(db_url) as s:
        dump = " ".join(" ".join(map(str, row)) for row in s.execute(text("SELECT * FROM audit_entries")))
    assert "fout-wachtwoord-123" not in dump and "nog-een-fout" not in dump


def test_a_wrong_own_view_code_is_logged(db_url, committed):
    chain, person_id = committed
    now = datetime.now(timezone.utc)
    code, _ = db.in_session(own_access.issue_code, chain["regisseur"], person_id, now)
    with pytest.raises(own_access.SignInFailed):
        db.in_session(own_access.sign_in, "ZZZZZ-ZZZZZ" if not code.startswith("ZZZZ") else "YYYYY-YYYYY", now,
                      "198.51.100.7")
    db.in_session(own_access.sign_in, code, now, "198.51.100.7")
    with pytest.raises(own_access.SignInFailed):  # a code works once; the second try is logged with the person
        db.in_session(own_access.sign_in, code, now, "198.51.100.7")
    failed = _entries(db_url, audit.LOGIN_FAILED)
    assert len(failed) == 2 and all("198.51.100.7" in e.why for e in failed)
    assert [e.person_id for e in failed] == [None, person_id]


def test_the_privacy_officer_filters_refusals_and_failed_logins_and_that_is_logged(db_url, committed):
    chain, person_id = committed
    with pytest.raises(AccessDenied):
        db.in_session(register.open_file, chain["utrecht"], person_id, TODAY)
    with pytest.raises(auth.LoginFailed):
        db.in_session(auth.login, "regisseur", "fout", "203.0.113.9")
    assert [e.action for e in db.in_session(audit.refusals, chain["privacy"], "refusals")] == [audit.REFUSED]
    assert [e.user_name for e in db.in_session(audit.refusals, chain["privacy"], "failed_logins")] == ["regisseur"]
    assert {e.action for e in db.in_session(audit.refusals, chain["privacy"], "all")} == {audit.REFUSED, audit.LOGIN_FAILED}
    looked = _entries(db_url, audit.READ)
    assert [e.what for e in looked if e.user_name == "Privacy"] == [
        "toegangslog bekeken: geweigerd en mislukt (refusals)",
        "toegangslog bekeken: geweigerd en mislukt (failed_logins)",
        "toegangslog bekeken: geweigerd en mislukt (all)",
    ]


@pytest.mark.parametrize("role", ["regisseur", "coa", "taalschool", "financien"])
def test_other_roles_cannot_list_refusals_and_their_try_is_refused(db_url, committed, role):
    chain, _ = committed
    with pytest.raises(AccessDenied):
        db.in_session(audit.refusals, chain[role], "all")
    with db.session_scope(db_url) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.what.like("toegangslog%"))) == 0


def test_the_own_view_list_of_who_looked_leaves_out_refusals(db_url, committed):
    chain, person_id = committed
    with pytest.raises(AccessDenied):
        db.in_session(register.open_file, chain["utrecht"], person_id, TODAY)
    from statushouders import own_view
    from statushouders.models import Person

    with db.session_scope(db_url) as s:
        lines = own_view.who_looked(s, s.get(Person, person_id))
    assert all(line.organisation != "Gemeente Utrecht" for line in lines)
