"""The staff UI's words are Babel messages: Dutch by default, English when the deployment asks for it."""

from datetime import date

import pytest

from statushouders import catalogs, plans, register
from statushouders.budget import checks
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors
from statushouders.ui import i18n


def test_dutch_is_the_default(monkeypatch):
    monkeypatch.delenv("STATUSHOUDERS_UI_LANGUAGE", raising=False)
    assert i18n._("Uitloggen") == "Uitloggen"


def test_english_deployment_gets_english_words(monkeypatch):
    catalogs.compile_all()
    catalogs.staff_translations.cache_clear()
    monkeypatch.setenv("STATUSHOUDERS_UI_LANGUAGE", "en")
    assert i18n._("Uitloggen") == "Log out"
    assert i18n._("Nieuwe statushouder") != "Nieuwe statushouder"


def test_every_staff_message_has_an_english_translation():
    done, total = catalogs.completeness(catalogs.STAFF, "en")
    assert total > 300 and done == total


def test_field_group_labels_from_the_access_rules_are_translated_too(monkeypatch):
    from statushouders import policy

    catalogs.compile_all()
    catalogs.staff_translations.cache_clear()
    monkeypatch.setenv("STATUSHOUDERS_UI_LANGUAGE", "en")
    assert [i18n._(policy.GROUP_LABELS[g]) for g in (policy.IDENTITY, policy.HEALTH)] == [
        "Identity", "Health and functional limitations"]


# --- messages of the domain modules: translated when produced, in the deployment's UI language -----------

TODAY = date(2026, 11, 22)


@pytest.fixture(params=["nl", "en"])
def language(request, monkeypatch):
    catalogs.compile_all()
    catalogs.staff_translations.cache_clear()
    monkeypatch.setenv("STATUSHOUDERS_UI_LANGUAGE", request.param)
    return request.param


def test_register_validation_speaks_the_ui_language(session, chain, make_form, language):
    with pytest.raises(FormErrors) as refused:
        register.register(session, chain["regisseur"], make_form(permit_date="2027-01-05"), [], TODAY)
    assert refused.value.errors["permit_date"] == {
        "nl": "Datum vergunning ligt in de toekomst (2027-01-05); vul een datum tot en met vandaag in.",
        "en": "Permit date is in the future (2027-01-05); enter a date up to and including today.",
    }[language]


def test_access_refusal_names_the_role_in_the_ui_language(session, chain, make_form, language):
    with pytest.raises(AccessDenied) as refused:
        register.register(session, chain["coa"], make_form(), [], TODAY)
    assert str(refused.value) == {
        "nl": "U mag als COA-medewerker (COA) niet personen registreren.",
        "en": "As COA staff member (COA) you may not register persons.",
    }[language]


def test_budget_checks_speak_the_ui_language(language):
    checked = checks.check_fixed_cost({"category": "rent", "creditor_name": "Dudok Wonen",
                                       "creditor_iban": "NL63 TRIO 0212 3456 78", "amount": "-650",
                                       "reference": "", "day_of_month": "1"})
    assert checked.errors["amount"] == {"nl": "Bedrag kan niet negatief zijn.", "en": "Amount cannot be negative."}[language]


def test_plan_refusals_speak_the_ui_language(session, chain, make_form, language):
    actor = chain["regisseur"]
    person = register.register(session, actor, make_form(), [], TODAY)
    plans.schedule_intake(session, actor, person.id, "2026-11-23T10:00", "", TODAY)
    with pytest.raises(FormErrors) as refused:
        plans.save_assessment(session, actor, person.id,
                              {"domain": "werk", "score": "4", "level": "L1", "relevance": "doel"}, TODAY)
    assert refused.value.errors["level_reason"] == {
        "nl": "Bij score 4 past L3 informatie; u kiest L1 intensief. Leg uit waarom.",
        "en": "Score 4 suggests L3 information; you chose L1 intensive. Explain why.",
    }[language]
