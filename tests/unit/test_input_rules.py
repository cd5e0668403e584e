"""Bad input (issue 14, point 9): invisible and control characters, broken text, lengths, ids, date bounds.

The rules live in ``statushouders.validation``; these tests check each rule on its own and then on the
domain functions behind the register form, the plan forms, the PIP and the budget forms.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from statushouders import plans, pip, register, validation
from statushouders.budget import runs, service
from statushouders.models import Person, PlanAction
from statushouders.register import FormErrors
from statushouders.validation import Registration, check_registration

TODAY = date(2026, 11, 22)
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "gnp.exe" shown as "exe.png"
NUL = "\x00"
SURROGATE = "\ud800"  # a lone surrogate, as broken UTF-16 from a client decodes
BAD = (RLO, NUL, SURROGATE)


def says_why(message: str, bad: str) -> bool:
    """The field message names the problem: the invisible character's code point, or broken text."""
    return ("ongeldig teken" in message) if bad == SURROGATE else (f"U+{ord(bad):04X}" in message)


# --- the rules one by one -------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                                  "\u2069", "\u200e", "\u200f", "\u061c"])
def test_every_bidi_control_is_refused_and_named(char):
    message = validation.char_problem(f"invoice{char}gnp.exe", "Wat")
    assert message and f"U+{ord(char):04X}" in message and "leesrichting" in message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_nul_and_other_control_characters_are_refused(char):
    assert "stuurteken" in validation.char_problem(f"a{char}b", "Wat", multiline=True)


def test_newline_and_tab_only_in_multi_line_fields():
    assert validation.char_problem("regel 1\nregel 2\tkolom", "Wat", multiline=True) is None
    assert "één regel" in validation.char_problem("regel 1\nregel 2", "Naam")
    assert "één regel" in validation.char_problem("a\u2028b", "Naam", multiline=True)
    assert validation.check_text(" a\r\nb ", "Wat", multiline=True) == "a\nb"


def test_real_scripts_and_joiners_stay_allowed():
    for text in ("ዮናስ ተስፋይ", "رانيا حداد", "می\u200cخواهم", "Zoë O’Brien-Müller"):  # Persian needs ZWNJ
        assert validation.char_problem(text, "Naam") is None


def test_a_lone_surrogate_gets_a_field_message_not_a_crash():
    assert "ongeldig teken" in validation.char_problem(f"Yonas{SURROGATE}", "Voornamen")


def test_text_longer_than_its_limit_is_refused_with_the_limit():
    with pytest.raises(ValueError, match="maximaal 10 tekens"):
        validation.check_text("x" * 11, "Wat", 10)
    assert validation.check_text("x" * 10, "Wat", 10) == "x" * 10


def test_every_text_field_has_a_limit():
    for key in ("given_names", "what", "own_part", "situation", "goals", "private_notes", "reason", "label",
                "creditor_name", "note", "deduction_label", "blocked_reason", "agreement_note", "intake_location"):
        assert 0 < validation.max_length(key) <= 4000


@pytest.mark.parametrize("raw", ["abc", "1x", "²", "١", "-1", "0", "", None, "1.0", " ", "99999999999", 2**31, True])
def test_ids_that_are_not_plain_positive_numbers_are_none(raw):
    assert validation.parse_id(raw) is None
    assert validation.id_or_zero(raw) == 0


def test_plain_ids_are_parsed():
    assert validation.parse_id("42") == 42 and validation.parse_id(" 7 ") == 7 and validation.parse_id(5) == 5


def test_birth_date_from_1900_up_to_today():
    with pytest.raises(ValueError, match="1900-01-01"):
        validation.check_birth_date(date(1899, 12, 31), "Geboortedatum", TODAY)
    with pytest.raises(ValueError, match="toekomst"):
        validation.check_birth_date(date(2026, 11, 23), "Geboortedatum", TODAY)
    assert validation.check_birth_date(date(1900, 1, 1), "Geboortedatum", TODAY)


