"""The dashboard rollup stays equal to a full recomputation, whatever is written and however."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, create_engine, delete, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.util import find_tables

from statushouders import auth, db, generate, kpis, rollup
from statushouders.models import Consent, LetterRecord, PartnerLink, Person, User
from statushouders.models.budget import Budget, OntzorgenArrangement, OntzorgenCategory, Payment, PaymentRun
from statushouders.models.dashboard import DashboardRollupState, PersonMilestone
from statushouders.models.plans import Pip, Plan, PlanAction

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)


def _person(session, chain, n, **kw) -> Person:
    values = dict(given_names=f"R{n}", family_name="Rollup", birth_date=date(1990, 1, 1), country_of_origin="SY",
                  v_number=f"{6000000000 + n}", residence_status="asylum", municipality="Hilversum",
                  letter_language="ar", literacy="literate", preferred_channel="phone", created_at=NOW,
                  created_by=chain["regisseur"].user_id)
    values.update(kw)
    p = Person(**values)
    session.add(p)
    session.flush()
    return p


def _build(session, chain) -> dict:
    """A small chain touching every fact: milestones, plans, PIPs, actions, letters, payments, hand-backs, access."""
    orgs, user, fin = chain["orgs"], chain["regisseur"].user_id, chain["financien"].user_id
    out = {}
    for n in range(6):
        p = _person(session, chain, n, permit_date=date(2026, 10, 1), koppeling_date=date(2026, 10, 10 + n),
                    move_date=date(2026, 9, 1 + n) if n % 3 else None, municipality="Utrecht" if n == 5 else "Hilversum")
        session.add(PersonMilestone(person_id=p.id, housing_offer_date=date(2026, 8, 1 + n),
                                    first_lesson_date=date(2026, 10, 1 + n) if n % 3 else None))
        pl = Plan(person_id=p.id, status="actief", created_at=NOW, created_by=user, brp_date=date(2026, 9, 2),
                  intake_at=datetime(2026, 9, 5, 10, tzinfo=timezone.utc),
                  agreed_at=datetime(2026, 10, 1 + n, 12, tzinfo=timezone.utc) if n % 2 else None)
        session.add(pl)
        session.flush()
        session.add(Pip(person_id=p.id, version=1, current=True, decided_on=date(2026, 11, 1 + n),
                        term_start=date(2026, 11, 1), route="b1", duration_months=36, change_kind="eerste",
                        created_at=NOW, created_by=user))
        for i, (owner, worker, status, due) in enumerate([
                ("gemeente", chain["regisseur"].user_id, "open", TODAY - timedelta(days=n)),
                ("gemeente", chain["regisseur"].user_id, "bezig", TODAY + timedelta(days=1 + n)),
                ("vwn", chain["vwn"].user_id, "open", TODAY + timedelta(days=2)),
                ("vwn", None, "geblokkeerd", TODAY - timedelta(days=40)),
                ("taalschool", chain["taalschool"].user_id, "klaar", TODAY - timedelta(days=5))]):
            session.add(PlanAction(plan_id=pl.id, domain="wonen", what=f"a{i}", kind="coaching",
                                   owner_id=orgs[owner].id, worker_id=worker, due_date=due, status=status,
                                   visible_to=[], version=1, updated_at=NOW))
        session.add(LetterRecord(person_id=p.id, letter_type="plan_summary", language="ar" if n % 2 else "nl",
                                 reference=f"RL{n}", sha256="0" * 64, size=1, pdf=b"%", template_version="t",
                                 catalog_version="c", gaps=[], produced_at=datetime(2026, 10, 5, tzinfo=timezone.utc),
                                 produced_by_name="x", organisation="Gemeente Hilversum"))
        if n % 2 == 0:
            session.add(Consent(person_id=p.id, organisation_id=orgs["vwn"].id, purpose="maatschappelijke_begeleiding",
                                text_version="v1", language="ar", given_on=TODAY, recorded_by=user))
        if n % 3 == 1:
            session.add(PartnerLink(person_id=p.id, organisation_id=orgs["taalschool"].id, since=TODAY,
                                    ended_at=TODAY + timedelta(days=2) if n == 1 else None))
        out[n] = (p, pl)
    runs = []
    for month, approved, status in ((date(2026, 10, 1), datetime(2026, 10, 3, 12, tzinfo=timezone.utc), "approved"),
                                    (date(2026, 11, 1), datetime(2026, 10, 28, 12, tzinfo=timezone.utc), "approved"),
                                    (date(2026, 12, 1), None, "prepared")):
        run = PaymentRun(municipality="Hilversum", month=month, status=status, schema="pain.001.001.09",
                         prepared_by=fin, prepared_at=NOW, approved_at=approved,
                         approved_by=fin if approved else None, problems=[])
        session.add(run)
        runs.append(run)
    session.flush()
    for n in (1, 2, 4):
        p = out[n][0]
        for run in runs:
            for kind, cents in (("fixed_cost", 50000), ("leefgeld", 12000 if n == 2 else 40000)):
                session.add(Payment(run_id=run.id, person_id=p.id, kind=kind, category="rent" if kind == "fixed_cost"
                                    else kind, month=run.month, amount_cents=cents, creditor_name="X",
                                    creditor_iban="NL91ABNA0417164300", reference="", due_date=run.month,
                                    end_to_end_id=f"R{run.id}-{p.id}-{kind}"))
        budget = Budget(person_id=p.id, benefit_start=date(2026, 9, 1), updated_by=fin, updated_at=NOW)
        session.add(budget)
        session.flush()
        arrangement = OntzorgenArrangement(budget_id=budget.id, start_month=date(2026, 9, 1), months=3,
                                           updated_by=fin, updated_at=NOW)
        session.add(arrangement)
        session.flush()
        session.add(OntzorgenCategory(arrangement_id=arrangement.id, category="energy", mode="direct",
                                      hand_back_month=date(2026, 11, 1)))
    session.flush()
    out["runs"] = runs
    return out


def _results(session, actor=None, today=TODAY, **filters) -> list[dict]:
    scope = kpis.scope_for(actor, today, kpis.Filters(**filters))
    return [asdict(r) for r in kpis.dashboard(session, scope)]


def _assert_exact(session, today=TODAY):
    assert rollup.stored(session) == rollup.expected(session, today, kpis.FACTS)


def _source_tables() -> set[str]:
    return {t.name for stmt in rollup._statements(kpis.FACTS) for t in find_tables(stmt)
            if not t.name.startswith("dashboard_")}  # the rollup's own tables


def _triggered_tables(session) -> dict[str, set[str]]:
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(text("SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                                    "WHERE t.tgname LIKE 'dashboard_dirty_%'"))
    else:
        rows = session.execute(text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name LIKE 'dashboard_dirty_%'"))
    out: dict[str, set[str]] = {}
    for table, name in rows:
        out.setdefault(table, set()).add(name.rsplit("_", 1)[1])
    return out


def test_every_table_the_rollup_reads_marks_changed_persons(session, chain):
    tables = _source_tables()
    assert {"persons", "plan_actions", "payments", "payment_runs", "consents", "organisations"} <= tables
    triggered = _triggered_tables(session)
    for table in tables:
        assert {"insert", "update", "delete"} <= triggered.get(table, set()), table


def test_the_facts_read_only_the_payment_run_columns_whose_changes_sqlite_tracks():
    """Migration 0009 fires on SQLite only for updates of these run columns (one run holds thousands)."""
    read = {c.name for stmt in rollup._statements(kpis.FACTS) for c in visitors.iterate(stmt)
            if isinstance(c, Column) and c.table is PaymentRun.__table__}
    assert read and read <= {"id", "status", "approved_at"}


def test_truncating_a_source_table_rebuilds(session, chain, db_url):
    """PostgreSQL's TRUNCATE names no rows: it makes the next refresh rebuild (SQLite has no TRUNCATE)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has no TRUNCATE")
    _build(session, chain)
    _results(session, chain["regisseur"])
    session.execute(text("TRUNCATE letters"))
    r = next(r for r in _results(session, chain["regisseur"]) if r["key"] == "letters_own_language")
    assert r["n"] == 0
    _assert_exact(session)


