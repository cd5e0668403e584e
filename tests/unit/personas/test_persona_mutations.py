"""Every check can fail: a persona passes it, one fact (or one product step) is changed, and the finding appears.

A fact mutation changes the persona file (a longer job, a withdrawn consent); where the product itself
prevents the situation, the mutation switches that one product step off (a regression), to prove the
check would see it.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from statushouders.personas import runner, schema


def _load(name: str) -> schema.Persona:
    return schema.load(schema.PERSONAS_DIR / f"{name}.yaml")


def _replace(obj, path: str, value):
    """``_replace(persona, "languages.literacy", "limited")``: a copy with one nested field changed."""
    head, _, rest = path.partition(".")
    return dataclasses.replace(obj, **{head: _replace(getattr(obj, head), rest, value) if rest else value})


def _with_event(persona: schema.Persona, on: date, kind: str, **data) -> schema.Persona:
    events = sorted([*persona.events, schema.Event(on, kind, "", data)], key=lambda e: e.on)
    return dataclasses.replace(persona, events=tuple(events))


def _finding(persona: schema.Persona, check: str):
    journey = runner.decide(persona)
    found = [f for f in journey.findings if f.check == check]
    assert found, f"{check} not found; found {journey.found_ids}"
    return found[0]


def _passes(journeys, name: str, check: str) -> None:
    assert check not in journeys[name].found_ids, journeys[name].found_ids


def _saba_job(hours: int) -> schema.Persona:
    saba = _load("saba")
    job = next(i for i, e in enumerate(saba.events) if e.kind == "finds_job")
    events = list(saba.events)
    events[job] = dataclasses.replace(events[job], data={**events[job].data, "hours_per_week": hours})
    return dataclasses.replace(saba, events=tuple(events))


# --- fact mutations --------------------------------------------------------------------------------

def test_lessons_stopped_for_lack_of_childcare(journeys):
    _passes(journeys, "saba", "lessons_stopped")
    found = _finding(_with_event(_load("saba"), date(2026, 12, 1), "stops_lessons", cause="childcare"),
                     "lessons_stopped")
    assert found.detail == "Lessen gestopt op 01-12-2026 door geen kinderopvang."
    assert found.fix.startswith("Regel kinderopvang")


def test_a_paused_lesson_for_health_is_planned_but_a_pause_for_childcare_is_found(journeys):
    assert "lessons_stopped" not in runner.decide(_with_event(
        _load("saba"), date(2026, 12, 1), "pauses_lessons", cause="health", until=date(2027, 1, 15))).found_ids
    found = _finding(_with_event(_load("saba"), date(2026, 12, 1), "pauses_lessons", cause="childcare",
                                 until=date(2027, 1, 15)), "lessons_stopped")
    assert found.detail == "Lessen gepauzeerd op 01-12-2026 door geen kinderopvang."


def test_attendance_risk_when_the_job_grows_from_12_to_36_hours(journeys):
    _passes(journeys, "saba", "attendance_risk")  # 12 hours cleaning in the evening
    found = _finding(_saba_job(36), "attendance_risk")
    assert found.detail.startswith("Werk 36 uur per week vanaf 01-03-2027 + lessen")
    assert "meer dan 40" in found.detail and "geen actie" not in found.detail  # the product planned evening lessons


def test_action_without_owner_after_the_person_withdraws_vwns_consent(journeys):
    _passes(journeys, "saba", "action_without_owner")
    found = _finding(_with_event(_load("saba"), date(2026, 12, 1), "consent_withdrawn", organisation="vwn"),
                     "action_without_owner")
    assert "zonder eigenaar die het dossier mag zien" in found.detail


def test_callback_in_the_files_language_although_yonas_taps_arabic(journeys, monkeypatch):
    """The product lists the file's language (Tigrinya): passes; listing the tapped language is found."""
    yonas = _replace(_load("yonas"), "languages.own_view", "ar")
    assert "callback_wrong_language" not in runner.decide(yonas).found_ids
    from statushouders import callbacks

    real = callbacks.open_for_staff
    monkeypatch.setattr(callbacks, "open_for_staff", lambda *a, **k: [
        dataclasses.replace(r, language=r.asked_in or r.language) for r in real(*a, **k)])
    found = _finding(yonas, "callback_wrong_language")
    assert found.detail == "De terugbellijst noemt Arabisch; het dossier zegt Tigrinya."


def test_letter_unreadable_when_hassan_reads_little_and_gets_letters(journeys):
    _passes(journeys, "hassan", "letter_unreadable")
    hassan = _replace(_replace(_load("hassan"), "languages.literacy", "limited"), "languages.preferred_channel", "letter")
    assert "leest beperkt" in _finding(hassan, "letter_unreadable").detail