def test_the_date_window_is_two_years_each_way_and_configurable(monkeypatch):
    assert validation.date_window(TODAY) == (date(2024, 11, 22), date(2028, 11, 22))
    for day in (date(1800, 1, 1), date(2100, 1, 1), date(2024, 11, 21), date(2028, 11, 23)):
        with pytest.raises(ValueError):
            validation.check_in_window(day, "Verhuisdatum", TODAY)
    monkeypatch.setenv("STATUSHOUDERS_DATES_FUTURE_YEARS", "5")
    assert validation.check_in_window(date(2031, 1, 1), "Verhuisdatum", TODAY)


def test_payment_month_from_twelve_months_back_to_three_ahead():
    assert runs._month("2025-11", TODAY) == date(2025, 11, 1)
    assert runs._month("2027-02", TODAY) == date(2027, 2, 1)
    for raw in ("2025-10", "2027-03", "1800-01", "2100-01", "2026-1x", "２０２６-12"):
        with pytest.raises(runs.RunError):
            runs._month(raw, TODAY)


# --- the register form: every field, nothing else lost ---------------------------------------------

def _errors(form, household=()):
    result = check_registration(form, list(household), TODAY)
    return {} if isinstance(result, Registration) else result


REGISTER_FIELDS = ["given_names", "family_name", "name_own_script", "birth_date", "country_of_origin", "v_number",
                   "bsn", "residence_status", "permit_date", "koppeling_date", "move_date", "municipality", "azc",
                   "address", "spoken_languages", "read_languages", "letter_language", "literacy",
                   "preferred_channel", "phone", "email", "functional_limitations", "iban", "education_years",
                   "education_history", "learning_limitations"]


@pytest.mark.parametrize("bad", [RLO, NUL, SURROGATE], ids=["U+202E", "NUL", "surrogate"])
@pytest.mark.parametrize("key", REGISTER_FIELDS)
def test_every_register_field_refuses_bad_characters_next_to_that_field_only(make_form, key, bad):
    form = make_form(address="Larenseweg 12", email="yonas@example.org", education_history="6 jaar school",
                     learning_limitations="geen", move_date="2026-11-01")
    before = dict(form)
    form[key] = (form.get(key) or "x")[:3] + bad + (form.get(key) or "x")[3:]
    errors = _errors(form)
    assert list(errors) == [key], errors  # the message stands next to that field; the rest of the form is fine
    assert says_why(errors[key], bad), errors[key]
    assert bad not in errors[key]  # the refused text is not echoed back
    assert {k: v for k, v in form.items() if k != key} == {k: v for k, v in before.items() if k != key}


@pytest.mark.parametrize("bad", [RLO, NUL, SURROGATE], ids=["U+202E", "NUL", "surrogate"])
def test_household_member_name_refuses_bad_characters(make_form, bad):
    errors = _errors(make_form(), [{"name": "Li" + bad + "na", "relationship": "child", "birth_date": "2017-04-11"}])
    assert list(errors) == ["household.0.name"] and says_why(errors["household.0.name"], bad)


def test_register_limits_and_birth_dates(make_form):
    assert "maximaal" in _errors(make_form(given_names="A" * 201))["given_names"]
    assert "1900" in _errors(make_form(birth_date="1899-12-31"))["birth_date"]
    assert "1900" in _errors(make_form(), [{"name": "Opa", "relationship": "parent",
                                            "birth_date": "1800-01-01"}])["household.0.birth_date"]
    assert "te ver in de toekomst" in _errors(make_form(move_date="2100-01-01"))["move_date"]
    assert "te ver in het verleden" in _errors(make_form(permit_date="1800-01-01"))["permit_date"]
    assert "tussen 0 en 30" in _errors(make_form(education_years="²"))["education_years"]
    assert _errors(make_form(education_history="2010-2016 school\n2017 werk")) == {}  # long texts keep their lines
    assert "één regel" in _errors(make_form(azc="AZC\nAmersfoort"))["azc"]


