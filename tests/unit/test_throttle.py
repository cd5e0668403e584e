"""Guessing passwords and own-view codes is throttled (issue 14, point 6), counted atomically on both databases."""

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from statushouders import audit, auth, db, own_access, register
from statushouders.models import AuditEntry, LoginThrottle, PersonAccessCode
from tests.unit.test_refusals_logged import TODAY

ADDRESS = "203.0.113.9"


@pytest.fixture
def committed(session, chain, make_form, monkeypatch):
    monkeypatch.setenv("STATUSHOUDERS_LOGIN_DELAY_SECONDS", "0")  # locks without waiting through the delays
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    session.commit()
    return chain, person.id


def _login(username, password, client=ADDRESS):
    return db.in_session(auth.login, username, password, client)


def _failures(url, key):
    with db.session_scope(url) as s:
        row = s.get(LoginThrottle, key)
        return row.failures if row else 0


def _entries(url, action):
    with db.session_scope(url) as s:
        return s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_no_longer_works(db_url, committed):
    messages = []
    for _ in range(30):
        with pytest.raises(auth.LoginFailed) as exc:
            _login("coordinator", "fout")
        messages.append(str(exc.value))
    assert messages[0] == "Gebruikersnaam of wachtwoord klopt niet."
    assert "geblokkeerd" in messages[9] and "Probeer het opnieuw na" in messages[9]
    with pytest.raises(auth.LoginThrottled, match="geblokkeerd") as exc:
        _login("coordinator", "geheim-wachtwoord")
    assert exc.value.until > datetime.now(timezone.utc) + timedelta(minutes=14)
    assert _failures(db_url, "account:coordinator") == 10  # tries during the lock check no password, count nothing
    locks = _entries(db_url, audit.LOCKED)
    assert [e.what for e in locks] == ["account geblokkeerd na 10 mislukte inlogpogingen"]
    with pytest.raises(auth.LoginThrottled):  # from another address too: the lock is the account's
        _login("coordinator", "geheim-wachtwoord", "198.51.100.1")
    _login("taalschool", "geheim-wachtwoord", "198.51.100.1")  # other accounts are not affected


