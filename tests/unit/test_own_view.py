"""The statushouder's own view: sign-in codes, contacts, consent withdrawal and who looked at the file."""

from datetime import date, datetime, timedelta, timezone

import pytest

from statushouders import own_access, own_view, register
from statushouders.models import Organisation
from statushouders.own_access import SignInFailed
from statushouders.policy import AccessDenied

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def person(session, chain, make_form):
    return register.register(session, chain["regisseur"], make_form(), [], TODAY)


def _org(session, kind):
    return session.query(Organisation).filter_by(kind=kind).first()


def test_code_from_the_gemeente_opens_the_own_view_once(session, chain, person):
    code, expires = own_access.issue_code(session, chain["regisseur"], person.id, NOW)
    assert expires == NOW + timedelta(hours=72)
    token, person_id = own_access.sign_in(session, code.lower().replace("-", " "), NOW)
    assert person_id == person.id
    assert own_access.resolve(session, token, NOW + timedelta(minutes=30)).id == person.id
    with pytest.raises(SignInFailed):
        own_access.sign_in(session, code, NOW)  # one time only


def test_expired_revoked_or_unknown_codes_do_not_open_anything(session, chain, person):
    old, _ = own_access.issue_code(session, chain["regisseur"], person.id, NOW)
    new, _ = own_access.issue_code(session, chain["regisseur"], person.id, NOW)
    with pytest.raises(SignInFailed):
        own_access.sign_in(session, old, NOW)  # re-issuing revokes the earlier code
    with pytest.raises(SignInFailed):
        own_access.sign_in(session, new, NOW + timedelta(hours=73))
    with pytest.raises(SignInFailed):
        own_access.sign_in(session, "AAAAA-BBBBB", NOW)


def test_own_session_expires_and_ends_at_sign_out(session, chain, person):
    code, _ = own_access.issue_code(session, chain["regisseur"], person.id, NOW)
    token, _ = own_access.sign_in(session, code, NOW)
    assert own_access.resolve(session, token, NOW + timedelta(minutes=61)) is None
    own_access.sign_out(session, token, NOW)
    assert own_access.resolve(session, token, NOW) is None
    assert own_access.resolve(session, "", NOW) is None


@pytest.mark.parametrize("role", ["financien", "taalschool", "vwn", "coa", "utrecht"])
def test_only_the_own_gemeente_regisseur_issues_codes(session, chain, person, role):
    with pytest.raises(AccessDenied):
        own_access.issue_code(session, chain[role], person.id, NOW)


def test_person_session_gives_no_staff_access(session, person):
    from statushouders import policy

    actor = own_access.person_actor(person)
    assert policy.visible_groups(actor, person, session, TODAY) == frozenset()


def test_contacts_are_the_partners_working_with_the_person(session, chain, person):
    register.link_partner(session, chain["regisseur"], person.id, _org(session, "taalschool").id, TODAY)
    register.record_consent(session, chain["regisseur"], person.id, _org(session, "vwn").id, "ti_ER", True, TODAY)
    kinds = {c.kind for c in own_view.contacts(session, person, TODAY)}
    assert kinds == {"Gemeente", "COA (opvang)", "Taalschool", "VluchtelingenWerk"}
    register.set_move_date(session, chain["regisseur"], person.id, "2026-11-01", TODAY)
    session.refresh(person)
    kinds = {c.kind for c in own_view.contacts(session, person, TODAY)}
    assert "COA (opvang)" not in kinds and "Budgetcoach" not in kinds


def test_person_withdraws_consent_and_the_partner_loses_access_at_once(session, chain, person):
    consent = register.record_consent(session, chain["regisseur"], person.id, _org(session, "vwn").id, "ti_ER", True, TODAY)
    assert register.open_file(session, chain["vwn"], person.id, TODAY)
    lines = own_view.active_consents(session, person)
    assert [(line.organisation, line.purpose) for line in lines] == [(_org(session, "vwn").name, "Maatschappelijke begeleiding")]
    own_view.withdraw_consent(session, person, consent.id, NOW)
    assert own_view.active_consents(session, person) == []
    with pytest.raises(AccessDenied):
        register.open_file(session, chain["vwn"], person.id, TODAY)


def test_person_cannot_withdraw_someone_elses_consent(session, chain, person, make_form):
    other = register.register(session, chain["regisseur"], make_form(
        given_names="Rania", family_name="Haddad", v_number="2200000002", bsn="", birth_date="1988-02-03"), [], TODAY)
    consent = register.record_consent(session, chain["regisseur"], other.id, _org(session, "vwn").id, "ar", False, TODAY)
    with pytest.raises(AccessDenied):
        own_view.withdraw_consent(session, person, consent.id, NOW)


def test_who_looked_lists_staff_reads_per_day_not_the_person_themselves(session, chain, person):
    register.open_file(session, chain["regisseur"], person.id, TODAY)
    register.open_file(session, chain["regisseur"], person.id, TODAY)
    lines = own_view.who_looked(session, person)
    assert lines and all(line.organisation != "Statushouder zelf" for line in lines)
    regisseur_lines = [line for line in lines if line.role == "Klantmanager van de gemeente"]
    assert regisseur_lines[0].times >= 2
    # the person's own look is logged, but not shown back as "someone looked"
    assert all(line.role != "statushouder" for line in own_view.who_looked(session, person))


def test_own_view_shows_the_agreed_plan_and_not_a_draft(session):
    from statushouders import seed
    from statushouders.models import Person

    seed.seed(session, TODAY)
    people = {p.given_names: p for p in session.query(Person)}
    items = own_view.plan_items(session, people["Zarghuna"], "fa_AF")
    assert items and {"domain", "what", "owner", "own_part", "due", "status"} <= items[0].keys()
    assert items[0]["domain"] in own_view.DOMAIN_WORDS.values()
    assert own_view.plan_items(session, people["Yonas"], "ti_ER") == []  # intake not held yet
    assert own_view.appointments(session, people["Yonas"], "ti_ER", NOW)[0]["kind"] == "Gezamenlijke intake"


def test_own_money_shows_benefit_costs_paid_directly_and_leefgeld(session):
    from statushouders import seed
    from statushouders.models import Person

    seed.seed(session, TODAY)
    people = {p.given_names: p for p in session.query(Person)}
    lines, _next = own_view.money(session, people["Zarghuna"], "nl", TODAY)
    labels = [line["label"] for line in lines]
    assert labels[0] == "Uitkering" and labels[-1] == "Leefgeld: voor uzelf" and "Huur" in labels
    assert all(line["amount"].startswith("− ") for line in lines[1:-1])
    rania, _ = own_view.money(session, people["Rania"], "ar", TODAY)  # coaching: she pays her own bills
    assert [line["label"] for line in rania] == ["Uitkering", "Leefgeld: voor uzelf"]
