"""Sign-in (issue 21): TOTP with recovery codes, account management by the beheerder, both sides, both databases."""

from datetime import datetime, timezone

import pyotp
import pytest
from sqlalchemy import select

from statushouders import accounts, audit, auth, db, policy
from statushouders.models import AuditEntry, LoginSession, RecoveryCode, User
from statushouders.policy import AccessDenied
from tests.conftest import enrol, totp_code


def _user(session, username):
    return session.scalars(select(User).where(User.username == username)).one()


def test_roles_that_see_bsn_health_or_finances_must_use_a_second_factor(monkeypatch):
    must = {key for key in policy.ROLES if policy.requires_second_factor(*key)}
    assert ("gemeente", "regisseur") in must and ("gemeente", "financien") in must
    assert ("vwn", "begeleider") in must and ("budgetcoach", "coach") in must and ("coa", "medewerker") in must
    assert ("gemeente", "beheerder") in must  # administrators could hand out such a role
    assert ("taalschool", "docent") not in must and ("gemeente", "coordinator") not in must
    monkeypatch.setenv("STATUSHOUDERS_TOTP_GROUPS", "learning")
    assert policy.requires_second_factor("taalschool", "docent")
    assert not policy.requires_second_factor("gemeente", "financien")
    monkeypatch.setenv("STATUSHOUDERS_TOTP_ALL", "1")
    assert policy.requires_second_factor("gemeente", "privacy")


def test_the_beheerder_sees_no_person_files(session, chain, make_form):
    from statushouders import register
    from tests.unit.test_refusals_logged import TODAY

    register.register(session, chain["regisseur"], make_form(), [], TODAY)
    org = chain["orgs"]["gemeente"]
    admin = User(username="admin", full_name="Admin", password_hash="!", organisation=org, role="beheerder")
    session.add(admin)
    session.flush()
    actor = auth.actor_for(admin)
    assert policy.role_groups(*actor.key) == frozenset()
    from statushouders.models import Person
    assert session.scalars(select(Person.id).where(policy.person_filter(actor, TODAY))).all() == []
    assert session.scalars(select(Person.id).where(policy.person_filter(chain["regisseur"], TODAY))).all() != []


# --- TOTP: a role that must use it (regisseur) -------------------------------------------------------------

def test_a_regisseur_must_enrol_then_sign_in_with_a_code(session, chain):
    with pytest.raises(auth.SecondFactorNeeded) as needed:
        auth.login(session, "regisseur", "geheim-wachtwoord")
    assert needed.value.enrol
    secret = auth.new_totp_secret()
    assert auth.qr_data_uri(auth.provisioning_uri(secret, "regisseur")).startswith("data:image/svg+xml")
    with pytest.raises(auth.LoginFailed, match="De code klopt niet"):
        auth.enrol_and_login(session, needed.value.user_id, secret, "000000" if totp_code(secret) != "000000"
                             else "111111")
    used = totp_code(secret)
    token, actor, codes = auth.enrol_and_login(session, needed.value.user_id, secret, used)
    assert actor.role == "regisseur" and len(codes) == 10 and len(set(codes)) == 10
    assert session.scalars(select(LoginSession.method)).one() == "local+totp"
    stored = session.scalars(select(RecoveryCode.code_hash)).all()
    assert all(h.startswith("$argon2") for h in stored) and not any(c.replace("-", "") in h for c in codes for h in stored)
    # Next sign-in: password and a code are both needed; the code just used does not work twice.
    with pytest.raises(auth.SecondFactorNeeded) as again:
        auth.login(session, "regisseur", "geheim-wachtwoord")
    assert not again.value.enrol
    with pytest.raises(auth.LoginFailed):
        auth.complete_login(session, again.value.user_id, used)
    token, _ = auth.complete_login(session, again.value.user_id, totp_code(secret, step=1))
    assert auth.resolve(session, token).role == "regisseur"