def test_the_lock_ends_after_its_time_and_the_count_starts_afresh(db_url, committed):
    for _ in range(10):
        with pytest.raises(auth.LoginFailed):
            _login("coordinator", "fout")
    with db.session_scope(db_url) as s:
        s.execute(update(LoginThrottle).values(locked_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
    with pytest.raises(auth.LoginFailed) as exc:  # one typo after the lock does not lock again
        _login("coordinator", "fout")
    assert not isinstance(exc.value, auth.LoginThrottled)
    assert _failures(db_url, "account:coordinator") == 1
    _, actor = _login("coordinator", "geheim-wachtwoord")
    assert actor.role == "coordinator" and _failures(db_url, "account:coordinator") == 0  # success resets the account


def test_growing_delays_after_five_failures_refuse_even_the_right_password(db_url, committed, monkeypatch):
    monkeypatch.setenv("STATUSHOUDERS_LOGIN_DELAY_SECONDS", "60")
    for n in range(5):
        with pytest.raises(auth.LoginFailed) as exc:
            _login("coordinator", "fout")
    assert "over 60 seconden" in str(exc.value)
    with pytest.raises(auth.LoginThrottled, match="over 60 seconden"):
        _login("coordinator", "geheim-wachtwoord")
    with db.session_scope(db_url) as s:  # the delay passed: the right password works again
        s.execute(update(LoginThrottle).values(last_failure_at=datetime.now(timezone.utc) - timedelta(seconds=61)))
    _login("coordinator", "geheim-wachtwoord")


def test_a_success_between_failures_keeps_the_account_free(db_url, committed):
    for _ in range(3):
        for _ in range(4):
            with pytest.raises(auth.LoginFailed):
                _login("coordinator", "fout")
        _login("coordinator", "geheim-wachtwoord")


def test_spraying_many_accounts_from_one_address_locks_that_address(db_url, committed, monkeypatch):
    monkeypatch.setenv("STATUSHOUDERS_ADDRESS_LOCK_AFTER", "12")
    for n in range(12):  # 12 different names: no account reaches its own limit
        with pytest.raises(auth.LoginFailed):
            _login(f"gok{n}", "fout")
    with pytest.raises(auth.LoginThrottled, match="vanaf dit adres"):
        _login("taalschool", "geheim-wachtwoord")
    _login("taalschool", "geheim-wachtwoord", "198.51.100.1")  # the account itself is fine from elsewhere
    assert "adres geblokkeerd" in _entries(db_url, audit.LOCKED)[0].what


def _parallel(n, attempt):
    barrier = threading.Barrier(n)
    errors = []

    def run():
        barrier.wait()
        try:
            attempt()
        except Exception as exc:  # noqa: BLE001 - collected and checked below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_parallel_wrong_passwords_are_all_counted(db_url, committed, monkeypatch):
    monkeypatch.setenv("STATUSHOUDERS_LOGIN_LOCK_AFTER", "100")
    monkeypatch.setenv("STATUSHOUDERS_LOGIN_DELAY_AFTER", "100")
    errors = _parallel(16, lambda: _login("coordinator", "fout"))
    assert len(errors) == 16 and all(type(e) is auth.LoginFailed for e in errors)
    assert _failures(db_url, "account:coordinator") == 16
    assert _failures(db_url, f"address:{ADDRESS}") == 16
    assert len(_entries(db_url, audit.LOGIN_FAILED)) == 16


def test_parallel_wrong_passwords_past_the_limit_lock_once(db_url, committed):
    errors = _parallel(16, lambda: _login("coordinator", "fout"))
    assert len(errors) == 16 and all(isinstance(e, auth.LoginFailed) for e in errors)
    assert _failures(db_url, "account:coordinator") >= 10
    assert len(_entries(db_url, audit.LOCKED)) == 1
    with pytest.raises(auth.LoginThrottled):
        _login("coordinator", "geheim-wachtwoord")


# --- own view ---------------------------------------------------------------------------------------------

def _issue(chain, person_id, now):
    code, _ = db.in_session(own_access.issue_code, chain["regisseur"], person_id, now)
    return code.replace("-", "")


def _wrong_like(code, n):
    """A wrong code that starts like ``code`` (as a mistyped code does)."""
    alphabet = own_access.CODE_ALPHABET
    tail = "".join(alphabet[(alphabet.index(c) + 1 + n) % len(alphabet)] for c in code[4:])
    return code[:4] + tail


def test_a_code_is_void_after_ten_wrong_tries_and_the_regisseur_makes_a_new_one(db_url, committed):
    chain, person_id = committed
    now = datetime.now(timezone.utc)
    code = _issue(chain, person_id, now)
    for n in range(10):
        with pytest.raises(own_access.SignInFailed):
            db.in_session(own_access.sign_in, _wrong_like(code, n), now, f"198.51.100.{n}")
    with pytest.raises(own_access.SignInFailed) as exc:
        db.in_session(own_access.sign_in, code, now, "198.51.100.99")
    assert exc.value.reason == "void"
    locks = _entries(db_url, audit.LOCKED)
    assert [(e.what, e.person_id) for e in locks] == [("inlogcode eigen omgeving ongeldig na 10 mislukte pogingen",
                                                         person_id)]
    fresh = _issue(chain, person_id, now)
    assert db.in_session(own_access.sign_in, fresh, now, "198.51.100.99")[1] == person_id


def test_nine_wrong_tries_leave_the_code_working(db_url, committed):
    chain, person_id = committed
    now = datetime.now(timezone.utc)
    code = _issue(chain, person_id, now)
    for n in range(9):
        with pytest.raises(own_access.SignInFailed):
            db.in_session(own_access.sign_in, _wrong_like(code, n), now, "")
    assert db.in_session(own_access.sign_in, code, now, "")[1] == person_id


def test_two_hundred_random_codes_from_one_address_lock_that_address(db_url, committed):
    chain, person_id = committed
    now = datetime.now(timezone.utc)
    code = _issue(chain, person_id, now)
    guesses = ["".join(own_access.CODE_ALPHABET[(i * 7 + j) % 32] for j in range(10)) for i in range(200)]
    reasons = []
    for guess in guesses:
        if guess[:4] == code[:4]:
            continue
        with pytest.raises(own_access.SignInFailed) as exc:
            db.in_session(own_access.sign_in, guess, now, ADDRESS)
        reasons.append(exc.value.reason)
    assert reasons.count("code") == 49 and set(reasons[49:]) == {"wait"}
    with pytest.raises(own_access.SignInFailed) as exc:
        db.in_session(own_access.sign_in, code, now, ADDRESS)
    assert exc.value.reason == "wait" and exc.value.until > now
    assert db.in_session(own_access.sign_in, code, now, "198.51.100.1")[1] == person_id  # not voided


def test_parallel_wrong_codes_are_all_counted_and_void_the_code_once(db_url, committed):
    chain, person_id = committed
    now = datetime.now(timezone.utc)
    code = _issue(chain, person_id, now)
    errors = _parallel(14, lambda: db.in_session(own_access.sign_in, _wrong_like(code, 0), now, ""))
    assert len(errors) == 14 and all(isinstance(e, own_access.SignInFailed) for e in errors)
    with db.session_scope(db_url) as s:
        row = s.scalars(select(PersonAccessCode)).one()
        assert row.failures == 10 and row.revoked_at is not None  # counted up to the limit, then void
    assert len(_entries(db_url, audit.LOCKED)) == 1


def test_delays_double_from_the_fifth_failure_and_never_exceed_the_lock():
    from statushouders.throttle import Limits

    limits = Limits(delay_after=5, lock_after=10, delay_seconds=2, lock=timedelta(minutes=15))
    assert [limits.delay(n).total_seconds() for n in (4, 5, 6, 7, 9)] == [0, 2, 4, 8, 32]
    assert limits.delay(40) == timedelta(minutes=15)
