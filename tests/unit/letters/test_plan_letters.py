"""Plan and PIP letters come from the real plan: what the partners agreed is what the person reads."""

from datetime import date

import pytest
from sqlalchemy import select

from statushouders import auth, plans, seed
from statushouders.letters import archive, plan_sources
from statushouders.letters.sources import NotAvailable
from statushouders.models import Person, User

from .helpers import pdf_text, squash, translated

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(session):
    seed.seed(session, TODAY)
    regisseur = auth.actor_for(session.scalars(select(User).where(User.username == "regisseur")).one())
    people = {p.given_names: p for p in session.scalars(select(Person))}
    return regisseur, people


def test_plan_summary_letter_lists_the_agreed_actions_in_dutch_and_dari(session, demo):
    regisseur, people = demo
    zarghuna = people["Zarghuna"]
    open_lines = [line for line in plans.plan_summary(session, zarghuna.id) if line.status != "Klaar"]
    record = archive.produce(session, regisseur, zarghuna.id, "plan_summary", {}, TODAY)
    assert record.language == "fa_AF"
    text = squash(pdf_text(record.pdf))
    assert squash("Uw plan: wie doet wat?") in text
    assert squash(translated("Uw plan: wie doet wat?", "fa_AF")) in text
    first = min((line for line in open_lines if line.own_part and line.due_date), key=lambda line: line.due_date)
    # the person reads their own part (with who helps), not the staff wording of the action
    assert squash(first.own_part) in text and squash(first.owner) in text
    assert squash(first.what) not in text


def test_own_parts_become_lines_for_the_person(session, demo):
    _regisseur, people = demo
    actions = plan_sources.plan_actions(session, people["Zarghuna"].id)
    assert any(a.by_person for a in actions) and any(not a.by_person for a in actions)


def test_pip_letter_carries_the_route_and_objection_term(session, demo):
    regisseur, people = demo
    context = archive.prepare(session, regisseur, people["Zarghuna"].id, "pip_summary", {}, TODAY)
    assert context.route == "z"
    assert context.objection_before == context.decision_date + plan_sources.OBJECTION_TERM


def test_no_plan_yet_says_so_instead_of_an_empty_letter(session, demo):
    regisseur, people = demo
    with pytest.raises(NotAvailable):
        archive.prepare(session, regisseur, people["Yonas"].id, "plan_summary", {}, TODAY)
    with pytest.raises(NotAvailable):
        archive.prepare(session, regisseur, people["Yonas"].id, "pip_summary", {}, TODAY)