def test_a_wrong_code_is_refused_logged_and_counted_by_the_throttle(db_url, chain, session):
    enrol(session, "regisseur")
    user_id = _user(session, "regisseur").id
    session.commit()  # the test's session is not used again: on SQLite it would hold the write lock
    with pytest.raises(auth.LoginFailed, match="De code klopt niet"):
        db.in_session(auth.complete_login, user_id, "123456" if totp_code() != "123456" else "654321", "203.0.113.5")
    with db.session_scope(db_url) as s:
        from statushouders.models import LoginThrottle
        assert s.get(LoginThrottle, "account:regisseur").failures == 1
        assert s.get(LoginThrottle, "address:203.0.113.5").failures == 1
        failed = s.scalars(select(AuditEntry).where(AuditEntry.action == audit.LOGIN_FAILED)).all()
        assert [e.what for e in failed] == ["tweede factor onjuist"]


def test_wrong_codes_lock_the_account_like_wrong_passwords(db_url, chain, session, monkeypatch):
    monkeypatch.setenv("STATUSHOUDERS_LOGIN_DELAY_SECONDS", "0")
    enrol(session, "regisseur")
    user_id = _user(session, "regisseur").id
    session.commit()  # the test's session is not used again: on SQLite it would hold the write lock
    wrong = "123456" if totp_code() != "123456" else "654321"
    for _ in range(10):
        with pytest.raises(auth.LoginFailed):
            db.in_session(auth.complete_login, user_id, wrong)
    with pytest.raises(auth.LoginThrottled):  # the right code no longer helps while locked
        db.in_session(auth.complete_login, user_id, totp_code())
    with pytest.raises(auth.LoginThrottled):
        db.in_session(auth.login, "regisseur", "geheim-wachtwoord")


def test_a_recovery_code_works_once(session, chain):
    user = _user(session, "regisseur")
    codes = auth.enrol_totp(session, user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", totp_code())
    token, _ = auth.login(session, "regisseur", "geheim-wachtwoord", code=codes[3].upper())
    assert session.scalars(select(LoginSession.method)).one() == "local+recovery"
    with pytest.raises(auth.LoginFailed):
        auth.login(session, "regisseur", "geheim-wachtwoord", code=codes[3])
    assert auth.unused_recovery_codes(session, user.id) == 9
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == audit.LOGIN)).all()
    assert "wachtwoord + herstelcode" in entries[-1].what


# --- TOTP: a role that need not use it (taalschool) --------------------------------------------------------

def test_a_teacher_signs_in_with_a_password_and_may_turn_totp_on(session, chain):
    token, actor = auth.login(session, "taalschool", "geheim-wachtwoord")
    assert session.scalars(select(LoginSession.method)).one() == "local"
    user = _user(session, "taalschool")
    secret = auth.new_totp_secret()
    with pytest.raises(auth.LoginFailed):
        auth.enrol_totp(session, user, secret, "12345")
    codes = auth.enrol_totp(session, user, secret, pyotp.TOTP(secret).now())
    with pytest.raises(auth.SecondFactorNeeded):  # once on, it is asked for
        auth.login(session, "taalschool", "geheim-wachtwoord")
    auth.login(session, "taalschool", "geheim-wachtwoord", code=codes[0])


# --- account management ------------------------------------------------------------------------------------

@pytest.fixture
def admins(session, chain):
    made = {}
    for key, org in (("gemeente", chain["orgs"]["gemeente"]), ("taalschool", chain["orgs"]["taalschool"])):
        user = User(username=f"admin-{key}", full_name=f"Beheer {key}", password_hash=auth.hash_password("x" * 12),
                    organisation=org, role="beheerder")
        session.add(user)
        session.flush()
        made[key] = auth.actor_for(user)
    return made


