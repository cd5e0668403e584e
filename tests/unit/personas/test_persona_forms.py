"""A persona's intake and budget answers in the shape staff forms take them (for the flow runner)."""

from __future__ import annotations

import pytest

from statushouders.personas import forms, schema

FILES = schema.persona_files()


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_scored_domain_becomes_an_assessment_with_a_relevance(path):
    persona = schema.load(path)
    assessments = forms.assessment_forms(persona)
    assert [a["domain"] for a in assessments] == list(persona.self_reliance)
    assert all(a["relevance"] and a["score"].isdigit() for a in assessments)
    if persona.budget:
        money = forms.budget_forms(persona)
        assert len(money["costs"]) == len(persona.budget.fixed_costs)
        assert all("," in c["amount"] for c in money["costs"])


def test_yonas_intake_answers_come_from_his_file():
    yonas = schema.load(schema.PERSONAS_DIR / "yonas.yaml")
    details = forms.intake_details_form(yonas)
    assert details == {"interpreter_present": "on", "interpreter_language": "tir", "brp_date": "2026-02-16",
                       "family_reunification": "", "diplomas": "none",
                       "occupation": "Hielp twee jaar in een garage van een oom (banden, olie verversen)",
                       "goal": "study", "health_shared": "on",  # goal: car mechanic (an MBO course)
                       "learnability_score": "24"}
    finance = next(a for a in forms.assessment_forms(yonas) if a["domain"] == "financien")
    assert finance["score"] == "1" and finance["level"] == "L1"
    assert finance["relevance"].startswith("Jongerennorm") and "Brieven over geld" in finance["situation"]
    assert finance["goals"].startswith("Ik wil mijn familie helpen. (")


def test_yonas_budget_forms_use_dutch_amounts_and_direct_payment():
    money = forms.budget_forms(schema.load(schema.PERSONAS_DIR / "yonas.yaml"))
    assert money["benefit"] == {"benefit_start": "2026-07-01", "household_kind": "youth", "supplement": "600,00"}
    assert money["costs"][0] == {"category": "rent", "creditor_name": "Dudok Wonen", "creditor_iban": "NL63TRIO0212345678",
                                 "amount": "450,00", "day_of_month": "1", "reference": "5700000000000001", "label": ""}
    assert money["arrangement"]["mode_rent"] == "direct" and money["arrangement"]["hand_back_energy"] == "2027-07"
    assert money["deductions"] == [{"deduction_label": "Aflossing inrichtingskrediet", "deduction_amount": "50,00",
                                    "deduction_months": "36"}]
    assert money["coach"] is True


def test_rania_has_family_abroad_at_the_intake_and_pays_herself_with_coaching():
    rania = schema.load(schema.PERSONAS_DIR / "rania.yaml")
    assert forms.intake_details_form(rania)["family_reunification"] == "on"
    arrangement = forms.budget_forms(rania)["arrangement"]
    assert arrangement["mode_energy"] == "coaching" and "zelfredzaam" in arrangement["reason_energy"]


def test_elif_shares_mehmets_budget():
    assert forms.budget_forms(schema.load(schema.PERSONAS_DIR / "elif.yaml")) is None
