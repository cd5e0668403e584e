"""Budget letters come from the budget and the approved runs: the letter shows exactly what was paid."""

from datetime import date
from decimal import Decimal

import pytest
from statushouders.budget import views
from statushouders.letters import archive
from statushouders.letters.sources import NotAvailable

TODAY = date(2026, 11, 23)


def test_payment_overview_letter_shows_what_the_run_paid(session, demo, pay_demo_month):
    users, people = demo
    yonas = people["Yonas"]
    with pytest.raises(NotAvailable):
        archive.prepare(session, users["financien"], yonas.id, "payment_overview", {}, TODAY)
    pay_demo_month("2026-12", TODAY)  # Yonas' leefgeld raised to € 300,00; other below-norm persons out
    context = archive.prepare(session, users["financien"], yonas.id, "payment_overview", {}, TODAY)
    overview = views.payment_overview(session, yonas.id, date(2026, 12, 1))
    assert context.month == date(2026, 12, 1)
    # The furnishing-loan deduction is withheld, not a bill paid: 4 bills (EUR 677.50), 1 deduction (EUR 50.00).
    assert context.paid == overview["paid_total"] == Decimal("677.50")
    assert [(d.kind, d.amount) for d in context.deductions] == [("loan", Decimal("50.00"))]
    assert context.leefgeld == overview["leefgeld"] == context.transferred == Decimal("300.00")
    assert {line.kind for line in context.payments} == {"rent", "energy", "water", "health_insurance"}
    assert context.leefgeld_date == date(2026, 12, 1)  # due 1 December, approved 23 November: 1 December
    record = archive.produce(session, users["financien"], yonas.id, "payment_overview", {"month": "2026-12"}, TODAY)
    assert record.pdf[:4] == b"%PDF"


def test_ontzorgen_decision_and_end_letters_follow_the_arrangement(session, demo):
    users, people = demo
    zarghuna = people["Zarghuna"]
    decision = archive.prepare(session, users["financien"], zarghuna.id, "ontzorgen_decision", {}, TODAY)
    assert decision.start == date(2026, 6, 1) and decision.end == date(2027, 5, 31)
    assert len(decision.costs) == 4 and decision.total == Decimal("1143.00")
    end = archive.prepare(session, users["financien"], zarghuna.id, "ontzorgen_end", {}, TODAY)
    assert [(s.kind, s.from_date) for s in end.steps][:2] == [("energy", date(2027, 3, 1)), ("rent", date(2027, 5, 1))]
    assert "Budgetcoaching Gooi" in end.coach
