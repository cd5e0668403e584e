"""Life events change the plan, the PIP and the budget: shown before saving, then done, audited, on the timeline."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from statushouders import life_events, pip, plans, register
from statushouders.budget import service
from statushouders.letters import archive
from statushouders.models import AuditEntry, LifeEvent, PlanAction
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors

INTAKE_DAY = date(2026, 8, 31)  # a Monday
TODAY = date(2026, 11, 23)


def _amina(session, chain, make_form, abroad=()):
    """Amina (25, reads little Somali) and her daughter Hodan (2): intake held, Z-route PIP, ontzorgen budget.

    ``abroad``: household members on the registration form as abroad, arriving later (gezinshereniging)."""
    regie, fin = chain["regisseur"], chain["financien"]
    form = make_form(given_names="Amina", family_name="Warsame", name_own_script="", birth_date="2001-09-12",
                     country_of_origin="SO", v_number="2100000007", bsn="210000041", letter_language="so",
                     spoken_languages="so", read_languages="so", permit_date="2026-05-04", koppeling_date="2026-05-15",
                     iban="NL67INGB0006543210", functional_limitations="")
    person = register.register(session, regie, form, [
        {"name": "Hodan Warsame", "relationship": "child", "birth_date": "2024-11-03"},
        *({**member, "abroad": "on"} for member in abroad)], INTAKE_DAY)
    register.link_partner(session, regie, person.id, chain["orgs"]["taalschool"].id, INTAKE_DAY)
    plans.schedule_intake(session, regie, person.id, f"{INTAKE_DAY.isoformat()}T10:00", "Stadhuis", INTAKE_DAY)
    plans.invite(session, regie, person.id, chain["orgs"]["taalschool"].id, INTAKE_DAY)
    plan = plans._plan_of(session, person.id)
    for participant in plan.participants:
        plans.set_presence(session, regie, person.id, participant.organisation_id, True, INTAKE_DAY)
    plans.save_intake_details(session, regie, person.id, {"interpreter_present": "on", "interpreter_language": "so",
                                                          "family_reunification": "on" if abroad else ""}, INTAKE_DAY)
    plans.mark_intake_held(session, regie, person.id, INTAKE_DAY)
    pip.decide_pip(session, regie, person.id, {
        "route": "z", "duration_months": "36", "ontzorgen_months": "6", "ontzorgen": "huur en energie",
        "preconditions": "Kinderopvang voor Hodan tijdens de lessen"}, INTAKE_DAY)
    service.save_benefit(session, fin, person.id, {"benefit_start": "2026-07-27", "household_kind": "single_parent"},
                         INTAKE_DAY)
    return person


BIRTH = {"event_kind": "birth", "event_on": "2026-11-20", "member_name": "Sagal Warsame"}


def test_the_preview_shows_what_a_birth_changes_and_changes_nothing(session, chain, make_form):
    amina = _amina(session, chain, make_form)
    shown = life_events.preview(session, chain["regisseur"], amina.id, BIRTH, TODAY)
    texts = [c.text for c in shown.changes]
    assert texts[:3] == [
        "Huishouden: Sagal Warsame (kind, geboren 2026-11-20) erbij",
        "Lessen gepauzeerd van 2026-11-20 tot en met 2027-03-12",
        "PIP: nieuwe versie 2 (wijziging in het huishouden): Geboorte van Sagal Warsame op 2026-11-20: lessen "
        "gepauzeerd tot en met 2027-03-12, termijn 4 maanden verlengd. Termijn 4 maanden langer: klaar vóór 2029-12-31.",
    ]
    assert "Budget: leefgeldnorm vanaf 11-2026: € 385,00 → € 495,00 per maand" in texts
    assert shown.letter == "pip_summary"
    # Nothing happened yet.
    session.expire_all()
    assert len(amina.household) == 1
    assert pip.current_pip(session, amina.id).version == 1
    assert session.scalars(select(LifeEvent)).all() == []


def test_recording_the_birth_of_a_second_child_pauses_lessons_extends_the_pip_and_updates_the_budget(
        session, chain, make_form):
    amina = _amina(session, chain, make_form)
    done = life_events.record(session, chain["regisseur"], amina.id, BIRTH, TODAY)
    session.expire_all()
    # Household: Sagal is there.
    assert [(m.name, m.birth_date) for m in amina.household] == [
        ("Hodan Warsame", date(2024, 11, 3)), ("Sagal Warsame", date(2026, 11, 20))]
    # A new PIP version: term extended by 4 months, lessons paused, the reason recorded; version 1 stays readable.
    current = pip.current_pip(session, amina.id)
    assert (current.version, current.change_kind, current.term_extension_months) == (2, "huishouden", 4)
    assert (current.lessons_paused_from, current.lessons_paused_until) == (date(2026, 11, 20), date(2027, 3, 12))
    assert current.route == "z" and current.preconditions == "Kinderopvang voor Hodan tijdens de lessen"
    summary = pip.pip_versions(session, amina.id)
    assert [(s.version, s.term_end) for s in summary] == [(2, "2029-12-31"), (1, "2029-08-31")]
    assert summary[0].lessons_paused == "2026-11-20 t/m 2027-03-12"
    # Budget: the leefgeld norm counts Sagal from November (single parent €275 + two children under 6 at €110).
    data = service.to_data(service.budget_of(session, amina.id), amina)
    from statushouders.budget.leefgeld import leefgeld_norm_for

    assert leefgeld_norm_for(data, date(2026, 11, 1)) == Decimal("495.00")
    assert leefgeld_norm_for(data, date(2026, 10, 1)) == Decimal("385.00")
    # Actions: child benefit, the school pauses, childcare before the lessons start again.
    actions = {(a.what, a.subject, a.due_date) for a in session.scalars(select(PlanAction)).all()}
    assert ("Kinderbijslag (SVB) en kindgebonden budget aanvragen", "Sagal Warsame (0 jaar)", date(2026, 12, 4)) in actions
    assert ("Lessen pauzeren en de herstart plannen", "", date(2027, 3, 12)) in actions
    assert ("Kinderopvang regelen voor als de lessen weer beginnen", "Sagal Warsame (0 jaar)", date(2027, 2, 12)) in actions
    # The event is on the timeline and in the audit log.
    event = session.scalars(select(LifeEvent)).one()
    assert (event.kind, event.on, event.details["name"]) == ("birth", date(2026, 11, 20), "Sagal Warsame")
    assert len(event.changes) == len(done.changes)
    assert any("levensgebeurtenis geboorte van een kind op 2026-11-20" in e.what
               for e in session.scalars(select(AuditEntry)).all())
    # The letter the person gets says that the PIP changed and the new end date.
    letter = archive.produce(session, chain["regisseur"], amina.id, done.letter, {}, TODAY)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(letter.pdf)).pages).replace("\xa0", " ")
    assert "Uw PIP is veranderd" in text
    assert "De datum waarop u klaar moet zijn is veranderd." in text
    assert "31 december 2029" in text


def test_a_job_of_32_hours_reaches_the_budget_and_warns_of_attendance_risk(session, chain, make_form):
    amina = _amina(session, chain, make_form)
    form = {"event_kind": "work_start", "event_on": "2026-12-01", "hours_per_week": "32", "net_income": "1.250,00",
            "employer": "PostNL"}
    done = life_events.record(session, chain["regisseur"], amina.id, form, TODAY)
    assert done.warnings[0] == ("Risico op verzuim: werk 32 uur + lessen 12 uur = 44 uur per week, meer dan 40. "
                                "Stel avondles of een duaal traject voor.")
    budget = service.budget_of(session, amina.id)
    assert [(ln.kind, ln.amount_cents, ln.start_month, ln.label) for ln in budget.lines] == [
        ("work", 125000, date(2026, 12, 1), "PostNL")]
    assert any(a.what == "Lessen combineren met werk: avondles of duaal traject voorstellen" and a.due_date == date(2026, 12, 15)
               for a in session.scalars(select(PlanAction)).all())
    # The job ends: the income stops after March.
    life_events.record(session, chain["regisseur"], amina.id, {"event_kind": "work_end", "event_on": "2027-03-20"}, TODAY)
    session.expire_all()
    assert service.budget_of(session, amina.id).lines[0].months == 4  # December to March


def test_a_part_time_job_is_no_attendance_risk(session, chain, make_form):
    amina = _amina(session, chain, make_form)
    done = life_events.preview(session, chain["regisseur"], amina.id, {
        "event_kind": "work_start", "event_on": "2026-12-01", "hours_per_week": "16", "net_income": "600"}, TODAY)
    assert done.warnings == []


def test_a_full_time_job_under_temporary_protection_is_no_attendance_risk(session, chain, make_form):
    """Olena has no integration duty, so no lessons: no warning and no action for a language school."""
    regie = chain["regisseur"]
    olena = register.register(session, regie, make_form(
        given_names="Olena", family_name="Kovalenko", name_own_script="", country_of_origin="UA", v_number="2100000008",
        bsn="", residence_status="temporary_protection", integration_duty="", letter_language="uk",
        spoken_languages="uk, ru", read_languages="uk, ru"), [], INTAKE_DAY)
    plans.schedule_intake(session, regie, olena.id, f"{INTAKE_DAY.isoformat()}T10:00", "Stadhuis", INTAKE_DAY)
    done = life_events.record(session, regie, olena.id, {
        "event_kind": "work_start", "event_on": "2026-12-01", "hours_per_week": "32", "net_income": "1900"}, TODAY)
    assert done.warnings == []
    assert not any(a.what.startswith("Lessen combineren") for a in session.scalars(select(PlanAction)).all())


def test_a_pause_for_illness_extends_the_term_with_a_new_pip_version(session, chain, make_form):
    amina = _amina(session, chain, make_form)
    done = life_events.record(session, chain["regisseur"], amina.id, {
        "event_kind": "lessons_paused", "event_on": "2026-12-01", "pause_until": "2027-02-15", "cause": "health"}, TODAY)
    assert ("PIP: nieuwe versie 2 (andere wijziging): Lessen gepauzeerd van 2026-12-01 tot en met 2027-02-15 "
            "(gezondheid): termijn 3 maanden verlengd.") in done.changes[1].text
    current = pip.current_pip(session, amina.id)
    assert (current.version, current.change_kind, current.term_extension_months) == (2, "anders", 3)
    assert (current.lessons_paused_from, current.lessons_paused_until) == (date(2026, 12, 1), date(2027, 2, 15))
    assert done.letter == "pip_summary"
    childcare = life_events.record(session, chain["regisseur"], amina.id, {
        "event_kind": "lessons_paused", "event_on": "2027-03-01", "pause_until": "2027-03-31", "cause": "childcare"},
        TODAY)
    assert pip.current_pip(session, amina.id).version == 2 and childcare.letter == ""  # the chain removes this cause


def test_lessons_stopped_for_lack_of_childcare_give_the_gemeente_an_action(session, chain, make_form):
    amina = _amina(session, chain, make_form)
    done = life_events.record(session, chain["regisseur"], amina.id, {
        "event_kind": "lessons_stopped", "event_on": "2026-11-02", "cause": "childcare",
        "note": "niemand kan op Hodan passen"}, TODAY)
    texts = [c.text for c in done.changes]
    assert texts[0] == "Gestopt met de lessen op 2026-11-02: geen kinderopvang"
    assert texts[1].startswith("Nieuwe actie voor Gemeente Hilversum: Kinderopvang regelen zodat de lessen weer kunnen")
    assert "beoordeel of het PIP moet veranderen" in done.warnings[0]


def test_bad_event_input_gets_a_message_per_field_and_changes_nothing(session, chain, make_form):
    amina = _amina(session, chain, make_form)
    with pytest.raises(FormErrors) as bad:
        life_events.record(session, chain["regisseur"], amina.id, {"event_kind": "birth", "event_on": "2027-01-05"},
                           TODAY)
    assert set(bad.value.errors) == {"event_on", "member_name"}  # a birth in the future; no name
    with pytest.raises(FormErrors) as bad:
        life_events.record(session, chain["regisseur"], amina.id, {
            "event_kind": "work_start", "event_on": "2026-12-01", "hours_per_week": "80", "net_income": "-5"}, TODAY)
    assert set(bad.value.errors) == {"hours_per_week", "net_income"}
    with pytest.raises(FormErrors) as bad:
        life_events.record(session, chain["regisseur"], amina.id, {
            "event_kind": "lessons_paused", "event_on": "2026-12-01", "cause": "x", "pause_until": "2026-11-01"}, TODAY)
    assert set(bad.value.errors) == {"cause", "pause_until"}
    with pytest.raises(FormErrors) as bad:
        life_events.record(session, chain["regisseur"], amina.id, {"event_kind": "explosion"}, TODAY)
    assert bad.value.errors == {"event_kind": "Kies wat er is gebeurd."}
    assert session.scalars(select(LifeEvent)).all() == []
    assert pip.current_pip(session, amina.id).version == 1


def test_only_the_regisseur_records_events_and_partners_read_only_their_lines(session, chain, make_form):
    amina = _amina(session, chain, make_form)
    for who in ("taalschool", "financien", "utrecht"):
        with pytest.raises(AccessDenied):
            life_events.record(session, chain[who], amina.id, BIRTH, TODAY)
        with pytest.raises(AccessDenied):
            life_events.preview(session, chain[who], amina.id, BIRTH, TODAY)
    life_events.record(session, chain["regisseur"], amina.id, BIRTH, TODAY)
    regie = plans.load_plan(session, chain["regisseur"], amina.id, TODAY).life_events
    school = plans.load_plan(session, chain["taalschool"], amina.id, TODAY).life_events
    regie_lines, school_lines = " ".join(regie[0]["lines"]), " ".join(school[0]["lines"])
    assert "Sagal" in regie_lines and "leefgeldnorm" in regie_lines
    assert "Lessen gepauzeerd van 2026-11-20 tot en met 2027-03-12" in school_lines
    assert "leefgeldnorm" not in school_lines and "Huishouden" not in school_lines  # finances, family: not the school's
    assert school[0]["hidden"] > 0


def test_family_arrival_adds_the_member_changes_the_household_and_plans_school(session, chain, make_form):
    amina = _amina(session, chain, make_form)
    done = life_events.record(session, chain["regisseur"], amina.id, {
        "event_kind": "family_arrival", "event_on": "2026-11-16", "member_name": "Abdi Warsame",
        "member_relationship": "child", "member_birth_date": "2018-05-01"}, TODAY)
    texts = " | ".join(c.text for c in done.changes)
    assert "Inschrijving op een school (leerplicht) (Abdi Warsame (8 jaar))" in texts
    assert "Budget: leefgeldnorm vanaf 11-2026: € 385,00 → € 525,00 per maand" in texts


ABDI = {"name": "Abdi Warsame", "relationship": "child", "birth_date": "2018-05-01"}


def _norm(session, person, month: date) -> Decimal:
    from statushouders.budget.leefgeld import leefgeld_norm_for

    session.expire_all()
    return leefgeld_norm_for(service.to_data(service.budget_of(session, person.id), person), month)


def test_a_child_registered_abroad_counts_in_the_norm_from_the_month_of_arrival(session, chain, make_form):
    amina = _amina(session, chain, make_form, abroad=[ABDI])
    abdi = next(m for m in amina.household if m.name == "Abdi Warsame")
    assert abdi.abroad and [m.name for m in amina.household_here] == ["Hodan Warsame"]
    assert plans._plan_of(session, amina.id).family_reunification
    assert _norm(session, amina, date(2026, 11, 1)) == Decimal("385.00")  # single parent with Hodan only

    done = life_events.record(session, chain["regisseur"], amina.id, {
        "event_kind": "family_arrival", "event_on": "2026-11-16", "member_id": str(abdi.id)}, TODAY)
    texts = " | ".join(c.text for c in done.changes)
    assert "Huishouden: Abdi Warsame (kind) aangekomen op 2026-11-16, stond in het dossier als in het buitenland" in texts
    assert "Budget: leefgeldnorm vanaf 11-2026: € 385,00 → € 525,00 per maand" in texts
    assert "Gezinshereniging: niet meer open na de aankomst van Abdi Warsame" in texts
    session.expire_all()
    assert [(m.name, m.abroad, m.arrived_on) for m in amina.household] == [
        ("Hodan Warsame", False, None), ("Abdi Warsame", False, date(2026, 11, 16))]
    assert _norm(session, amina, date(2026, 10, 1)) == Decimal("385.00")  # not yet here in October
    assert _norm(session, amina, date(2026, 11, 1)) == Decimal("525.00")
    assert not plans._plan_of(session, amina.id).family_reunification


def test_typing_in_a_member_waiting_abroad_again_makes_no_second_row(session, chain, make_form):
    partner = {"name": "Farah Warsame", "relationship": "partner", "birth_date": "1996-01-10"}
    amina = _amina(session, chain, make_form, abroad=[ABDI, partner])
    done = life_events.record(session, chain["regisseur"], amina.id, {
        "event_kind": "family_arrival", "event_on": "2026-11-16", "member_name": "abdi warsame",
        "member_relationship": "child", "member_birth_date": "2018-05-01"}, TODAY)
    assert "Nog in het buitenland volgens het dossier: Farah Warsame." in done.warnings
    session.expire_all()
    assert [(m.name, m.abroad) for m in amina.household] == [
        ("Hodan Warsame", False), ("Abdi Warsame", False), ("Farah Warsame", True)]
    assert plans._plan_of(session, amina.id).family_reunification  # Farah is still abroad


def test_an_unknown_or_arrived_member_cannot_arrive(session, chain, make_form):
    amina = _amina(session, chain, make_form)
    hodan = amina.household[0]
    with pytest.raises(FormErrors) as refused:
        life_events.preview(session, chain["regisseur"], amina.id, {
            "event_kind": "family_arrival", "event_on": "2026-11-16", "member_id": str(hodan.id)}, TODAY)
    assert refused.value.errors == {"member_id": "Kies een gezinslid dat in het dossier als 'in het buitenland' staat."}


def test_the_intake_cannot_say_no_family_abroad_while_the_file_has_members_abroad(session, chain, make_form):
    amina = _amina(session, chain, make_form, abroad=[ABDI])
    with pytest.raises(FormErrors) as refused:
        plans.save_intake_details(session, chain["regisseur"], amina.id, {"family_reunification": ""}, TODAY)
    assert "gezinsleden in het buitenland (Abdi Warsame)" in refused.value.errors["family_reunification"]
