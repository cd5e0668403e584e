"""Budget letters come from the budget and the approved runs: the letter shows exactly what was paid."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from statushouders import auth, seed
from statushouders.budget import service, runs, views
from statushouders.letters import archive
from statushouders.letters.sources import NotAvailable
from statushouders.models import Person, User

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(session):
    seed.seed(session, TODAY)
    users = {u.username: auth.actor_for(u) for u in session.scalars(select(User))}
    people = {p.given_names: p for p in session.scalars(select(Person))}
    return users, people


def test_payment_overview_letter_shows_what_the_run_paid(session, demo):
    users, people = demo
    yonas = people["Yonas"]
    with pytest.raises(NotAvailable):
        archive.prepare(session, users["financien"], yonas.id, "payment_overview", {}, TODAY)
    # Yonas' € 200,00 leefgeld is below the € 250,00 minimum: a blocking warning at approval. Resolved by a
    # supplement raised from € 600,00 to € 700,00 (leefgeld € 300,00); other personas below the norm are taken
    # out with a reason.
    budget = service.budget_of(session, yonas.id)
    service.save_benefit(session, users["financien"], yonas.id, {
        "benefit_start": budget.benefit_start.isoformat(), "household_kind": budget.households[0].kind,
        "supplement": "700,00", "leefgeld_iban": yonas.iban or ""}, TODAY)
    run = runs.prepare_run(session, users["financien"], "2026-12")
    summary = runs.approval_summary(session, users["financien2"], run.id)
    assert yonas.id not in {w["person_id"] for w in summary["warnings"] if w["blocking"]}
    for person_id in {w["person_id"] for w in summary["warnings"] if w["blocking"]}:
        runs.exclude_person(session, users["financien2"], run.id, person_id, "Leefgeld onder de norm")
    runs.approve_run(session, users["financien2"], run.id, TODAY)
    context = archive.prepare(session, users["financien"], yonas.id, "payment_overview", {}, TODAY)
    overview = views.payment_overview(session, yonas.id, date(2026, 12, 1))
    assert context.month == date(2026, 12, 1)
    assert context.paid == overview["paid_total"] + sum(d["amount"] for d in overview["deductions"])
    assert context.leefgeld == overview["leefgeld"] == Decimal("300.00")
    assert {line.kind for line in context.payments} == {"rent", "energy", "water", "health_insurance", "loan"}
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
