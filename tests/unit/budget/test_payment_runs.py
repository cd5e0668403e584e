"""Payment runs on the database (SQLite and PostgreSQL): four-eyes, never twice, crash-resume, valid XML."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree
from sqlalchemy import func, select

from statushouders import auth, db, register
from statushouders.budget import checks, runs, sepa, service, views
from statushouders.models import AuditEntry, Payment, PaymentRun, User
from statushouders.policy import AccessDenied

TODAY = date(2026, 11, 22)
DEC = date(2026, 12, 1)


def _second_financien(session, chain):
    user = User(username="financien2", full_name="Tweede Financien", password_hash="x",
                organisation=chain["orgs"]["gemeente"], role="financien")
    session.add(user)
    session.flush()
    return auth.actor_for(user)


def _person_with_budget(session, chain, make_form, n: int, months: str = "12"):
    fin = chain["financien"]
    form = make_form(v_number=f"21000001{n:02d}", bsn="", family_name=f"Tesfay{chr(65 + n)}",
                     iban="NL20INGB0001234567")
    person = register.register(session, chain["regisseur"], form, [], TODAY)
    service.save_benefit(session, fin, person.id, {"benefit_start": "2026-06-01", "household_kind": "single"}, TODAY)
    for category, amount, day in (("rent", "650,00", "1"), ("energy", "120,00", "15"),
                                  ("water", "25,00", "20"), ("health_insurance", "155,00", "31")):
        service.add_fixed_cost(session, fin, person.id, {
            "category": category, "creditor_name": "Dudok Wonen", "creditor_iban": "NL63TRIO0212345678",
            "amount": amount, "day_of_month": day,
            "reference": checks.make_betalingskenmerk("30000000000010" + str(n % 10)) if category == "rent" else "",
        }, TODAY)
    service.save_arrangement(session, fin, person.id, {"ontzorgen_months": months,
                                                       "ontzorgen_reason": "Verlengd: nog niet zelfredzaam"}, TODAY)
    return person


@pytest.fixture
def setup(session, chain, make_form):
    people = [_person_with_budget(session, chain, make_form, n) for n in range(3)]
    second = _second_financien(session, chain)
    session.commit()
    return chain["financien"], second, people


def _count(url, model=Payment, **where):
    with db.session_scope(url) as s:
        query = select(func.count(model.id))
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return s.scalar(query)


def test_run_pays_each_cost_once_and_second_run_adds_nothing(db_url, setup):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run = runs.prepare_run(s, fin, "2026-12")
        assert run.payment_count == 3 * 5  # 4 fixed costs + leefgeld each
    with db.session_scope(db_url) as s:
        assert runs.prepare_run(s, fin, DEC).id == run.id  # open run returned, not duplicated
    with db.session_scope(db_url) as s:
        approved = runs.approve_run(s, second, run.id, TODAY)
        sha = approved.xml_sha256
    with db.session_scope(db_url) as s, pytest.raises(runs.RunError, match="al goedgekeurd"):
        runs.approve_run(s, second, run.id, TODAY)  # approving again: refused, the file stays
    with db.session_scope(db_url) as s:
        assert s.get(PaymentRun, run.id).xml_sha256 == sha
    with db.session_scope(db_url) as s, pytest.raises(runs.RunError, match="niets"):
        runs.prepare_run(s, fin, DEC)
    assert _count(db_url) == 15
    assert _count(db_url, PaymentRun) == 1


def test_preparer_cannot_approve_four_eyes(db_url, setup):
    fin, second, _ = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s, pytest.raises(AccessDenied, match="Vier-ogen"):
        runs.approve_run(s, fin, run_id, TODAY)
    with db.session_scope(db_url) as s:
        assert s.get(PaymentRun, run_id).status == runs.PREPARED


def test_other_roles_cannot_run_payments(db_url, setup, chain):
    with db.session_scope(db_url) as s, pytest.raises(AccessDenied):
        runs.prepare_run(s, chain["regisseur"], DEC)
    with db.session_scope(db_url) as s, pytest.raises(AccessDenied):
        runs.list_runs(s, chain["budgetcoach"])


def test_crash_during_prepare_leaves_nothing_and_rerun_completes(db_url, setup, monkeypatch):
    fin, second, _ = setup
    monkeypatch.setattr(runs, "CHUNK", 4)

    def crash(stage, done=0):
        if stage == "payments" and done >= 8:
            raise RuntimeError("process killed")

    monkeypatch.setattr(runs, "_checkpoint", crash)
    with pytest.raises(RuntimeError), db.session_scope(db_url) as s:
        runs.prepare_run(s, fin, DEC)
    assert _count(db_url) == 0 and _count(db_url, PaymentRun) == 0
    monkeypatch.setattr(runs, "_checkpoint", lambda stage, done=0: None)
    with db.session_scope(db_url) as s:
        runs.prepare_run(s, fin, DEC)
    assert _count(db_url) == 15


def test_crash_during_approval_keeps_run_prepared_and_reapproval_completes(db_url, setup, monkeypatch):
    fin, second, _ = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id

    def crash(stage, done=0):
        if stage == "approve":
            raise RuntimeError("process killed")

    monkeypatch.setattr(runs, "_checkpoint", crash)
    with pytest.raises(RuntimeError), db.session_scope(db_url) as s:
        runs.approve_run(s, second, run_id, TODAY)
    with db.session_scope(db_url) as s:
        run = s.get(PaymentRun, run_id)
        assert run.status == runs.PREPARED and run.xml is None
    monkeypatch.setattr(runs, "_checkpoint", lambda stage, done=0: None)
    with db.session_scope(db_url) as s:
        assert runs.approve_run(s, second, run_id, TODAY).status == runs.APPROVED
    with db.session_scope(db_url) as s:
        ids = s.scalars(select(Payment.end_to_end_id)).all()
    assert len(ids) == len(set(ids)) == 15


@pytest.mark.parametrize("schema", ["pain.001.001.09", "pain.001.001.03"])
def test_approved_file_validates_against_the_xsd_and_matches_the_budgets(db_url, setup, schema):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC, schema=schema).id
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, run_id, TODAY)
    with db.session_scope(db_url) as s:
        name, xml = runs.download(s, second, run_id)
        run = s.get(PaymentRun, run_id)
        assert sepa.sha256(xml) == run.xml_sha256
    sepa.validate(xml, schema)
    ns = {"p": f"urn:iso:std:iso:20022:tech:xsd:{schema}"}
    doc = etree.fromstring(xml)
    e2e = doc.xpath("//p:EndToEndId/text()", namespaces=ns)
    assert len(e2e) == len(set(e2e)) == 15 and all(len(i) <= 35 for i in e2e)
    benefit = 132662
    assert doc.xpath("string(//p:GrpHdr/p:CtrlSum)", namespaces=ns) == f"{3 * benefit / 100:.2f}"
    assert doc.xpath("count(//p:Strd/p:CdtrRefInf[p:Tp/p:Issr='CUR'])", namespaces=ns) == 3
    assert name.endswith(".xml")


def test_tampered_or_broken_file_is_never_offered(db_url, setup):
    with pytest.raises(sepa.SepaInvalid):
        sepa.validate(b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>',
                      "pain.001.001.09")


def test_approved_run_cannot_be_cancelled_correction_is_a_new_run(db_url, setup, make_form, chain):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, run_id, TODAY)
    with db.session_scope(db_url) as s, pytest.raises(runs.RunError, match="niet worden geannuleerd"):
        runs.cancel_run(s, fin, run_id)
    # A new person's budget arrives after the December run: a visible correction run pays only that.
    with db.session_scope(db_url) as s:
        _person_with_budget(s, chain, make_form, 7)
    with db.session_scope(db_url) as s:
        correction = runs.prepare_run(s, fin, DEC)
        assert correction.correction and correction.payment_count == 5
        rows = runs.list_runs(s, second)
        assert "correctierun" in rows[0].status_label and rows[0].may_approve


def test_cost_added_after_approval_is_paid_in_next_run_once(db_url, setup):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, "2026-11").id
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, run_id, TODAY)
    with db.session_scope(db_url) as s:
        notices = service.add_fixed_cost(s, fin, people[0].id, {
            "category": "other", "label": "Inboedelverzekering", "creditor_name": "Centraal Beheer",
            "creditor_iban": "NL91ABNA0417164300", "amount": "12,50", "day_of_month": "5"}, TODAY)
        assert "12-2026" in notices["first_month"]
        arrangement_form = {"ontzorgen_months": "12", "ontzorgen_reason": "Verlengd", "mode_other": "direct"}
        service.save_arrangement(s, fin, people[0].id, arrangement_form, TODAY)
    with db.session_scope(db_url) as s, pytest.raises(runs.RunError):
        runs.prepare_run(s, fin, "2026-11")  # not in November's correction: nothing to pay
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, run_id, TODAY)
    assert _count(db_url, Payment, category="other") == 1


def test_cancelled_prepared_run_frees_its_payments(db_url, setup):
    fin, second, _ = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:
        runs.cancel_run(s, second, run_id)
    with db.session_scope(db_url) as s:
        new = runs.prepare_run(s, fin, DEC)
        assert new.id != run_id and new.payment_count == 15


def test_budget_reads_changes_and_exports_are_audited(db_url, setup):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        views.budget_page(s, fin, people[0].id, TODAY)
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, run_id, TODAY)
        runs.download(s, second, run_id)
    with db.session_scope(db_url) as s:
        actions = s.execute(select(AuditEntry.action, AuditEntry.what)).all()
    whats = [w for _, w in actions]
    with db.session_scope(db_url) as s:
        from statushouders import audit
        per_person = s.scalars(select(AuditEntry.what).where(AuditEntry.person_id == people[1].id)).all()
        assert audit.verify(s).ok
    assert any("opgenomen in SEPA-betaalrun" in w for w in per_person)
    assert any("gedownload" in w for w in per_person)
    assert "budget bekeken" in whats
    assert any(a == "export" and "goedgekeurd" in w for a, w in actions)
    assert any(a == "export" and "gedownload" in w for a, w in actions)


def test_letter_functions_return_what_the_run_paid(db_url, setup):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, run_id, TODAY)
    with db.session_scope(db_url) as s:
        overview = views.payment_overview(s, people[0].id, DEC)
        summary = views.ontzorgen_summary(s, people[0].id)
    from decimal import Decimal
    assert overview["paid_total"] == Decimal("950.00")
    assert overview["leefgeld"] == Decimal("1326.62") - Decimal("950.00")
    assert overview["paid"][-1]["date"] == date(2026, 12, 31)
    assert summary["months"] == 12 and len(summary["costs"]) == 4
    assert summary["end"] == date(2027, 5, 1)


def test_database_refuses_a_second_payment_for_the_same_cost_and_month(db_url, setup):
    fin, second, _ = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    from sqlalchemy.exc import IntegrityError
    with pytest.raises(IntegrityError), db.session_scope(db_url) as s:
        original = s.scalars(select(Payment).where(Payment.fixed_cost_id.is_not(None))).first()
        s.add(Payment(run_id=run_id, person_id=original.person_id, fixed_cost_id=original.fixed_cost_id,
                      kind="fixed_cost", category=original.category, month=DEC, amount_cents=1,
                      creditor_name="X", creditor_iban=original.creditor_iban, reference="dubbel",
                      due_date=original.due_date, end_to_end_id="EP-DUPLICATE-TEST"))
    assert _count(db_url) == 15


def test_payments_claimed_by_another_run_at_the_same_moment_are_refused(db_url, setup, monkeypatch):
    fin, second, _ = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    # Simulate a second process that did not see the first run's payments yet.
    monkeypatch.setattr(runs, "select_payments", lambda data, m, already: _unfiltered(data, m))
    with db.session_scope(db_url) as s:
        s.get(PaymentRun, run_id).open_key = None  # and did not see the open run either
    with pytest.raises(runs.RunError, match="andere betaalrun"), db.session_scope(db_url) as s:
        runs.prepare_run(s, fin, DEC)
    assert _count(db_url) == 15 and _count(db_url, PaymentRun) == 1


def _unfiltered(data, month):
    from statushouders.budget import selection
    return selection.select_payments(data, month, frozenset())


KILLED_PREPARE = """
import os, signal, sys
from statushouders import auth, db
from statushouders.budget import runs
from statushouders.models import User
url, stage = sys.argv[1], sys.argv[2]
runs.CHUNK = 4