def test_the_beheerder_adds_changes_and_disables_an_account_of_the_own_organisation(session, chain, admins):
    admin = admins["gemeente"]
    with pytest.raises(accounts.AccountInvalid) as bad:
        accounts.add_account(session, admin, {"username": "A B", "full_name": "", "role": "docent", "password": "kort"})
    assert set(bad.value.errors) == {"username", "full_name", "role", "password"}
    user = accounts.add_account(session, admin, {"username": "nieuw", "full_name": "Nieuwe Collega",
                                                 "role": "coordinator", "password": "een-lang-wachtwoord"})
    token, _ = auth.login(session, "nieuw", "een-lang-wachtwoord")
    accounts.change_account(session, admin, user.id, {"full_name": "Nieuwe Collega", "role": "privacy"})
    assert auth.resolve(session, token).role == "privacy"  # the new role counts from the next event
    accounts.set_active(session, admin, user.id, False)
    assert auth.resolve(session, token) is None
    assert session.scalars(select(LoginSession.ended_at).where(LoginSession.user_id == user.id)).one() is not None
    with pytest.raises(auth.LoginFailed):
        auth.login(session, "nieuw", "een-lang-wachtwoord")
    whats = [e.what for e in session.scalars(select(AuditEntry).where(AuditEntry.user_name == "Beheer gemeente"))]
    assert whats == ["account aangemaakt: nieuw (coordinator)", "account gewijzigd: nieuw",
                     "account uitgeschakeld: nieuw"]
    assert [r.username for r in accounts.list_accounts(session, admin)] == sorted(
        ["admin-gemeente", "nieuw", "regisseur", "financien", "coordinator", "privacy"],
        key=lambda n: {"admin-gemeente": "Beheer gemeente", "nieuw": "Nieuwe Collega"}.get(n, n.title()))


def test_the_beheerder_resets_a_second_factor(session, chain, admins):
    user = _user(session, "regisseur")
    auth.enrol_totp(session, user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", totp_code())
    token, _ = auth.login(session, "regisseur", "geheim-wachtwoord", code=totp_code(step=1))
    accounts.reset_second_factor(session, admins["gemeente"], user.id)
    assert user.totp_secret is None and auth.unused_recovery_codes(session, user.id) == 0
    assert auth.resolve(session, token) is None
    with pytest.raises(auth.SecondFactorNeeded) as needed:
        auth.login(session, "regisseur", "geheim-wachtwoord")
    assert needed.value.enrol


@pytest.mark.parametrize("action", ["change", "disable", "reset"])
def test_the_beheerder_of_another_organisation_is_refused_and_that_is_logged(db_url, session, chain, admins, action):
    target = _user(session, "regisseur").id
    session.commit()
    calls = {
        "change": lambda s: accounts.change_account(s, admins["taalschool"], target,
                                                    {"full_name": "Overgenomen", "role": "docent"}),
        "disable": lambda s: accounts.set_active(s, admins["taalschool"], target, False),
        "reset": lambda s: accounts.reset_second_factor(s, admins["taalschool"], target),
    }
    with pytest.raises(AccessDenied, match="hoort niet bij uw organisatie"):
        db.in_session(calls[action])
    with db.session_scope(db_url) as s:
        user = _user(s, "regisseur")
        assert (user.full_name, user.active, user.role) == ("Regisseur", True, "regisseur")
        refused = s.scalars(select(AuditEntry).where(AuditEntry.action == audit.REFUSED)).all()
        assert len(refused) == 1 and "hoort niet bij Taalschool" in refused[0].why


@pytest.mark.parametrize("who", ["regisseur", "privacy", "taalschool"])
def test_a_non_admin_is_refused_account_management(db_url, session, chain, who):
    target = _user(session, "coordinator").id
    session.commit()
    for call in (lambda s: accounts.list_accounts(s, chain[who]),
                 lambda s: accounts.add_account(s, chain[who], {"username": "x1", "full_name": "X",
                                                                "role": "coordinator", "password": "y" * 12}),
                 lambda s: accounts.set_active(s, chain[who], target, False)):
        with pytest.raises(AccessDenied):
            db.in_session(call)
    with db.session_scope(db_url) as s:
        assert _user(s, "coordinator").active and s.scalar(select(User.id).where(User.username == "x1")) is None
        assert len(s.scalars(select(AuditEntry).where(AuditEntry.action == audit.REFUSED)).all()) == 3


def test_a_beheerder_cannot_give_a_role_of_another_kind_nor_disable_itself(session, chain, admins):
    admin = admins["taalschool"]
    with pytest.raises(accounts.AccountInvalid) as bad:
        accounts.add_account(session, admin, {"username": "fin", "full_name": "F", "role": "financien",
                                              "password": "z" * 12})
    assert "role" in bad.value.errors
    with pytest.raises(accounts.AccountInvalid):
        accounts.set_active(session, admin, admin.user_id, False)
