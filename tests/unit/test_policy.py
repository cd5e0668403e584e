"""The need-to-know table: each role x field group x with/without consent (or contract) x before/after the move."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from statushouders import policy, register
from statushouders.models import Consent, PartnerLink, Person
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


def _access_data(session, chain):
    """Persons on both sides of every access rule: moves around today, consents, links, two municipalities."""
    orgs, user = chain["orgs"], chain["regisseur"].user_id
    persons = []
    for n, (municipality, move) in enumerate([("Hilversum", None), ("Hilversum", TODAY), ("Hilversum", TODAY - timedelta(days=1)),
                                              ("Utrecht", TODAY + timedelta(days=1)), ("Utrecht", None)]):
        p = Person(given_names=f"P{n}", family_name="Toegang", birth_date=date(1990, 1, 1), country_of_origin="SY",
                   v_number=f"31000000{n:02d}", residence_status="asylum", municipality=municipality, move_date=move,
                   letter_language="ar", literacy="literate", preferred_channel="phone",
                   created_at=datetime(2026, 1, 1, tzinfo=timezone.utc), created_by=user)
        session.add(p)
        persons.append(p)
    session.flush()

    def consent(p, org, purpose, withdrawn=None):
        session.add(Consent(person_id=p.id, organisation_id=orgs[org].id, purpose=purpose, text_version="v1",
                            language="ar", given_on=TODAY, recorded_by=user, withdrawn_at=withdrawn))

    consent(persons[0], "vwn", "maatschappelijke_begeleiding")
    consent(persons[0], "vwn", "maatschappelijke_begeleiding")  # twice: still one person
    consent(persons[1], "vwn", "maatschappelijke_begeleiding", withdrawn=datetime(2026, 11, 1, tzinfo=timezone.utc))
    consent(persons[2], "vwn", "budgetcoaching")  # another partner's purpose
    consent(persons[3], "budgetcoach", "budgetcoaching")
    consent(persons[4], "taalschool", "leerroute")  # a contract partner needs a link, not consent
    for p, org, ended in [(persons[0], "taalschool", None), (persons[1], "taalschool", TODAY),
                          (persons[2], "taalschool", TODAY + timedelta(days=1)), (persons[3], "vwn", None)]:
        session.add(PartnerLink(person_id=p.id, organisation_id=orgs[org].id, since=TODAY - timedelta(days=9),
                                ended_at=ended))
    session.flush()
    return persons


def test_person_ids_and_audiences_keep_exactly_the_persons_of_person_filter(session, chain):
    """The set forms of the rule (for the dashboard) give the same persons as person_filter, every day."""
    _access_data(session, chain)
    unknown = policy.Actor(0, "x", chain["vwn"].organisation_id, "VWN", "vwn", "beheerder", None)
    actors = [a for name, a in chain.items() if name != "orgs"] + [unknown]
    for day in (TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=2)):
        members = session.execute(policy.audiences(None, day)).all()
        for actor in actors:
            expected = set(session.scalars(select(Person.id).where(policy.person_filter(actor, day))))
            assert set(session.scalars(policy.person_ids(actor, day))) == expected, (actor.role, day)
            audience = policy.audience(actor)
            assert {p for p, a in members if a == audience} == expected, (actor.role, day)
    assert len(members) == len(set(members))


def test_access_changed_between_covers_every_change_of_audience(session, chain):
    _access_data(session, chain)
    days = [TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=3)]
    for lo in days:
        for hi in days:
            if lo >= hi:
                continue
            before = set(session.execute(policy.audiences(None, lo)).all())
            after = set(session.execute(policy.audiences(None, hi)).all())
            changed = {p for p, _a in before ^ after}
            assert changed <= set(session.scalars(policy.access_changed_between(lo, hi))), (lo, hi)
            if (lo, hi) == (days[0], days[-1]):
                assert changed  # the data does cross the rules' day boundaries
