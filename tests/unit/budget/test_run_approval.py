"""Approval confirmation: total, count and every warning per person; blocking warnings stop the server.

The approver sees leefgeld below the norm, first month, a changed IBAN, a new creditor and an amount far
from last month. ``approve_run`` itself refuses while a blocking warning remains (not only the dialog);
taking a person out of the run needs a reason, is audited and makes their payments payable again.
"""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree
from sqlalchemy import select

from statushouders import db
from statushouders.budget import runs, service
from statushouders.models import AuditEntry, Payment, PaymentRun, PaymentRunExclusion
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors

from .test_payment_runs import DEC, TODAY, _person_with_budget, _second_financien
from ..test_concurrency import _all_at_once

JAN = date(2027, 1, 1)


@pytest.fixture
def setup(session, chain, make_form):
    people = [_person_with_budget(session, chain, make_form, n) for n in range(3)]
    second = _second_financien(session, chain)
    # Person 1: a furnishing-loan repayment of € 150,00 leaves € 1.326,62 − € 950,00 − € 150,00 = € 226,62
    # leefgeld, below the € 250,00 minimum.
    service.add_deduction(session, chain["financien"], people[1].id, {
        "deduction_label": "Aflossing inrichtingskrediet", "deduction_amount": "150,00", "deduction_months": "24"},
        TODAY)
    session.commit()
    return chain["financien"], second, people


def _summary(url, actor, run_id):
    with db.session_scope(url) as s:
        return runs.approval_summary(s, actor, run_id)


def test_below_norm_person_blocks_approval_until_taken_out_with_a_reason(db_url, setup):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    summary = _summary(db_url, second, run_id)
    assert summary["count"] == 15 and summary["total"] == "€ 3.829,86"  # 3 × € 1.326,62 − € 150,00
    blocking = [w for w in summary["warnings"] if w["blocking"]]
    assert [(w["person_id"], w["code"]) for w in blocking] == [(people[1].id, "leefgeld_below_norm")]
    assert "€ 226,62" in blocking[0]["message"] and not summary["may_approve"]

    with db.session_scope(db_url) as s, pytest.raises(runs.RunError, match="blokkerende"):
        runs.approve_run(s, second, run_id, TODAY)  # the server refuses, whatever the browser sends
    with db.session_scope(db_url) as s:
        assert s.get(PaymentRun, run_id).status == runs.PREPARED

    with db.session_scope(db_url) as s, pytest.raises(FormErrors) as refused:
        runs.exclude_person(s, second, run_id, people[1].id, "   ")
    assert "reden" in refused.value.errors["reason"]
    with db.session_scope(db_url) as s:
        runs.exclude_person(s, second, run_id, people[1].id, "Leefgeld te laag; budgetcoach belt eerst")
    summary = _summary(db_url, second, run_id)
    assert summary["count"] == 10 and summary["total"] == "€ 2.653,24" and summary["may_approve"]
    assert summary["exclusions"][0]["reason"] == "Leefgeld te laag; budgetcoach belt eerst"

    with db.session_scope(db_url) as s:
        run = runs.approve_run(s, second, run_id, TODAY)
        xml = bytes(run.xml)
    ids = etree.fromstring(xml).xpath("//*[local-name()='EndToEndId']/text()")
    assert len(ids) == 10 and not any(i.startswith(f"EP{people[1].id}-") for i in ids)
    with db.session_scope(db_url) as s:
        logged = s.scalars(select(AuditEntry.what).where(AuditEntry.person_id == people[1].id)).all()
        assert any("uit betaalrun" in w and "Leefgeld te laag" in w for w in logged)
        # Their payments are payable again: a correction run for December picks up exactly those 5.
        correction = runs.prepare_run(s, fin, DEC)
        assert correction.correction and correction.payment_count == 5


def test_budget_changed_after_preparing_blocks_until_prepared_again(db_url, setup, chain):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:  # resolved: a € 100,00 supplement lifts leefgeld to € 326,62
        service.save_benefit(s, fin, people[1].id, {"benefit_start": "2026-06-01", "household_kind": "single",
                                                     "supplement": "100,00"}, TODAY)
    codes = {w["code"] for w in _summary(db_url, second, run_id)["warnings"] if w["blocking"]}
    assert codes == {"changed_since_prepared"}  # the run still holds the old leefgeld of € 226,62
    with db.session_scope(db_url) as s, pytest.raises(runs.RunError, match="blokkerende"):
        runs.approve_run(s, second, run_id, TODAY)
    with db.session_scope(db_url) as s:
        runs.cancel_run(s, second, run_id)
        run_id = runs.prepare_run(s, fin, DEC).id
    summary = _summary(db_url, second, run_id)
    assert summary["blocking"] == 0 and summary["total"] == "€ 3.929,86"
    with db.session_scope(db_url) as s:
        assert runs.approve_run(s, second, run_id, TODAY).status == runs.APPROVED


