"""A household member who arrives later (family reunification) is added to the file by the regisseur, audited."""

from datetime import date

import pytest
from sqlalchemy import select

from statushouders import register
from statushouders.models import AuditEntry
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors

TODAY = date(2026, 5, 20)


def test_regisseur_adds_an_arriving_child(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], date(2026, 3, 1))
    register.add_household_member(session, chain["regisseur"], person.id,
                                  {"name": "Lina Haddad", "relationship": "child", "birth_date": "2017-04-11"}, TODAY)
    assert [(m.name, m.relationship_kind) for m in person.household] == [("Lina Haddad", "child")]
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.person_id == person.id and "Lina Haddad" in entry.what


def test_bad_member_is_refused_per_field(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], date(2026, 3, 1))
    with pytest.raises(FormErrors) as refused:
        register.add_household_member(session, chain["regisseur"], person.id,
                                      {"name": "", "relationship": "cousin", "birth_date": "2030-01-01"}, TODAY)
    assert set(refused.value.errors) == {"name", "relationship", "birth_date"}
    assert person.household == []


def test_a_partner_may_not_change_the_household(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], date(2026, 3, 1))
    with pytest.raises(AccessDenied):
        register.add_household_member(session, chain["vwn"], person.id,
                                      {"name": "Omar", "relationship": "partner", "birth_date": "1982-09-20"}, TODAY)
