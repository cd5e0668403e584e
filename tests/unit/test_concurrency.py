"""Exactly once under real concurrency, on SQLite and PostgreSQL: payment runs and the audit chain.

Each test starts its callers at the same instant (a barrier) in separate threads, each with its own
database session, as simultaneous browser events are. On SQLite ``SELECT … FOR UPDATE`` locks
nothing; these tests failed there before transactions started with ``BEGIN IMMEDIATE`` and run state
changes became conditional updates.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from lxml import etree
from sqlalchemy import delete, func, select, text, update

from statushouders import audit, auth, db, register
from statushouders.budget import checks, runs, service
from statushouders.models import AuditEntry, Payment, PaymentRun, User

TODAY = date(2026, 11, 22)
DEC = date(2026, 12, 1)
THREADS = 8


def _all_at_once(calls: list) -> list:
    """Run every call in its own thread, all released together; each result or the exception raised."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _in_own_session(url, func, *args):
    def call():
        with db.session_scope(url) as s:
            result = func(s, *args)
            return result.id if isinstance(result, PaymentRun) else result
    return call


@pytest.fixture
def budgets(session, chain, make_form):
    """Three persons in ontzorgen with four fixed costs each, a preparer and a second approver."""
    fin = chain["financien"]
    for n in range(3):
        form = make_form(v_number=f"21000001{n:02d}", bsn="", family_name=f"Tesfay{chr(65 + n)}",
                         iban="NL20INGB0001234567")
        person = register.register(session, chain["regisseur"], form, [], TODAY)
        service.save_benefit(session, fin, person.id, {"benefit_start": "2026-06-01", "household_kind": "single"},
                             TODAY)
        for category, amount, day in (("rent", "650,00", "1"), ("energy", "120,00", "15"),
                                      ("water", "25,00", "20"), ("health_insurance", "155,00", "28")):
            service.add_fixed_cost(session, fin, person.id, {
                "category": category, "creditor_name": "Dudok Wonen", "creditor_iban": "NL63TRIO0212345678",
                "amount": amount, "day_of_month": day, "reference": "",
            }, TODAY)
        service.save_arrangement(session, fin, person.id, {"ontzorgen_months": "12",
                                                           "ontzorgen_reason": "Start"}, TODAY)
    user = User(username="financien2", full_name="Tweede Financien", password_hash="x",
                organisation=chain["orgs"]["gemeente"], role="financien")
    session.add(user)
    session.commit()
    return fin, auth.actor_for(user)


def _exported_end_to_end_ids(url) -> list[str]:
    """Every EndToEndId in every SEPA file the municipality could send to the bank."""
    ids = []
    with db.session_scope(url) as s:
        for xml in s.scalars(select(PaymentRun.xml).where(PaymentRun.status == runs.APPROVED)):
            tree = etree.fromstring(bytes(xml))
            ids += [e.text for e in tree.iter() if etree.QName(e).localname == "EndToEndId"]
    return ids


def _chain_ok(url) -> None:
    with db.session_scope(url) as s:
        report = audit.verify(s)
    assert report.ok, report


def test_simultaneous_approvals_make_one_file_and_the_others_are_told(db_url, budgets):
    fin, second = budgets
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    outcomes = _all_at_once([_in_own_session(db_url, runs.approve_run, second, run_id, TODAY)] * THREADS)
    assert outcomes.count(run_id) == 1
    losers = [o for o in outcomes if o != run_id]
    assert len(losers) == THREADS - 1 and all(isinstance(o, runs.RunError) for o in losers), losers
    assert all("goedgekeurd" in str(o) for o in losers)
    ids = _exported_end_to_end_ids(db_url)
    assert len(ids) == 15 and len(set(ids)) == 15
    _chain_ok(db_url)


def test_approve_against_cancel_one_wins_and_no_cost_is_ever_paid_twice(db_url, budgets):
    fin, second = budgets
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    calls = [_in_own_session(db_url, runs.approve_run, second, run_id, TODAY),
             _in_own_session(db_url, runs.cancel_run, fin, run_id)] * (THREADS // 2)
    outcomes = _all_at_once(calls)
    assert outcomes.count(run_id) == 1, outcomes
    assert all(isinstance(o, runs.RunError) for o in outcomes if o != run_id), outcomes
    with db.session_scope(db_url) as s:
        run = s.get(PaymentRun, run_id)
        kept = s.scalar(select(func.count(Payment.id)).where(Payment.run_id == run_id))
    assert (run.status, kept) in {(runs.APPROVED, 15), (runs.CANCELLED, 0)}
    # The month prepared and approved again: every cost is in exactly one file.
    with db.session_scope(db_url) as s:
        try:
            again = runs.prepare_run(s, fin, DEC).id
        except runs.RunError:
            again = None
    assert (again is None) == (run.status == runs.APPROVED)
    if again is not None:
        with db.session_scope(db_url) as s:
            runs.approve_run(s, second, again, TODAY)
    ids = _exported_end_to_end_ids(db_url)
    assert len(ids) == 15 and len(set(ids)) == 15
    _chain_ok(db_url)


def test_simultaneous_prepares_make_one_run(db_url, budgets):
    fin, _ = budgets
    outcomes = _all_at_once([_in_own_session(db_url, runs.prepare_run, fin, DEC)] * THREADS)
    run_ids = Counter(o for o in outcomes if isinstance(o, int))
    assert len(run_ids) == 1, outcomes
    assert all(isinstance(o, (int, runs.RunError)) for o in outcomes), outcomes
    with db.session_scope(db_url) as s:
        assert s.scalar(select(func.count(PaymentRun.id))) == 1
        assert s.scalar(select(func.count(Payment.id))) == 15
    _chain_ok(db_url)


def test_simultaneous_downloads_give_the_one_archived_file(db_url, budgets):
    fin, second = budgets
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, run_id, TODAY)
    outcomes = _all_at_once([_in_own_session(db_url, runs.download, second, run_id)] * THREADS)
    assert len({o[1] for o in outcomes}) == 1, outcomes
    _chain_ok(db_url)


def test_the_database_keeps_the_payments_of_an_exported_run(db_url, budgets):
    """Even a bypass of the domain code (a raw statement) cannot make an exported cost payable again."""
    fin, second = budgets
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, run_id, TODAY)
    with pytest.raises(Exception, match="approved run"), db.session_scope(db_url) as s:
        s.execute(delete(Payment).where(Payment.run_id == run_id))
    with pytest.raises(Exception, match="approved run"), db.session_scope(db_url) as s:
        s.execute(update(PaymentRun).where(PaymentRun.id == run_id).values(status=runs.CANCELLED))
    with db.session_scope(db_url) as s:
        assert s.scalar(select(func.count(Payment.id)).where(Payment.run_id == run_id)) == 15


def test_fifty_simultaneous_file_reads_keep_the_audit_chain_whole(db_url, session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    session.commit()
    readers = [_in_own_session(db_url, lambda s: register.open_file(s, chain["regisseur"], person.id, TODAY).person_id)
               ] * 50
    outcomes = _all_at_once(readers)
    assert outcomes == [person.id] * 50
    with db.session_scope(db_url) as s:
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.person_id == person.id)) == 51
    _chain_ok(db_url)