def test_mother_tongue_without_letters(journeys):
    _passes(journeys, "hassan", "mother_tongue_unsupported")
    assert _finding(_replace(_load("hassan"), "languages.mother_tongue", "tig"), "mother_tongue_unsupported")


def test_koppeling_after_30_days(journeys):
    _passes(journeys, "hassan", "koppeling_norm_exceeded")
    hassan = _load("hassan")
    late = _replace(hassan, "residence.permit_date", hassan.residence.koppeling_date - timedelta(days=30))
    assert _finding(late, "koppeling_norm_exceeded")


def test_leefgeld_below_norm_when_rent_doubles(journeys):
    _passes(journeys, "noor", "leefgeld_below_norm")
    noor = _load("noor")
    costs = tuple(dataclasses.replace(c, amount=c.amount * 2) if c.category == "rent" else c
                  for c in noor.budget.fixed_costs)
    assert _finding(_replace(noor, "budget.fixed_costs", costs), "leefgeld_below_norm")


def test_ontzorgen_declined_by_someone_who_cannot_manage_money(journeys):
    _passes(journeys, "yonas", "ontzorgen_declined_low_finance")
    yonas = _replace(_load("yonas"), "budget.ontzorgen", schema.Ontzorgen(False, "Wil het zelf doen.", None))
    assert _finding(_replace(yonas, "budget.coach", False), "ontzorgen_declined_low_finance")


def test_ontzorgen_ending_without_a_hand_back_plan(journeys):
    _passes(journeys, "yonas", "ontzorgen_end_without_handback")
    yonas = _load("yonas")
    assert _finding(_replace(yonas, "budget.ontzorgen", dataclasses.replace(yonas.budget.ontzorgen, hand_back={})),
                    "ontzorgen_end_without_handback")


def test_pip_norm_exceeded_when_the_intake_is_late(journeys, monkeypatch):
    _passes(journeys, "hassan", "pip_norm_exceeded")
    monkeypatch.setattr(runner, "INTAKE_AFTER_DAYS", 90)  # intake 90 days after registration: PIP after 10 weeks
    assert _finding(_load("hassan"), "pip_norm_exceeded")


# --- product-step mutations: the product prevents it, the check still sees it -----------------------

def test_life_event_not_applied_when_the_birth_skips_the_household(journeys, monkeypatch):
    _passes(journeys, "amina", "life_event_not_applied")
    from statushouders import life_events

    monkeypatch.setattr(life_events._Builder, "member", lambda self, name, relationship, born: None)
    found = _finding(_load("amina"), "life_event_not_applied")
    assert "Sagal Warsame in het huishouden (04-01-2027)" in found.detail


def test_life_event_not_applied_when_the_partner_waiting_abroad_never_arrives(journeys, monkeypatch):
    """Farida's husband is on the file as abroad from the registration; his arrival must bring him here."""
    _passes(journeys, "farida", "life_event_not_applied")
    from statushouders import life_events

    monkeypatch.setattr(life_events._Builder, "arrival", lambda self, member, on: None)
    found = _finding(_load("farida"), "life_event_not_applied")
    assert "Jawed Rahimi in het huishouden" in found.detail


def test_life_event_not_applied_when_a_withdrawn_consent_keeps_access(journeys, monkeypatch):
    from statushouders import register

    monkeypatch.setattr(register, "withdraw_consent", lambda *a, **k: None)
    found = _finding(_with_event(_load("saba"), date(2026, 12, 1), "consent_withdrawn", organisation="vwn"),
                     "life_event_not_applied")
    assert "ziet het dossier nog na het intrekken van de toestemming" in found.detail


def test_life_event_not_applied_when_an_illness_pause_does_not_extend_the_term(journeys, monkeypatch):
    """Zarghuna is ill for three weeks: the lessons pause and the PIP's term is extended (a new version)."""
    _passes(journeys, "zarghuna", "life_event_not_applied")
    from statushouders import life_events

    monkeypatch.setattr(life_events, "NOT_TO_BLAME", ())
    found = _finding(_load("zarghuna"), "life_event_not_applied")
    assert "een PIP-versie die de termijn verlengt na de lespauze van 10-02-2027" in found.detail


def test_letter_inconsistent_when_the_letter_guard_is_off_and_the_overview_is_written_after_the_payout(
        journeys, monkeypatch):
    _passes(journeys, "noor", "letter_inconsistent")
    from statushouders.letters import budget_sources

    monkeypatch.setattr(budget_sources, "money_problems", lambda context: [])
    real = runner._Flow.letter
    monkeypatch.setattr(runner._Flow, "letter", lambda self, step, letter_type, today, options=None: real(
        self, step, letter_type, today + timedelta(days=40) if letter_type == "payment_overview" else today, options))
    found = _finding(_load("noor"), "letter_inconsistent")
    assert "uitbetaling op" in found.detail


