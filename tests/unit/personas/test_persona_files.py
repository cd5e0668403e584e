"""Every file in personas/ is a valid persona the real register accepts (adding a file adds its tests)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from statushouders import languages, register
from statushouders.models import Person
from statushouders.personas import checks, schema
from statushouders.validation import Registration, check_registration

FILES = schema.persona_files()
by_file = pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])


def test_there_are_at_least_eight_personas_including_the_five_from_the_domain_brief():
    ids = {p.stem for p in FILES}
    assert len(ids) >= 8
    assert {"yonas", "rania", "zarghuna", "mehmet", "elif", "khaled"} <= ids


def test_all_personas_are_valid_together():
    personas, problems = schema.validate_all()
    assert [str(p) for p in problems] == []
    assert len(personas) == len(FILES)


@by_file
def test_persona_loads_with_its_file_name_as_id(path):
    persona = schema.load(path)
    assert persona.id == path.stem
    assert persona.goals and all(g.own and g.nl for g in persona.goals)


@by_file
def test_registration_form_passes_the_real_validation(path):
    persona = schema.load(path)
    form, household, today = schema.registration_args(persona)
    checked = check_registration(form, household, today)
    assert isinstance(checked, Registration), checked
    assert checked.values["letter_language"] == persona.expected.letter_language
    assert checked.values["integration_duty"] is persona.expected.integration_duty
    here = [m for m in checked.household if not m["abroad"]]
    assert len(here) == len(persona.members_on(today))
    assert len(checked.household) == len(persona.household)  # who arrives later is on the form as abroad


@by_file
def test_persona_registers_in_the_real_register(path, session, chain):
    persona = schema.load(path)
    person = register.register(session, chain["regisseur"], *schema.registration_args(persona))
    stored = session.scalar(select(Person).where(Person.v_number == persona.identity.v_number))
    assert stored.id == person.id
    assert stored.letter_language == persona.expected.letter_language
    assert stored.bsn == (persona.identity.bsn or None)
    assert [m.name for m in stored.household_here] == [m.name for m in persona.members_on(persona.residence.registered_on)]
    assert {m.name for m in stored.household if m.abroad} == {
        m.name for m in persona.household if m.arrives_on and m.arrives_on > persona.residence.registered_on}


@by_file
def test_expected_letter_language_is_what_the_letter_code_normalises_to(path):
    persona = schema.load(path)
    assert languages.normalise(persona.languages.letter) == persona.expected.letter_language
    assert languages.normalise(persona.expected.letter_language) == persona.expected.letter_language


@by_file
def test_expected_levels_follow_the_score_or_carry_a_reason(path):
    """As the plan requires: a level other than the score suggests (1-2 L1, 3 L2, 4-5 L3) needs a reason."""
    persona = schema.load(path)
    for domain, level in persona.expected.guidance.items():
        score = persona.self_reliance[domain]
        suggested = "L1" if score <= 2 else "L2" if score == 3 else "L3"
        assert level == suggested or persona.expected.guidance_reasons.get(domain), (domain, score, level)


@by_file
def test_findings_from_the_file_alone_are_exactly_the_expected_ones(path):
    persona = schema.load(path)
    found = {f.check for f in checks.static_findings(persona)}
    assert found == set(persona.expected.findings) & checks.STATIC_CHECKS


@by_file
def test_no_pip_without_integration_duty(path):
    persona = schema.load(path)
    if persona.residence.status == "temporary_protection":
        assert not persona.expected.pip and persona.expected.route is None
    assert persona.expected.pip == persona.expected.integration_duty


def test_stretch_personas_cover_the_cases_the_issue_names():
    personas = {p.id: p for p in schema.load_all()}
    assert any(p.languages.literacy != "literate" and p.languages.preferred_channel == "letter" for p in personas.values())
    assert any(p.budget and p.budget.household_kind == "single_parent" and any(
        m.relationship == "child" and (p.residence.registered_on - m.birth_date).days < 4 * 365 for m in p.household)
        for p in personas.values())
    assert any(e.kind == "family_arrives" for p in personas.values() for e in p.events)
    assert any(p.residence.status == "family_reunification" for p in personas.values())
    assert any(p.budget and not p.budget.ontzorgen.wanted and p.self_reliance.get("financien", 5) <= 2
               for p in personas.values())
    assert any(p.residence.status == "temporary_protection" for p in personas.values())
    assert personas["mehmet"].shares_household_with == "elif" and personas["elif"].budget is None


def test_yonas_holds_the_facts_of_the_domain_brief():
    yonas = schema.load(schema.PERSONAS_DIR / "yonas.yaml")
    assert yonas.languages.letter_locale == "ti_ER" and yonas.languages.interpreter_needed
    assert yonas.education.years == 6 and yonas.attitude == "reticent"
    assert yonas.self_reliance["financien"] == 1 and yonas.expected.route == "onderwijs"
    assert yonas.budget.household_kind == "youth" and yonas.budget.informal_debts > 0


def test_rania_family_arrives_after_registration_and_is_registered_later():
    rania = schema.load(schema.PERSONAS_DIR / "rania.yaml")
    assert schema.registration_household(rania) == []
    arrival = next(e for e in rania.events if e.kind == "family_arrives")
    assert len(schema.registration_household(rania, arrival.on)) == 3
    assert arrival.data["household_kind"] == "couple" and rania.expected.household_kind == "couple"
    assert not rania.budget.ontzorgen.wanted and rania.attitude == "assertive"


def test_khaled_reaches_pension_age_within_the_term_so_a_b1_route_would_be_flagged():
    khaled = schema.load(schema.PERSONAS_DIR / "khaled.yaml")
    term_start = khaled.residence.registered_on + timedelta(days=checks.BRP_TO_PIP_DAYS)
    assert khaled.expected.route == "z"
    assert checks.b1_route_near_pension(khaled.identity.birth_date, "z", term_start) is None
    assert checks.b1_route_near_pension(khaled.identity.birth_date, "b1", term_start) is not None


def test_zarghuna_cannot_read_and_gets_phone_with_interpreter_in_dari():
    zarghuna = schema.load(schema.PERSONAS_DIR / "zarghuna.yaml")
    assert zarghuna.languages.literacy == "illiterate" and zarghuna.languages.read == ()
    assert zarghuna.languages.preferred_channel == "phone" and zarghuna.languages.interpreter_needed
    assert zarghuna.expected.letter_language == "fa_AF" and zarghuna.expected.route == "z"
    assert zarghuna.budget.ontzorgen.wanted and len(zarghuna.household) == 4


def test_olena_has_no_integration_duty_and_a_pip_for_her_would_be_a_blocking_finding():
    olena = schema.load(schema.PERSONAS_DIR / "olena.yaml")
    assert not olena.residence.integration_duty and not olena.expected.pip
    assert checks.pip_for_temporary_protection(olena.residence.status, has_pip=True).blocking
