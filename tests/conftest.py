"""Shared fixtures: a migrated database per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import pyotp

import pytest
from sqlalchemy import create_engine, text

from statushouders import auth, db
from statushouders.models import Organisation, Person, User

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
TODAY = date(2026, 11, 22)
TEST_AUDIT_KEY = "test-audit-key-" + "k" * 40  # outside the database, as in a deployment

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL not set (make test starts PostgreSQL)"),
        ],
    ),
]


def _fresh_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    db.engine_for.cache_clear()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, monkeypatch) -> str:
    """A freshly migrated database; also made the app's database for the test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = POSTGRES_URL
        _fresh_postgres(url)
    db.migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("STATUSHOUDERS_AUDIT_KEY", TEST_AUDIT_KEY)
    monkeypatch.setenv("STATUSHOUDERS_AUDIT_ANCHOR_FILE", str(tmp_path / "audit-anchors.jsonl"))
    yield url
    db.engine_for(url).dispose()
    db.engine_for.cache_clear()


@pytest.fixture
def session(db_url):
    with db.session_scope(db_url) as s:
        yield s


ORGS = {
    "gemeente": ("Gemeente Hilversum", "Hilversum"),
    "gemeente_other": ("Gemeente Utrecht", "Utrecht"),
    "coa": ("COA", None),
    "vwn": ("VluchtelingenWerk", None),
    "taalschool": ("Taalschool", None),
    "budgetcoach": ("Budgetcoach", None),
}
ROLE_USERS = {
    "regisseur": ("gemeente", "regisseur"),
    "financien": ("gemeente", "financien"),
    "coordinator": ("gemeente", "coordinator"),
    "privacy": ("gemeente", "privacy"),
    "utrecht": ("gemeente_other", "regisseur"),
    "coa": ("coa", "medewerker"),
    "vwn": ("vwn", "begeleider"),
    "taalschool": ("taalschool", "docent"),
    "budgetcoach": ("budgetcoach", "coach"),
}


@pytest.fixture
def chain(session):
    """One organisation per kind (two gemeenten) and one user per role; returns actors by name."""
    orgs = {}
    for key, (name, municipality) in ORGS.items():
        kind = "gemeente" if key.startswith("gemeente") else key
        orgs[key] = Organisation(name=name, kind=kind, municipality=municipality)
        session.add(orgs[key])
    users = {}
    password = auth.hash_password("geheim-wachtwoord")
    for username, (org, role) in ROLE_USERS.items():
        users[username] = User(username=username, full_name=username.title(), password_hash=password,
                               organisation=orgs[org], role=role)
        session.add(users[username])
    session.flush()
    actors = {name: auth.actor_for(user) for name, user in users.items()}
    actors["orgs"] = orgs
    return actors


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol(url_or_session, username: str, secret: str = TOTP_SECRET) -> str:
    """Give ``username`` a confirmed TOTP secret directly (what ``auth.enrol_totp`` stores)."""
    from sqlalchemy import select

    def _set(s):
        s.scalars(select(User).where(User.username == username)).one().totp_secret = secret

    if isinstance(url_or_session, str):
        with db.session_scope(url_or_session) as s:
            _set(s)
    else:
        _set(url_or_session)
        url_or_session.flush()
    return secret


def totp_code(secret: str = TOTP_SECRET, step: int = 0) -> str:
    """The authenticator app's code now (``step`` 1: the next one, still accepted for clock drift)."""
    return pyotp.TOTP(secret).at(datetime.now() + timedelta(seconds=30 * step))


def person_form(**overrides) -> dict:
    """A valid registration form for Yonas; override fields to make it invalid."""
    form = {
        "given_names": "Yonas", "family_name": "Tesfay", "name_own_script": "ዮናስ ተስፋይ",
        "birth_date": "2007-03-14", "country_of_origin": "ER", "v_number": "2100000001", "bsn": "111222333",
        "residence_status": "asylum", "integration_duty": "on", "permit_date": "2026-02-02",
        "koppeling_date": "2026-02-13", "municipality": "Hilversum", "azc": "AZC Amersfoort",
        "spoken_languages": "tir", "read_languages": "tir", "letter_language": "tir", "literacy": "limited",
        "interpreter_needed": "on", "preferred_channel": "phone", "phone": "06 1234 5678",
        "functional_limitations": "Slaapt slecht.", "iban": "NL91ABNA0417164300", "education_years": "6",
    }
    form.update(overrides)
    return form


@pytest.fixture
def make_form():
    return person_form


DEMO_DAY = date(2026, 11, 23)


@pytest.fixture
def demo(session):
    """The seeded demo (organisations, users, the ten personas' persons) as of 23 November 2026."""
    from sqlalchemy import select

    from statushouders import seed

    seed.seed(session, DEMO_DAY)
    users = {u.username: auth.actor_for(u) for u in session.scalars(select(User))}
    people = {p.given_names: p for p in session.scalars(select(Person))}
    return users, people


@pytest.fixture
def pay_demo_month(session, demo):
    """Pay a month of the seeded demo as finance would: Yonas' below-norm leefgeld is resolved first
    (supplement € 600,00 → € 700,00, leefgeld € 300,00); other persons with a blocking warning are
    taken out of the run with a reason. Returns the approved run."""
    from statushouders.budget import runs, service

    users, people = demo
    yonas = people["Yonas"]
    budget = service.budget_of(session, yonas.id)
    service.save_benefit(session, users["financien"], yonas.id, {
        "benefit_start": budget.benefit_start.isoformat(), "household_kind": budget.households[0].kind,
        "supplement": "700,00", "leefgeld_iban": yonas.iban or ""}, DEMO_DAY)

    def pay(month: str, approved_on: date):
        run = runs.prepare_run(session, users["financien"], month)
        summary = runs.approval_summary(session, users["financien2"], run.id)
        for person_id in {w["person_id"] for w in summary["warnings"] if w["blocking"]}:
            runs.exclude_person(session, users["financien2"], run.id, person_id, "Leefgeld onder de norm")
        return runs.approve_run(session, users["financien2"], run.id, approved_on)

    return pay