def test_letter_too_long_for_a_reader_who_reads_little(journeys, monkeypatch):
    _passes(journeys, "zarghuna", "letter_too_long")
    from statushouders.personas import checks

    monkeypatch.setitem(checks.PAGES_PER_LANGUAGE, "illiterate", 0)  # as if every page were one too many
    found = _finding(_load("zarghuna"), "letter_too_long")
    assert "pagina's in 2 talen" in found.detail


def test_ontzorgen_declined_without_a_decision_letter(journeys, monkeypatch):
    """Rania pays herself with the coach as a safety net: her decision letter says so."""
    _passes(journeys, "rania", "ontzorgen_declined_without_letter")
    real = runner._Flow.letter
    monkeypatch.setattr(runner._Flow, "letter", lambda self, step, letter_type, today, options=None:
                        None if letter_type == "ontzorgen_decision" else real(self, step, letter_type, today, options))
    assert _finding(_load("rania"), "ontzorgen_declined_without_letter").detail == (
        "Ontzorgen geweigerd, maar geen besluit ontzorgen verstuurd.")


def test_action_requirements_unmet_when_every_template_action_is_chosen(journeys, monkeypatch):
    _passes(journeys, "yonas", "action_requirements_unmet")
    from statushouders import plan_templates

    monkeypatch.setattr(plan_templates.Facts, "holds", lambda self, condition: True)  # expand ignores requires
    real_unmet = runner._Flow._unmet_requirements

    def unmet_with_real_facts(self, plan):
        monkeypatch.undo()
        return real_unmet(self, plan)

    monkeypatch.setattr(runner._Flow, "_unmet_requirements", unmet_with_real_facts)
    found = _finding(_load("yonas"), "action_requirements_unmet")
    assert "vereist:" in found.detail


def test_guidance_inconsistent_when_the_proposal_ignores_the_score(journeys, monkeypatch):
    _passes(journeys, "yonas", "guidance_inconsistent")
    from statushouders import plans
    from statushouders.personas import forms

    monkeypatch.setattr(forms, "suggested_level", lambda score: "L3")  # and the plan's own guard agrees
    monkeypatch.setattr(plans, "suggested_level", lambda score: "L3")
    assert "score 1, L3" in _finding(_load("yonas"), "guidance_inconsistent").detail


def test_b1_route_near_pension_when_the_route_proposal_ignores_the_aow_age(monkeypatch):
    """Khaled a year older and with a good learnability test: only the AOW age makes the product propose Z."""
    from statushouders import route_advice

    khaled = _replace(_replace(_load("khaled"), "education.learnability_score", 30), "identity.birth_date",
                      date(1961, 7, 1))
    journey = runner.decide(khaled)
    assert journey.route == "z" and "b1_route_near_pension" not in journey.found_ids
    monkeypatch.setattr(route_advice, "_birthday", lambda birth, age: date(2100, 1, 1))
    assert "AOW-leeftijd op" in _finding(khaled, "b1_route_near_pension").detail


def test_pip_for_temporary_protection_when_the_no_pip_rule_is_off(journeys, monkeypatch):
    _passes(journeys, "olena", "pip_for_temporary_protection")
    from statushouders import pip

    monkeypatch.setattr(pip, "no_pip_reason", lambda person: None)
    assert _finding(_load("olena"), "pip_for_temporary_protection")


def test_household_change_not_in_plan_when_the_arrival_gets_no_pip_version(journeys, monkeypatch):
    _passes(journeys, "rania", "household_change_not_in_plan")
    real = runner._Flow.decide_pip
    monkeypatch.setattr(runner._Flow, "decide_pip", lambda self, day, kind, reason, **o:
                        None if kind == "huishouden" else real(self, day, kind, reason, **o))
    assert _finding(_load("rania"), "household_change_not_in_plan")


def test_childcare_missing_when_the_templates_lose_childcare(journeys, monkeypatch):
    """Saba's youngest is three at the intake: the plan arranges childcare before the lessons."""
    _passes(journeys, "saba", "childcare_missing")
    from statushouders import plans

    real = plans.expand
    monkeypatch.setattr(plans, "expand", lambda levels, facts: [
        a for a in real(levels, facts) if "opvang" not in a.template.what.lower() and "vve" not in a.template.what.lower()])
    assert "Selam" in _finding(_load("saba"), "childcare_missing").detail


def test_letter_catalog_incomplete_when_the_catalog_misses_sentences(journeys, monkeypatch):
    _passes(journeys, "yonas", "letter_catalog_incomplete")
    from statushouders.letters import catalog

    monkeypatch.setattr(catalog.CatalogStatus, "complete", property(lambda self: False))
    assert _finding(_load("yonas"), "letter_catalog_incomplete")