def test_first_month_changed_iban_new_creditor_and_amount_change_are_shown_but_do_not_block(db_url, setup, chain):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, "2026-06").id  # the benefit's first month (from 01-06-2026)
    june = _summary(db_url, second, run_id)
    assert {w["person_id"] for w in june["warnings"] if w["code"] == "first_month"} == {p.id for p in people}
    with db.session_scope(db_url) as s:
        runs.cancel_run(s, second, run_id)
        service.save_benefit(s, fin, people[1].id, {"benefit_start": "2026-06-01", "household_kind": "single",
                                                     "supplement": "100,00"}, TODAY)
        dec = runs.prepare_run(s, fin, DEC).id
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, dec, TODAY)
    with db.session_scope(db_url) as s:
        # Person 0: leefgeld to another IBAN and € 200,00 more (€ 376,62 → € 576,62, +53%).
        service.save_benefit(s, fin, people[0].id, {"benefit_start": "2026-06-01", "household_kind": "single",
                                                     "supplement": "200,00", "leefgeld_iban": "NL02ABNA0123456789"},
                             TODAY)
        # Person 2: a new insurer paid directly, an IBAN never paid before.
        service.add_fixed_cost(s, fin, people[2].id, {
            "category": "other", "label": "Inboedelverzekering", "creditor_name": "Centraal Beheer",
            "creditor_iban": "NL91ABNA0417164300", "amount": "12,50", "day_of_month": "5"}, TODAY)
        service.save_arrangement(s, fin, people[2].id, {"ontzorgen_months": "12", "ontzorgen_reason": "Verlengd",
                                                        "mode_other": "direct"}, TODAY)
        jan = runs.prepare_run(s, fin, JAN).id
    summary = _summary(db_url, second, jan)
    found = {(w["person_id"], w["code"]): w["message"] for w in summary["warnings"]}
    assert "NL20INGB0001234567 → NL02ABNA0123456789" in found[(people[0].id, "changed_iban")]
    assert "€ 576,62" in found[(people[0].id, "amount_change")] and "€ 376,62" in found[(people[0].id, "amount_change")]
    assert "NL91ABNA0417164300" in found[(people[2].id, "new_creditor")]
    assert (people[1].id, "changed_iban") not in found and summary["blocking"] == 0
    with db.session_scope(db_url) as s:
        assert runs.approve_run(s, second, jan, TODAY).status == runs.APPROVED


def test_exclusion_checks_role_municipality_run_and_person_on_the_server(db_url, setup, chain):
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
    for actor in (chain["regisseur"], chain["budgetcoach"], chain["utrecht"]):
        with db.session_scope(db_url) as s, pytest.raises(AccessDenied):
            runs.exclude_person(s, actor, run_id, people[1].id, "reden")
        with db.session_scope(db_url) as s, pytest.raises(AccessDenied):
            runs.approval_summary(s, actor, run_id)
    with db.session_scope(db_url) as s, pytest.raises(runs.RunError, match="geen betalingen"):
        runs.exclude_person(s, second, run_id, 999999, "reden")
    with db.session_scope(db_url) as s, pytest.raises(runs.RunError, match="bestaat niet"):
        runs.exclude_person(s, second, 999999, people[1].id, "reden")
    with db.session_scope(db_url) as s:
        runs.exclude_person(s, second, run_id, people[1].id, "Te laag")
        runs.approve_run(s, second, run_id, TODAY)
    with db.session_scope(db_url) as s, pytest.raises(runs.RunError, match="voorbereide"):
        runs.exclude_person(s, second, run_id, people[0].id, "Te laat")
    with db.session_scope(db_url) as s:
        assert s.get(PaymentRun, run_id).payment_count == 10
        assert s.scalar(select(PaymentRunExclusion.reason)) == "Te laag"


def test_exclusion_and_approval_at_the_same_moment_never_leave_a_stale_file(db_url, setup):
    """Either order may win; whatever wins, the archived file is exactly the run's payments."""
    fin, second, people = setup
    with db.session_scope(db_url) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
        runs.exclude_person(s, second, run_id, people[1].id, "Te laag")

    def approve():
        with db.session_scope(db_url) as s:
            return runs.approve_run(s, second, run_id, TODAY).status

    def exclude():
        with db.session_scope(db_url) as s:
            return runs.exclude_person(s, second, run_id, people[0].id, "Nieuwe huurder").id

    approved, excluded = _all_at_once([approve, exclude])
    with db.session_scope(db_url) as s:
        run = s.get(PaymentRun, run_id)
        in_db = set(s.scalars(select(Payment.end_to_end_id).where(Payment.run_id == run_id)))
        assert len(in_db) == run.payment_count == (5 if isinstance(excluded, int) else 10)
        if run.status == runs.APPROVED:
            assert approved == runs.APPROVED
            assert set(etree.fromstring(bytes(run.xml)).xpath("//*[local-name()='EndToEndId']/text()")) == in_db
        else:
            assert isinstance(approved, runs.RunError) and isinstance(excluded, int)