def die(at, done=0):
    if at == stage and (at != "payments" or done >= 8):
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no rollback: like a killed process

runs._checkpoint = die
with db.session_scope(url) as s:
    users = {u.username: auth.actor_for(u) for u in s.query(User).all()}
with db.session_scope(url) as s:
    if stage == "payments":
        runs.prepare_run(s, users["financien"], "2026-12")
    else:
        run = s.query(runs.PaymentRun).one()
        runs.approve_run(s, users["financien2"], run.id, runs.date(2026, 11, 22))
"""


@pytest.mark.parametrize("stage", ["payments", "approve"])
def test_process_killed_mid_run_leaves_nothing_half_and_rerun_completes(db_url, setup, stage):
    import subprocess
    import sys
    from pathlib import Path

    fin, second, _ = setup
    root = Path(__file__).resolve().parents[3]
    if stage == "approve":
        with db.session_scope(db_url) as s:
            runs.prepare_run(s, fin, DEC)
    done = subprocess.run([sys.executable, "-c", KILLED_PREPARE, db_url, stage], cwd=root, capture_output=True)
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    db.engine_for(db_url).dispose()
    if stage == "payments":
        assert _count(db_url) == 0 and _count(db_url, PaymentRun) == 0
        with db.session_scope(db_url) as s:
            runs.prepare_run(s, fin, DEC)
    else:
        assert _count(db_url, PaymentRun, status=runs.PREPARED) == 1
    with db.session_scope(db_url) as s:
        run_id = s.scalar(select(PaymentRun.id))
        runs.approve_run(s, second, run_id, TODAY)
    with db.session_scope(db_url) as s:
        ids = s.scalars(select(Payment.end_to_end_id)).all()
        assert s.get(PaymentRun, run_id).status == runs.APPROVED
    assert len(ids) == len(set(ids)) == 15


def test_approver_sees_totals_and_payments_before_approving(db_url, setup, chain):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:
        detail = runs.run_payments(s, second, run_id)
    totals = {t["category"]: (t["count"], t["total"]) for t in detail["totals"]}
    assert totals["Huur"] == ("3", "€ 1.950,00") and totals["Leefgeld"][0] == "3"
    assert detail["count"] == detail["shown"] == 15
    assert detail["payments"][0]["end_to_end_id"].startswith(f"EP{people[0].id}-")
    with db.session_scope(db_url) as s, pytest.raises(AccessDenied):
        runs.run_payments(s, chain["regisseur"], run_id)


def test_load_budgets_gives_what_the_budget_page_reads(session, demo, make_form):
    """The run's set-based load (one query per table) equals ``service.to_data`` (the ORM relationships)
    for every budget: household changes, costs, deductions, allowances, lines, members, arrangement."""
    import dataclasses

    from statushouders.models import Budget, Person

    users, people = demo
    fin = users["financien"]
    extra = _person_with_budget(session, {"financien": fin, "regisseur": users["regisseur"]}, make_form, 5)
    service.add_household_change(session, fin, extra.id, {"change_from": "2026-10-15", "change_kind": "couple"},
                                 TODAY)
    service.add_deduction(session, fin, extra.id, {"deduction_label": "Aflossing", "deduction_amount": "40,00",
                                                   "deduction_months": "12"}, TODAY)
    service.add_allowance(session, fin, extra.id, {"allowance_kind": "zorgtoeslag", "allowance_amount": "131,00",
                                                   "allowance_expected": "2027-01-01"}, TODAY)
    service.add_budget_line(session, fin, extra.id, {"line_kind": "remittance", "line_amount": "50,00"}, TODAY)
    service.save_arrangement(session, fin, extra.id, {"ontzorgen_months": "12", "ontzorgen_reason": "Verlengd",
                                                      "hand_back_energy": "2027-03"}, TODAY)
    session.flush()
    budgets = session.scalars(select(Budget)).all()
    municipalities = {session.get(Person, b.person_id).municipality for b in budgets}
    loaded = {d.person_id: d for m in municipalities for d in runs.load_budgets(session, m)}
    assert len(loaded) == len(budgets) >= 4
    for budget in budgets:
        expected = service.to_data(budget, session.get(Person, budget.person_id))
        assert dataclasses.asdict(loaded[budget.person_id]) == dataclasses.asdict(expected), budget.person_id
    rich = loaded[extra.id]
    assert len(rich.periods) == 2 and rich.deductions and rich.allowances and rich.lines
    assert any(p.hand_back for p in rich.arrangement.categories.values())
    assert any(d.members for d in loaded.values())


def test_bulk_steps_pause_the_garbage_collector_and_always_switch_it_back_on():
    import gc
    import threading

    assert gc.isenabled()
    with runs._bulk_step():
        assert not gc.isenabled()
        with runs._bulk_step():  # nested (approval: the warnings, then the file)
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), runs._bulk_step():
        raise RuntimeError("process killed")
    assert gc.isenabled()
    # Two worker threads overlapping: the collector comes back only when the last one is done.
    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def first():
        with runs._bulk_step():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())

    def second():
        first_in.wait(5)
        with runs._bulk_step():
            pass
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False] and gc.isenabled()
    gc.disable()  # a process that runs without the collector keeps it off
    try:
        with runs._bulk_step():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
