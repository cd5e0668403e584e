"""The need-to-know table: each role x field group x with/without consent (or contract) x before/after the move."""

from datetime import date, timedelta

import pytest

from statushouders import policy, register
from statushouders.policy import AccessDenied, Relation

TODAY = date(2026, 11, 22)
ALL = set(policy.FIELD_GROUPS)
# role -> (organisation kind, role, groups seen once the file may be opened)
EXPECTED = {
    "regisseur": ("gemeente", "regisseur", ALL),
    "financien": ("gemeente", "financien", {"identity", "bsn", "contact", "finances", "family"}),
    "coordinator": ("gemeente", "coordinator", {"identity", "learning"}),
    "privacy": ("gemeente", "privacy", {"identity"}),
    "coa": ("coa", "medewerker", {"identity", "bsn", "contact", "health", "learning", "family"}),
    "vwn": ("vwn", "begeleider", {"identity", "contact", "health", "family"}),
    "taalschool": ("taalschool", "docent", {"identity", "contact", "learning"}),
    "budgetcoach": ("budgetcoach", "coach", {"identity", "contact", "finances"}),
}


def may_open_expected(kind: str, basis_present: bool, moved: bool) -> bool:
    """The rule in words: gemeente always (own municipality), COA until the move, others only with consent or contract."""
    if kind == "gemeente":
        return True
    if kind == "coa":
        return not moved
    return basis_present


CASES = [
    (role, group, basis, moved)
    for role in EXPECTED
    for group in policy.FIELD_GROUPS
    for basis in (True, False)
    for moved in (False, True)
]


@pytest.mark.parametrize("role,group,basis,moved", CASES)
def test_policy_table(role, group, basis, moved):
    kind, role_name, groups = EXPECTED[role]
    relation = Relation(
        same_municipality=True,
        moved_on=TODAY - timedelta(days=1) if moved else TODAY + timedelta(days=30),
        linked=basis,
        consent=basis,
    )
    seen = group in policy.decide(kind, role_name, relation, TODAY)
    assert seen == (group in groups and may_open_expected(kind, basis, moved))


def test_health_and_finances_never_reach_the_language_school():
    relation = Relation(linked=True, consent=True)
    seen = policy.decide("taalschool", "docent", relation, TODAY)
    assert "health" not in seen and "finances" not in seen and "learning" in seen


def test_budget_coach_sees_money_but_nothing_medical():
    seen = policy.decide("budgetcoach", "coach", Relation(consent=True), TODAY)
    assert "finances" in seen and "health" not in seen and "bsn" not in seen


def test_coa_keeps_access_on_the_move_date_and_loses_it_the_day_after():
    assert policy.may_open("coa", Relation(moved_on=TODAY), TODAY)
    assert not policy.may_open("coa", Relation(moved_on=TODAY - timedelta(days=1)), TODAY)


def test_another_municipality_sees_nothing():
    assert policy.decide("gemeente", "regisseur", Relation(same_municipality=False), TODAY) == frozenset()


def test_unknown_role_sees_nothing():
    assert policy.decide("gemeente", "stagiair", Relation(same_municipality=True), TODAY) == frozenset()


def _register(session, chain, make_form, v_number, moved):
    form = make_form(v_number=v_number, bsn="", family_name="Persoon" + "abcd"[int(v_number[-1])])
    if moved:
        form["move_date"] = (TODAY - timedelta(days=1)).isoformat()
    return register.register(session, chain["regisseur"], form, [], TODAY)


def test_database_queries_follow_the_same_table(session, chain, make_form):
    """Every role opens exactly the files and groups the table gives, through the real queries."""
    orgs = chain["orgs"]
    persons = {}
    for index, (basis, moved) in enumerate([(True, False), (True, True), (False, False), (False, True)]):
        person = _register(session, chain, make_form, f"21000000{index:02d}", moved)
        if basis:
            register.link_partner(session, chain["regisseur"], person.id, orgs["taalschool"].id, TODAY)
            for org in ("vwn", "budgetcoach"):
                register.record_consent(session, chain["regisseur"], person.id, orgs[org].id, "ti_ER", True, TODAY)
        persons[(basis, moved)] = person
    for role, (kind, _role, groups) in EXPECTED.items():
        actor = chain[role]
        listed = {row.person_id for row in register.list_persons(session, actor, TODAY, page_size=100)[0]}
        for (basis, moved), person in persons.items():
            allowed = may_open_expected(kind, basis, moved)
            assert (person.id in listed) == allowed, (role, basis, moved)
            if allowed:
                shown = register.open_file(session, actor, person.id, TODAY)
                assert {k for k in shown.groups} | ({"family"} if "family" in groups else set()) == groups
            else:
                with pytest.raises(AccessDenied):
                    register.open_file(session, actor, person.id, TODAY)


def test_other_municipality_cannot_open_or_list(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    assert register.list_persons(session, chain["utrecht"], TODAY)[1] == 0
    with pytest.raises(AccessDenied):
        register.open_file(session, chain["utrecht"], person.id, TODAY)


def test_withdrawn_consent_takes_effect_at_once(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    consent = register.record_consent(session, chain["regisseur"], person.id, chain["orgs"]["vwn"].id, "ti_ER", True, TODAY)
    assert register.open_file(session, chain["vwn"], person.id, TODAY).person_id == person.id
    register.withdraw_consent(session, chain["regisseur"], consent.id, TODAY)
    with pytest.raises(AccessDenied):
        register.open_file(session, chain["vwn"], person.id, TODAY)


def test_consent_is_per_partner(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    register.record_consent(session, chain["regisseur"], person.id, chain["orgs"]["vwn"].id, "ti_ER", False, TODAY)
    with pytest.raises(AccessDenied):
        register.open_file(session, chain["budgetcoach"], person.id, TODAY)


def test_only_the_regisseur_registers_and_records_consent(session, chain, make_form):
    with pytest.raises(AccessDenied):
        register.register(session, chain["taalschool"], make_form(), [], TODAY)
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    with pytest.raises(AccessDenied):
        register.record_consent(session, chain["financien"], person.id, chain["orgs"]["vwn"].id, "nl", False, TODAY)