def test_the_rollup_equals_a_full_recomputation_after_writes_of_every_kind(session, chain):
    data = _build(session, chain)
    before = _results(session, chain["regisseur"])
    _assert_exact(session)
    p1, plan1 = data[1]
    p2, _plan2 = data[2]
    # ORM changes
    action = session.scalars(select(PlanAction).where(PlanAction.plan_id == plan1.id, PlanAction.status == "open")).first()
    action.status = "klaar"
    session.get(Person, p2.id).letter_language = "nl"
    session.get(PersonMilestone, p1.id).housing_offer_date = date(2026, 7, 1)
    session.delete(session.scalars(select(Pip).where(Pip.person_id == p2.id)).one())
    # Core and raw SQL changes
    # (an approved run can never be cancelled, the database refuses it; its approval moment can change)
    session.execute(update(PaymentRun).where(PaymentRun.id == data["runs"][0].id)
                    .values(approved_at=datetime(2026, 10, 20, 12, tzinfo=timezone.utc)))
    session.execute(delete(LetterRecord).where(LetterRecord.person_id == p1.id))
    session.execute(update(Consent).where(Consent.person_id == data[0][0].id).values(withdrawn_at=NOW))
    session.execute(text("UPDATE persons SET municipality = 'Utrecht' WHERE id = :id"), {"id": data[4][0].id})
    session.execute(update(OntzorgenCategory).values(hand_back_month=date(2026, 10, 1)))
    session.execute(delete(PartnerLink))
    session.flush()
    after = _results(session, chain["regisseur"])
    assert after != before
    _assert_exact(session)
    session.execute(update(DashboardRollupState).values(definition=None))  # force a full rebuild
    assert _results(session, chain["regisseur"]) == after


