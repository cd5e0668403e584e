"""Property over all personas and months: no letter shows a negative amount or a payout date before its date.

Every persona runs through the real chain flow (runner) on a scratch SQLite database. Then, for every
month with an approved payment and for several letter dates (the approval day, the execution day, the
day after, the month's end), the payment overview is either refused with a staff message or it is
consistent: amounts >= 0, leefgeld equal to the transfer, payout date on or after the letter date.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from statushouders import db
from statushouders.budget.norms import month_end
from statushouders.letters import archive
from statushouders.letters.budget_sources import Inconsistent
from statushouders.letters.contexts import money_problems
from statushouders.letters.sources import NotAvailable
from statushouders.models import Payment, PaymentRun
from statushouders.personas import runner, schema

PERSONAS = schema.load_all()


@pytest.fixture(scope="module")
def outcomes():
    """persona id -> (checked letters, refusals, decision letter or refusal)."""
    folder = Path(tempfile.mkdtemp(prefix="money-property-"))
    result, unpaid = {}, {}
    try:
        for persona in PERSONAS:
            url = runner.scratch_url(folder, persona.id)
            with db.session_scope(url) as s:
                flow = runner._Flow(s, persona)
                flow.register(); flow.intake(); flow.budget()
                if persona.budget is None:
                    result[persona.id] = ([], [], None)
                    continue
                start = flow.budget_day.replace(day=1)
                for i in range(6):
                    m = runner.add_months(start, i)
                    flow.payment_run(m, False)
                letters, refused = [], []
                rows = s.execute(select(Payment.month, PaymentRun.approved_at).join(PaymentRun)
                                 .where(Payment.person_id == flow.person.id, PaymentRun.status == "approved")
                                 .distinct()).all()
                for month, _approved in rows:
                    leefgeld = s.scalar(select(Payment.due_date).where(
                        Payment.person_id == flow.person.id, Payment.month == month, Payment.kind == "leefgeld"))
                    days = {month - timedelta(days=5), month, month + timedelta(days=1), month_end(month)}
                    if leefgeld:
                        days |= {leefgeld, leefgeld + timedelta(days=1)}
                    for day in sorted(days):
                        try:
                            letters.append(archive.prepare(s, flow.regisseur, flow.person.id, "payment_overview",
                                                           {"month": f"{month:%Y-%m}", "today": day}, day))
                        except Inconsistent as exc:
                            refused.append(str(exc))
                        except NotAvailable as exc:
                            refused.append(str(exc))
                try:
                    decision = archive.prepare(s, flow.regisseur, flow.person.id, "ontzorgen_decision", {}, flow.budget_day)
                except NotAvailable as exc:
                    decision = str(exc)
                result[persona.id] = (letters, refused, decision)
                unpaid[persona.id] = dict(flow.j.unpaid)
            db.engine_for(url).dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return result, unpaid


@pytest.mark.parametrize("persona", [p.id for p in PERSONAS])
def test_no_letter_has_a_negative_amount_or_a_past_payout_date(persona, outcomes):
    letters, refused, decision = outcomes[0][persona]
    for letter in letters:
        assert money_problems(letter) == []
        assert all(line.amount >= 0 for line in (*letter.payments, *letter.deductions))
        assert letter.benefit >= 0 and letter.leefgeld >= 0 and letter.leefgeld == letter.transferred
        assert letter.leefgeld_date is None or letter.leefgeld_date >= letter.letter_date
    for message in refused:
        assert "Brief niet gemaakt" in message or "NotAvailable" in message
    if not isinstance(decision, str) and decision is not None:
        assert money_problems(decision) == [] and all(c.amount >= 0 for c in decision.costs)


def test_the_property_is_not_empty(outcomes):
    """A check that cannot fail is a defect: letters were made, and late letter dates were refused."""
    made = sum(len(letters) for letters, _, _ in outcomes[0].values())
    late = [m for _, refused, _ in outcomes[0].values() for m in refused if "ligt vóór de briefdatum" in m]
    assert made >= 20 and late


def test_zarghuna_first_month_is_not_paid_below_the_household_norm(outcomes):
    """Prorated August leaves € 47,39 for a mother of four before any allowance arrives: the approver
    cannot approve it, so no payment letter for August exists (never a letter telling her this is fine)."""
    letters, _, decision = outcomes[0]["zarghuna"]
    assert not [ltr for ltr in letters if ltr.month.month == 8]
    assert "€ 47,39" in outcomes[1]["zarghuna"]["2026-08"] and "norm" in outcomes[1]["zarghuna"]["2026-08"]
    # The decision lists per cost until when it is paid directly (24 months, default schedule).
    assert {c.until for c in decision.costs} == {month_end(decision.start.replace(year=decision.start.year + 2)
                                                           - timedelta(days=1))}


def test_khaled_decision_hands_energy_back_before_rent(outcomes):
    _, _, decision = outcomes[0]["khaled"]
    until = {c.kind: (c.until.isoformat(), c.self_from.isoformat()) for c in decision.costs}
    assert until["energy"] == ("2027-06-30", "2027-07-01")
    assert until["water"] == ("2027-06-30", "2027-07-01")
    assert until["rent"] == ("2027-09-30", "2027-10-01")
    assert until["health_insurance"] == ("2027-12-31", "2028-01-01")


@pytest.mark.parametrize("persona", ["rania", "hassan"])
def test_declined_ontzorgen_gets_a_decision_with_the_alternative_and_no_payment_letter(persona, outcomes):
    letters, refused, decision = outcomes[0][persona]
    assert letters == []  # never "Wij hebben 0 rekeningen voor u betaald"
    assert any("geen rekeningen voor deze persoon betaald" in m for m in refused)
    assert decision.declined and decision.costs == ()
    assert decision.alternative == schema.load(f"personas/{persona}.yaml").budget.ontzorgen.reason
    if persona == "rania":  # she has a budget coach: what the coach offers is in the letter
        assert "budgetcoach" in decision.coach.lower() or decision.coach
        assert decision.coach_offer.startswith("Elke maand samen het budget")
    else:
        assert decision.coach == "" and decision.coach_offer == ""