def test_a_refused_registration_saves_nothing(session, chain, make_form):
    with pytest.raises(FormErrors) as refused:
        register.register(session, chain["regisseur"], make_form(family_name="Tesfay" + RLO), [], TODAY)
    assert list(refused.value.errors) == ["family_name"] and says_why(refused.value.errors["family_name"], RLO)
    assert session.scalar(select(func.count(Person.id))) == 0


def test_move_date_and_milestones_within_bounds(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    for raw in ("2100-01-01", "1800-01-01", "2026-11-2" + SURROGATE):
        with pytest.raises(FormErrors) as refused:
            register.set_move_date(session, chain["regisseur"], person.id, raw, TODAY)
        assert "move_date" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        register.set_milestone(session, chain["regisseur"], person.id, "housing_offer_date", "1800-01-01", TODAY)
    assert "housing_offer_date" in refused.value.errors


def test_search_with_bad_characters_is_a_field_message(session, chain):
    for bad in (RLO, NUL, SURROGATE):
        with pytest.raises(FormErrors) as refused:
            register.list_persons(session, chain["regisseur"], TODAY, search="Tes" + bad)
        assert "search" in refused.value.errors


# --- the plan forms ----------------------------------------------------------------------------------

@pytest.fixture
def planned(session, chain, make_form):
    actor = chain["regisseur"]
    person = register.register(session, actor, make_form(), [], TODAY)
    plans.schedule_intake(session, actor, person.id, f"{TODAY.isoformat()}T10:00", "Stadhuis", TODAY,
                          reason="op verzoek van de persoon")  # TODAY is a Sunday
    register.link_partner(session, actor, person.id, chain["orgs"]["taalschool"].id, TODAY)
    plans.invite(session, actor, person.id, chain["orgs"]["taalschool"].id, TODAY)
    plans.set_presence(session, actor, person.id, chain["orgs"]["taalschool"].id, True, TODAY)
    plans.save_intake_details(session, actor, person.id, {"interpreter_present": "on", "interpreter_language": "tir"},
                              TODAY)
    plans.mark_intake_held(session, actor, person.id, TODAY)  # the PIP and the agreement come after the intake
    return person


def _action_form(chain, **overrides):
    form = {"domain": "financien", "what": "Bankrekening openen", "kind": "begeleid",
            "owner_id": str(chain["orgs"]["gemeente"].id), "own_part": "Paspoort meenemen",
            "due_date": "2026-12-15", "status": "open", "blocked_reason": "", "milestone": ""}
    form.update(overrides)
    return form


ACTION_FIELDS = ["what", "own_part", "blocked_reason", "domain", "kind", "owner_id", "due_date", "status"]


@pytest.mark.parametrize("key", ACTION_FIELDS)
def test_every_action_field_refuses_bad_characters_next_to_that_field_only(session, chain, planned, key):
    for bad in BAD:
        form = _action_form(chain)
        form[key] = (form[key] or "x")[:2] + bad + (form[key] or "x")[2:]
        with pytest.raises(FormErrors) as refused:
            plans.add_action(session, chain["regisseur"], planned.id, form, TODAY)
        assert list(refused.value.errors) == [key] and says_why(refused.value.errors[key], bad)
    assert session.scalar(select(func.count(PlanAction.id))) == 0


ASSESSMENT_FIELDS = ["relevance", "situation", "goals", "level_reason", "domain", "score", "level"]


@pytest.mark.parametrize("key", ASSESSMENT_FIELDS)
def test_every_domain_field_refuses_bad_characters(session, chain, planned, key):
    for bad in BAD:
        form = {"domain": "financien", "score": "2", "level": "L1", "relevance": "besproken",
                "situation": "Geen rekening", "goals": "Zelf betalen", "level_reason": "x"}
        form[key] = form[key][:1] + bad + form[key][1:]
        with pytest.raises(FormErrors) as refused:
            plans.save_assessment(session, chain["regisseur"], planned.id, form, TODAY)
        assert list(refused.value.errors) == [key] and says_why(refused.value.errors[key], bad)


@pytest.mark.parametrize("bad", [RLO, NUL, SURROGATE], ids=["U+202E", "NUL", "surrogate"])
def test_single_plan_texts_refuse_bad_characters(session, chain, planned, bad):
    actor = chain["regisseur"]
    with pytest.raises(FormErrors) as refused:
        plans.save_private(session, actor, planned.id, "notitie" + bad, True, TODAY)
    assert "private_notes" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        plans.schedule_intake(session, actor, planned.id, f"{TODAY.isoformat()}T10:00", "Stad" + bad + "huis", TODAY,
                              reason="op verzoek")
    assert "intake_location" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        plans.save_intake_details(session, actor, planned.id,
                                  {"interpreter_present": "on", "interpreter_language": "ti" + bad}, TODAY)
    assert list(refused.value.errors) == ["interpreter_language"]
    action = plans.add_action(session, actor, planned.id, _action_form(chain), TODAY)
    with pytest.raises(FormErrors) as refused:
        plans.set_status(session, actor, action.id, action.version, "geblokkeerd", "wacht" + bad, TODAY)
    assert "blocked_reason" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        plans.agree(session, actor, planned.id, "teach-back" + bad, TODAY)
    assert "agree" in refused.value.errors


def test_plan_dates_and_texts_within_bounds(session, chain, planned):
    actor = chain["regisseur"]
    for raw in ("2100-01-01", "1800-01-01"):
        with pytest.raises(FormErrors) as refused:
            plans.add_action(session, actor, planned.id, _action_form(chain, due_date=raw), TODAY)
        assert list(refused.value.errors) == ["due_date"]
    with pytest.raises(FormErrors) as refused:
        plans.schedule_intake(session, actor, planned.id, "2100-01-01T10:00", "Stadhuis", TODAY)
    assert "intake_at" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        plans.save_intake_details(session, actor, planned.id, {"brp_date": "1800-01-01"}, TODAY)
    assert "brp_date" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        plans.add_action(session, actor, planned.id, _action_form(chain, what="x" * 2001), TODAY)
    assert "maximaal 2000" in refused.value.errors["what"]
    action = plans.add_action(session, actor, planned.id,  # the other side: lines and a full-length text stay
                              _action_form(chain, what="Bankrekening openen\n- paspoort\n" + "x" * 1960), TODAY)
    assert action.what.startswith("Bankrekening openen\n- paspoort\n")
    with pytest.raises(FormErrors) as refused:  # an unknown interpreter language was an uncaught ValueError
        plans.save_intake_details(session, actor, planned.id,
                                  {"interpreter_present": "on", "interpreter_language": "xx"}, TODAY)
    assert "interpreter_language" in refused.value.errors


@pytest.mark.parametrize("owner", ["abc", "1x", "²"])
def test_a_non_numeric_owner_or_worker_is_a_field_message(session, chain, planned, owner):
    with pytest.raises(FormErrors) as refused:
        plans.add_action(session, chain["regisseur"], planned.id, _action_form(chain, owner_id=owner), TODAY)
    assert "owner_id" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        plans.add_action(session, chain["regisseur"], planned.id, _action_form(chain, worker_id=owner), TODAY)
    assert "worker_id" in refused.value.errors


# --- PIP and budget ----------------------------------------------------------------------------------

FIRST_PIP = {"route": "b1", "language_level": "B1", "duration_months": "30", "preconditions": "kinderopvang",
             "guidance": "VWN", "map_intensity": "40 uur", "pvt_intensity": "standaard", "ontzorgen": "huur",
             "ontzorgen_months": "6", "monitoring": "elke 3 maanden", "vve": "nee"}


@pytest.mark.parametrize("key", [*pip.TEXT_FIELDS, "duration_months", "linked_person_id"])
def test_every_pip_field_refuses_bad_characters(session, chain, planned, key):
    for bad in BAD:
        form = {**FIRST_PIP, "linked_person_id": ""}
        value = form[key] or "99"
        form[key] = value[:1] + bad + value[1:]
        with pytest.raises(FormErrors) as refused:
            pip.decide_pip(session, chain["regisseur"], planned.id, form, TODAY)
        assert list(refused.value.errors) == [key] and says_why(refused.value.errors[key], bad)


def test_pip_numbers_in_other_digits_are_refused_not_crashed(session, chain, planned):
    with pytest.raises(FormErrors) as refused:
        pip.decide_pip(session, chain["regisseur"], planned.id, {**FIRST_PIP, "duration_months": "³"}, TODAY)
    assert "duration_months" in refused.value.errors


@pytest.fixture
def budget_person(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    service.save_benefit(session, chain["financien"], person.id,
                         {"benefit_start": "2026-06-01", "household_kind": "single"}, TODAY)
    return person


COST = {"category": "rent", "label": "Huur", "creditor_name": "Dudok Wonen", "creditor_iban": "NL63TRIO0212345678",
        "amount": "650,00", "day_of_month": "1", "reference": "huur november"}


@pytest.mark.parametrize("key", list(COST))
def test_every_fixed_cost_field_refuses_bad_characters(session, chain, budget_person, key):
    for bad in BAD:
        form = dict(COST)
        form[key] = form[key][:1] + bad + form[key][1:]
        with pytest.raises(FormErrors) as refused:
            service.add_fixed_cost(session, chain["financien"], budget_person.id, form, TODAY)
        assert list(refused.value.errors) == [key] and says_why(refused.value.errors[key], bad)


def test_budget_labels_notes_and_dates_are_checked(session, chain, budget_person):
    fin = chain["financien"]
    with pytest.raises(FormErrors) as refused:
        service.add_fixed_cost(session, fin, budget_person.id, {**COST, "label": "H" * 101}, TODAY)
    assert "maximaal 100" in refused.value.errors["label"]  # was cut off silently
    with pytest.raises(FormErrors) as refused:
        service.add_deduction(session, fin, budget_person.id,
                              {"deduction_label": "krediet" + RLO, "deduction_amount": "20"}, TODAY)
    assert list(refused.value.errors) == ["deduction_label"]
    with pytest.raises(FormErrors) as refused:
        service.add_allowance(session, fin, budget_person.id, {"allowance_kind": "huurtoeslag",
                                                                "allowance_amount": "300",
                                                                "allowance_expected": "2100-01-01"}, TODAY)
    assert "allowance_expected" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        service.add_household_change(session, fin, budget_person.id,
                                     {"change_from": "2100-01-01", "change_kind": "couple"}, TODAY)
    assert "change_from" in refused.value.errors
    with pytest.raises(FormErrors) as refused:
        service.save_arrangement(session, fin, budget_person.id,
                                 {"ontzorgen_months": "6", "ontzorgen_reason": "maatwerk" + NUL}, TODAY)
    assert list(refused.value.errors) == ["ontzorgen_reason"]


def test_letter_options_follow_the_same_rules(session, chain, make_form):
    from statushouders.letters import sources

    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    for bad in BAD:
        with pytest.raises(sources.OptionErrors) as refused:
            sources.build(session, chain["regisseur"], "intake_invitation", person.id,
                          {"date": "2026-12-03", "time": "10:00", "place": "Stad" + bad + "huis"})
        assert list(refused.value.errors) == ["place"] and says_why(refused.value.errors["place"], bad)
    with pytest.raises(sources.OptionErrors) as refused:  # "²".isdigit() is true, int("²") crashed
        sources.build(session, chain["regisseur"], "school_enrolment", person.id,
                      {"date": "2026-12-03", "time": "10:00", "weekdays": "ma", "hours": "²"})
    assert list(refused.value.errors) == ["hours"]