def test_a_write_after_opening_shows_at_the_next_opening(session, chain):
    _build(session, chain)
    n = {r["key"]: r["n"] for r in _results(session, chain["coordinator"])}
    _person(session, chain, 50, permit_date=date(2026, 10, 1), koppeling_date=date(2026, 10, 2))
    session.flush()
    again = {r["key"]: r["n"] for r in _results(session, chain["coordinator"])}
    assert again["permit_koppeling"] == n["permit_koppeling"] + 1
    _assert_exact(session)


def test_a_partner_stops_counting_a_person_the_moment_consent_is_withdrawn(session, chain):
    data = _build(session, chain)
    assert next(r for r in _results(session, chain["vwn"]) if r["key"] == "permit_koppeling")["n"] == 3
    session.execute(update(Consent).where(Consent.person_id == data[0][0].id).values(withdrawn_at=NOW))
    assert next(r for r in _results(session, chain["vwn"]) if r["key"] == "permit_koppeling")["n"] == 2


def test_another_day_recounts_overdue_actions_and_day_bound_access(session, chain):
    _build(session, chain)
    overdue = {}
    for day in (TODAY, TODAY + timedelta(days=3), TODAY - timedelta(days=1), TODAY):
        results = {r["key"]: r for r in _results(session, chain["regisseur"], today=day)}
        _assert_exact(session, day)
        overdue[day] = sum(row["overdue"] for row in results["overdue_actions"]["rows"])
        # COA loses persons after their move day, the language school a link that ended
        _results(session, chain["coa"], today=day)
        _results(session, chain["taalschool"], today=day)
        _assert_exact(session, day)
    assert overdue[TODAY - timedelta(days=1)] < overdue[TODAY] < overdue[TODAY + timedelta(days=3)]


def test_filters_that_keep_everyone_read_the_same_numbers_as_the_totals(session, chain):
    """With a filter the persons' facts are summed; without, the audience's totals: both agree."""
    _build(session, chain)
    for name in ("regisseur", "financien", "vwn", "coa", "taalschool", None):
        actor = chain[name] if name else None
        assert _results(session, actor, country="SY") == _results(session, actor), name
    assert _results(session, chain["regisseur"], municipality="Hilversum") == _results(session, chain["regisseur"])


def test_a_marker_committed_during_a_refresh_is_kept_for_the_next(chain, session, db_url):
    """PostgreSQL: a write that commits while a dashboard refreshes is recomputed by the next refresh."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time")
    p = _person(session, chain, 70, permit_date=date(2026, 10, 1), koppeling_date=date(2026, 10, 3))
    _results(session, chain["regisseur"])
    _person(session, chain, 71)  # a visible change: the next refresh claims its marker
    session.commit()
    engine = create_engine(db_url)
    with Session(engine) as writer:
        writer.execute(update(Person).where(Person.id == p.id).values(koppeling_date=date(2026, 10, 9)))
        _results(session, chain["regisseur"])  # refreshes while the writer has not committed
        session.commit()
        writer.commit()
    engine.dispose()
    r = next(r for r in _results(session, chain["regisseur"]) if r["key"] == "permit_koppeling")
    assert (r["n"], r["value"]) == (1, 8.0)
    _assert_exact(session)


def test_a_generated_chain_is_rolled_up_exactly_and_stays_so(db_url):
    """The generator's data (bulk inserts, then a rebuild); afterwards a mix of set-based writes."""
    generate.generate(db_url, persons=150, today=TODAY, municipalities=4, progress=lambda _msg: None)
    with db.session_scope(db_url) as session:
        _assert_exact(session)
        session.execute(update(PlanAction).where(PlanAction.id % 7 == 0).values(status="klaar"))
        session.execute(update(Payment).where(Payment.id % 5 == 0).values(amount_cents=100))
        session.execute(delete(Consent).where(Consent.id % 3 == 0))
        session.execute(update(Person).where(Person.id % 11 == 0).values(move_date=TODAY))
        coordinator = session.scalars(select(User).where(User.username == "coordinator")).one()
        _results(session, auth.actor_for(coordinator), today=TODAY + timedelta(days=1))
        _assert_exact(session, TODAY + timedelta(days=1))
