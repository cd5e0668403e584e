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


def test_a_person_under_temporary_protection_gets_a_letter_why_there_is_no_pip(session, demo):
    """Olena (Ukraine, temporary protection, one son): no PIP, and a Dutch + Ukrainian letter that says why
    and what the municipality does offer; the PIP letter refuses and names the letter to make instead."""
    from statushouders import register
    from statushouders.config import ROOT
    from statushouders.personas import schema

    regisseur, people = demo
    olena = register.register(session, regisseur, *schema.registration_args(schema.load(ROOT / "personas/olena.yaml")))
    with pytest.raises(NotAvailable) as refused:
        archive.prepare(session, regisseur, olena.id, "pip_summary", {}, TODAY)
    assert "tijdelijke bescherming en dus geen PIP" in str(refused.value)
    assert "Tijdelijke bescherming: geen PIP, wel hulp" in str(refused.value)

    record = archive.produce(session, regisseur, olena.id, "temporary_protection", {}, TODAY)
    assert record.language == "uk"
    text = squash(pdf_text(record.pdf))
    assert squash("Daarom hoeft u niet in te burgeren. U krijgt dus geen PIP") in text
    assert squash(translated("U heeft tijdelijke bescherming: daarom geen PIP", "uk")) in text
    assert squash(translated("Wij helpen u met school en opvang voor uw kinderen.", "uk")) in text  # her son

    with pytest.raises(NotAvailable) as other:  # a statushouder has an integration duty: not this letter
        archive.prepare(session, regisseur, people["Zarghuna"].id, "temporary_protection", {}, TODAY)
    assert "alleen voor personen met tijdelijke bescherming" in str(other.value)
