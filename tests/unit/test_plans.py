"""The joint intake and the shared plan: generation per level, visibility per partner, concurrency, bad input."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from statushouders import pip, plans, register
from statushouders.models import AuditEntry, HouseholdMember, PlanAction, PlanHistory
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors

TODAY = date(2026, 11, 22)


def _person(session, chain, make_form, **overrides):
    actor = chain["regisseur"]
    person = register.register(session, actor, make_form(**overrides), [], TODAY)
    register.link_partner(session, actor, person.id, chain["orgs"]["taalschool"].id, TODAY)
    register.record_consent(session, actor, person.id, chain["orgs"]["vwn"].id, "ti", True, TODAY)
    return person


def _intake(session, chain, person, levels: dict[str, tuple[int, str]], invite=("taalschool", "vwn", "budgetcoach"),
            details=None):
    actor = chain["regisseur"]
    plans.schedule_intake(session, actor, person.id, f"{TODAY.isoformat()}T10:00", "Stadhuis", TODAY,
                          reason="zondag op verzoek van de persoon")
    if details:
        plans.save_intake_details(session, actor, person.id, details, TODAY)
    for key in invite:
        plans.invite(session, actor, person.id, chain["orgs"][key].id, TODAY)
    for domain, (score, level) in levels.items():
        plans.save_assessment(session, actor, person.id, {
            "domain": domain, "score": str(score), "level": level, "relevance": "besproken",
            "level_reason": "" if level == _suggested(score) else "professioneel oordeel",
        }, TODAY)
    plans.generate_draft(session, actor, person.id, TODAY)
    return plans.load_plan(session, actor, person.id, TODAY)


def _hold(session, chain, person):
    actor = chain["regisseur"]
    plan = plans._plan_of(session, person.id)
    plans.set_presence(session, actor, person.id, plan.participants[-1].organisation_id, True, TODAY)
    plans.save_intake_details(session, actor, person.id, {"interpreter_present": "on", "interpreter_language": "tir"},
                              TODAY)
    plans.mark_intake_held(session, actor, person.id, TODAY)


def test_an_intake_outside_working_hours_needs_a_reason(session, chain, make_form):
    person = _person(session, chain, make_form)
    actor = chain["regisseur"]
    with pytest.raises(FormErrors) as err:  # Sunday 03:00
        plans.schedule_intake(session, actor, person.id, "2026-11-22T03:00", "Stadhuis", TODAY)
    assert "buiten werktijd (werkdagen 08:00-18:00)" in err.value.errors["intake_reason"]
    with pytest.raises(FormErrors):  # Monday 18:00 is after hours too
        plans.schedule_intake(session, actor, person.id, "2026-11-23T18:00", "Stadhuis", TODAY)
    plan = plans.schedule_intake(session, actor, person.id, "2026-11-23T17:59", "Stadhuis", TODAY)
    assert plan.intake_outside_hours_reason == ""
    plan = plans.schedule_intake(session, actor, person.id, "2026-11-23T19:00", "Stadhuis", TODAY,
                                 reason="avondspreekuur: werkt overdag")
    assert plan.intake_outside_hours_reason == "avondspreekuur: werkt overdag"


def _suggested(score):
    return "L1" if score <= 2 else "L2" if score == 3 else "L3"


YONAS = {"financien": (1, "L1"), "inburgering": (2, "L1"), "dagelijks": (2, "L1"), "gezondheid": (2, "L1"),
         "werk": (2, "L1")}
RANIA = {"financien": (4, "L3"), "inburgering": (4, "L3"), "dagelijks": (5, "L3"), "gezondheid": (4, "L3"),
         "werk": (4, "L3")}


def test_l1_and_l3_intakes_give_visibly_different_plans(session, chain, make_form):
    yonas = _person(session, chain, make_form)
    rania = _person(session, chain, make_form, given_names="Rania", family_name="Haddad", v_number="2100000002",
                    bsn="123456782", birth_date="1985-06-02", country_of_origin="SY")
    l1 = _intake(session, chain, yonas, YONAS)
    l3 = _intake(session, chain, rania, RANIA)
    assert len(l1.actions) > len(l3.actions) + 5
    assert {a["kind"] for a in l1.actions} == {"begeleid"}
    assert {a["kind"] for a in l3.actions} == {"informatie", "controle"}
    assert len(l1.owners) >= 3, l1.owners
    assert all(a["due_date"] >= TODAY.isoformat() for a in l1.actions + l3.actions)
    assert l1.status == "concept"


def test_generated_due_dates_follow_the_milestones(session, chain, make_form):
    person = _person(session, chain, make_form, move_date="2026-11-20")
    plan = _intake(session, chain, person, {"financien": (2, "L1"), "inburgering": (2, "L1")},
                   details={"brp_date": "2026-11-20"})
    bank = next(a for a in plan.actions if "bankrekening" in a["what"])
    assert bank["milestone"] == "brp"
    assert bank["due_date"] == "2026-11-27"  # BRP registration + 7 days
    pip = next(a for a in plan.actions if a["what"].startswith("PIP opstellen"))
    assert pip["due_date"] == "2027-01-29"  # BRP registration + 10 weeks
    lessons = next(a for a in plan.actions if a["what"].startswith("Start lessen"))
    assert lessons["due_date"] == "2027-02-26"  # expected PIP + 28 days
    # a norm that already passed: Yonas' permit was in February, koppeling 13 Feb
    yonas = plans.load_plan(session, chain["regisseur"], person.id, TODAY)
    assert "inschrijving BRP 2026-11-20" in yonas.milestones


def test_regenerating_keeps_hand_edits(session, chain, make_form):
    person = _person(session, chain, make_form)
    view = _intake(session, chain, person, {"financien": (2, "L1")})
    first = view.actions[0]
    plans.set_status(session, chain["regisseur"], first["id"], first["version"], "bezig", "", TODAY)
    plans.generate_draft(session, chain["regisseur"], person.id, TODAY)
    again = plans.load_plan(session, chain["regisseur"], person.id, TODAY)
    assert len(again.actions) == len(view.actions)
    assert sum(a["status"] == "bezig" for a in again.actions) == 1


def test_level_differing_from_the_score_needs_a_reason(session, chain, make_form):
    person = _person(session, chain, make_form)
    plans.schedule_intake(session, chain["regisseur"], person.id, "2026-11-23T10:00", "", TODAY)
    with pytest.raises(FormErrors) as err:
        plans.save_assessment(session, chain["regisseur"], person.id,
                              {"domain": "werk", "score": "4", "level": "L1", "relevance": "doel automonteur"}, TODAY)
    assert "Bij score 4 past L3 informatie" in err.value.errors["level_reason"]
    with pytest.raises(FormErrors) as err:
        plans.save_assessment(session, chain["regisseur"], person.id, {"domain": "werk", "score": "9"}, TODAY)
    assert set(err.value.errors) >= {"score", "relevance"}
    row = plans.save_assessment(session, chain["regisseur"], person.id, {
        "domain": "werk", "score": "4", "level": "L1", "relevance": "doel", "level_reason": "zegt ja zonder te begrijpen",
    }, TODAY)
    assert row.level == "L1"


def test_actions_are_visible_per_partner(session, chain, make_form):
    person = _person(session, chain, make_form)
    view = _intake(session, chain, person, YONAS)
    by_owner = {a["owner"] for a in view.actions}
    assert {"VluchtelingenWerk", "Taalschool", "Gemeente Hilversum"} <= by_owner

    school = plans.load_plan(session, chain["taalschool"], person.id, TODAY)
    assert school.actions and len(school.actions) < len(view.actions)
    # health actions are shared with the owner (VWN) only, never with the taalschool
    assert not any(a["domain"] == "gezondheid" for a in school.actions)
    assert any(a["domain"] == "gezondheid" for a in plans.load_plan(session, chain["vwn"], person.id, TODAY).actions)
    # the taalschool sees no health or finance notes of the intake
    assert {a["domain"] for a in school.assessments} <= {"inburgering", "werk", "dagelijks"}
    assert school.hidden_domains >= 2
    assert not any("Financiën" in h["what"] or "score" in h["what"] for h in school.history)
    own = next(a for a in school.actions if a["owner"] == "Taalschool")
    plans.set_status(session, chain["taalschool"], own["id"], own["version"], "bezig", "", TODAY)
    assert "Bezig" in plans.load_plan(session, chain["taalschool"], person.id, TODAY).history[0]["what"]
    # summary for letters: all actions without actor, filtered with one
    assert len(plans.plan_summary(session, person.id)) == len(view.actions)
    readable = [a for a in school.actions if not a["hidden"]]
    assert len(plans.plan_summary(session, person.id, chain["taalschool"])) == len(readable) < len(school.actions)


def test_need_to_know_on_action_texts_from_both_sides(session, chain, make_form):
    """The taalschool sees that finance and family actions exist (owner, due date), never their text."""
    person = _person(session, chain, make_form)
    register.record_consent(session, chain["regisseur"], person.id, chain["orgs"]["budgetcoach"].id, "ti", True, TODAY)
    session.add(HouseholdMember(person_id=person.id, name="Yohannes Tesfay", relationship_kind="child",
                                birth_date=date(2024, 5, 1)))
    session.flush()
    session.expire(person)
    view = _intake(session, chain, person, {**YONAS, "gezin": (1, "L1")})
    secret = ["Bijstandsaanvraag samen invullen met tolk", "Wekelijks budgetgesprek; samen post en rekeningen openen",
              "Toeslagen (zorg, huur, kind) samen aanvragen", "Kinderopvang regelen als voorwaarde voor de lessen"]
    assert {a["what"] for a in view.actions} >= set(secret)  # the regisseur reads everything
    care = next(a for a in view.actions if a["what"].startswith("Kinderopvang"))
    assert care["subject"] == "Yohannes (2 jaar)" and "Yohannes is 2 jaar" in care["reason"]

    school = plans.load_plan(session, chain["taalschool"], person.id, TODAY)
    texts = " ".join(f"{a['what']} {a['own_part']} {a['subject']} {a['reason']}" for a in school.actions)
    for what in secret + ["Yohannes"]:
        assert what not in texts
    hidden = [a for a in school.actions if a["hidden"]]
    assert {a["domain"] for a in hidden} == {"financien", "gezin"}
    assert all(a["owner"] and a["due_date"] and not a["editable"] for a in hidden)  # who and when stay
    assert all("Financiën" in a["what"] or "Gezin" in a["what"] for a in hidden)
    assert not any("Bijstand" in h["what"] or "Kinderopvang" in h["what"] for h in school.history)
    # the other side: the budget coach reads finance texts (FINANCES) but not the family action
    coach = plans.load_plan(session, chain["budgetcoach"], person.id, TODAY)
    coach_texts = {a["what"] for a in coach.actions if not a["hidden"]}
    assert "Wekelijks budgetgesprek; samen post en rekeningen openen" in coach_texts
    assert "Bijstandsaanvraag samen invullen met tolk" in coach_texts  # shared, and coach sees FINANCES
    assert not any("Kinderopvang" in w for w in coach_texts)
    # an owner always reads its own action, whatever its domain: the taalschool owning a family action
    own = next(a for a in view.actions if a["what"].startswith("Kinderopvang"))
    action = session.get(PlanAction, own["id"])
    action.owner_id = chain["orgs"]["taalschool"].id
    session.flush()
    school = plans.load_plan(session, chain["taalschool"], person.id, TODAY)
    assert any(a["what"].startswith("Kinderopvang") and not a["hidden"] for a in school.actions)


def test_pip_ontzorgen_line_is_for_finances_only(session, chain, make_form):
    person = _person(session, chain, make_form)
    _intake(session, chain, person, YONAS)
    _hold(session, chain, person)
    pip.decide_pip(session, chain["regisseur"], person.id, {
        "route": "b1", "duration_months": "36", "ontzorgen": "huur, energie en zorgverzekering", "ontzorgen_months": "12",
        "vve": "VVE-plek voor de dochter", "preconditions": "Kinderopvang", "monitoring": "elke 3 maanden",
    }, TODAY)
    regie = plans.load_plan(session, chain["regisseur"], person.id, TODAY).pip_versions[0]
    assert regie["ontzorgen"].startswith("12 maanden: huur") and regie["vve"] == "VVE-plek voor de dochter"
    school = plans.load_plan(session, chain["taalschool"], person.id, TODAY).pip_versions[0]
    assert "huur" not in school["ontzorgen"] and "niet zichtbaar" in school["ontzorgen"]
    assert "dochter" not in school["vve"]
    assert school["route"] == "B1-route" and school["monitoring"] == "elke 3 maanden"


def test_health_text_that_looks_like_a_diagnosis_is_refused_until_confirmed(session, chain, make_form):
    person = _person(session, chain, make_form)
    plans.schedule_intake(session, chain["regisseur"], person.id, f"{TODAY.isoformat()}T10:00", "Stadhuis", TODAY,
                          reason="avondspreekuur")
    form = {"domain": "gezondheid", "score": "2", "relevance": "besproken", "situation": "Heeft PTSS, slaapt slecht",
            "goals": "Beter slapen"}
    with pytest.raises(FormErrors) as err:
        plans.save_assessment(session, chain["regisseur"], person.id, form, TODAY)
    assert "diagnose ('ptss')" in err.value.errors["situation"]
    row = plans.save_assessment(session, chain["regisseur"], person.id,
                                {**form, "situation": "Slaapt slecht, snel moe"}, TODAY)
    assert row.situation == "Slaapt slecht, snel moe"
    confirmed = plans.save_assessment(session, chain["regisseur"], person.id,
                                      {**form, "situation": "Traumasensitieve aanpak gevraagd; geen trauma-diagnose",
                                       "no_diagnosis": "on"}, TODAY)
    assert "geen trauma-diagnose" in confirmed.situation


def test_a_partner_without_access_gets_nothing(session, chain, make_form):
    person = _person(session, chain, make_form)
    _intake(session, chain, person, YONAS)
    for outsider in ("utrecht", "budgetcoach"):  # other municipality; budget coach without consent
        with pytest.raises(AccessDenied):
            plans.load_plan(session, chain[outsider], person.id, TODAY)
    session.commit()  # refusals are written in a transaction of their own once this one has ended
    refused = session.scalars(select(AuditEntry).where(AuditEntry.what == "plan: toegang geweigerd")).all()
    assert len(refused) == 2
    # the regisseur is warned that the budget coach owns actions it cannot see
    view = plans.load_plan(session, chain["regisseur"], person.id, TODAY)
    assert any("Budgetcoach heeft geen toegang" in w for w in view.warnings)


def test_a_partner_changes_only_its_own_actions(session, chain, make_form):
    person = _person(session, chain, make_form)
    view = _intake(session, chain, person, YONAS)
    school = chain["taalschool"]
    mine = next(a for a in plans.load_plan(session, school, person.id, TODAY).actions if a["owner"] == "Taalschool")
    plans.set_status(session, school, mine["id"], mine["version"], "bezig", "", TODAY)
    theirs = next(a for a in plans.load_plan(session, school, person.id, TODAY).actions if a["owner"] != "Taalschool")
    assert theirs["editable"] is False
    with pytest.raises(AccessDenied):
        plans.set_status(session, school, theirs["id"], theirs["version"], "klaar", "", TODAY)
    with pytest.raises(AccessDenied):
        plans.add_action(session, school, person.id, {
            "domain": "werk", "what": "x", "owner_id": str(chain["orgs"]["vwn"].id), "due_date": "2026-12-20",
        }, TODAY)
    added = plans.add_action(session, school, person.id, {
        "domain": "inburgering", "what": "Extra oefenles uitspraak", "owner_id": str(chain["orgs"]["taalschool"].id),
        "due_date": "2026-12-20", "kind": "begeleid",
    }, TODAY)
    assert added.version == 1
    with pytest.raises(AccessDenied):
        plans.save_assessment(session, school, person.id, {"domain": "werk", "score": "3", "relevance": "x"}, TODAY)
    assert view


def test_concurrent_update_of_one_action_is_refused_and_shows_the_newer_version(session, chain, make_form):
    person = _person(session, chain, make_form)
    view = _intake(session, chain, person, YONAS)
    action = next(a for a in view.actions if a["owner"] == "Taalschool")
    loaded_version = action["version"]  # both users opened the plan at this version
    form = {**{k: action[k] for k in ("domain", "what", "kind", "owner_id", "own_part", "milestone", "due_date")},
            "status": "bezig"}
    plans.update_action(session, chain["regisseur"], action["id"], loaded_version,
                        {**form, "what": "Proefles donderdag 10:00"}, TODAY)
    with pytest.raises(plans.StaleAction) as err:
        plans.update_action(session, chain["taalschool"], action["id"], loaded_version,
                            {**form, "what": "Proefles vrijdag"}, TODAY)
    assert "Iemand anders heeft deze actie net gewijzigd" in str(err.value)
    assert err.value.latest["what"] == "Proefles donderdag 10:00"
    assert err.value.latest["version"] == loaded_version + 1
    fresh = plans.load_plan(session, chain["regisseur"], person.id, TODAY)
    assert next(a for a in fresh.actions if a["id"] == action["id"])["what"] == "Proefles donderdag 10:00"


def test_stale_write_racing_in_the_database_is_refused(db_url, chain, make_form, session):
    """Two transactions load the same version; the second flush loses (version column check)."""
    from statushouders import db

    person = _person(session, chain, make_form)
    view = _intake(session, chain, person, {"inburgering": (2, "L1")})
    session.commit()
    action = next(a for a in view.actions if a["owner"] == "Taalschool")
    with db.session_scope(db_url) as first:
        plans.set_status(first, chain["regisseur"], action["id"], action["version"], "bezig", "", TODAY)
    with pytest.raises(plans.StaleAction):
        with db.session_scope(db_url) as second:
            plans.set_status(second, chain["taalschool"], action["id"], action["version"], "klaar", "", TODAY)


def test_bad_action_input_is_named_per_field(session, chain, make_form):
    person = _person(session, chain, make_form, move_date="2026-12-15")
    _intake(session, chain, person, {"wonen": (2, "L1")})
    with pytest.raises(FormErrors) as err:
        plans.add_action(session, chain["regisseur"], person.id, {
            "domain": "wonen", "what": "", "owner_id": "", "due_date": "2026-12-01", "milestone": "move",
            "status": "geblokkeerd",
        }, TODAY)
    e = err.value.errors
    assert "eigenaar" in e["owner_id"]
    assert "Beschrijf" in e["what"]
    assert "verhuizing 2026-12-15" in e["due_date"]
    assert "geblokkeerd" in e["blocked_reason"]


def test_blocked_needs_a_reason_and_history_keeps_who_when_what(session, chain, make_form):
    person = _person(session, chain, make_form)
    view = _intake(session, chain, person, {"inburgering": (2, "L1")})
    action = next(a for a in view.actions if a["owner"] == "Taalschool")
    with pytest.raises(FormErrors):
        plans.set_status(session, chain["taalschool"], action["id"], action["version"], "geblokkeerd", "", TODAY)
    plans.set_status(session, chain["taalschool"], action["id"], action["version"], "geblokkeerd",
                     "wacht op kinderopvang", TODAY)
    rows = session.scalars(select(PlanHistory).where(PlanHistory.action_id == action["id"])).all()
    assert rows[-1].user_name == "Taalschool" and "wacht op kinderopvang" in rows[-1].what


def test_assigning_a_worker_names_them_in_the_history(session, chain, make_form):
    person = _person(session, chain, make_form)
    view = _intake(session, chain, person, YONAS)
    action = next(a for a in view.actions if a["owner"] == "Taalschool")
    form = {k: action[k] for k in ("domain", "what", "kind", "owner_id", "own_part", "milestone", "due_date", "status")}
    plans.update_action(session, chain["taalschool"], action["id"], action["version"],
                        {**form, "worker_id": str(chain["taalschool"].user_id)}, TODAY)
    last = session.scalars(select(PlanHistory).where(PlanHistory.action_id == action["id"])).all()[-1]
    assert "medewerker: Taalschool" in last.what and f"medewerker: {chain['taalschool'].user_id}" not in last.what


def test_private_part_is_for_the_gemeente_only(session, chain, make_form):
    person = _person(session, chain, make_form)
    _intake(session, chain, person, YONAS)
    plans.save_private(session, chain["regisseur"], person.id, "Heeft schulden bij vrienden; stuurt geld naar huis.",
                       True, TODAY)
    assert "schulden" in plans.load_plan(session, chain["regisseur"], person.id, TODAY).private_notes
    for partner in ("taalschool", "vwn"):
        view = plans.load_plan(session, chain[partner], person.id, TODAY)
        assert view.private_notes == "" and view.sees_private is False
    with pytest.raises(AccessDenied):
        plans.save_private(session, chain["vwn"], person.id, "x", True, TODAY)


def test_agreement_activates_the_plan_and_my_actions_lists_them(session, chain, make_form):
    person = _person(session, chain, make_form)
    _intake(session, chain, person, YONAS)
    with pytest.raises(FormErrors) as err:  # the intake has not been marked held
        plans.agree(session, chain["regisseur"], person.id, "Samengevat.", TODAY)
    assert "Eerst de intake houden" in err.value.errors["agree"]
    _hold(session, chain, person)
    with pytest.raises(FormErrors):
        plans.agree(session, chain["regisseur"], person.id, "", TODAY)
    plans.agree(session, chain["regisseur"], person.id, "Samengevat met tolk; Yonas vertelde het terug.", TODAY)
    assert plans.load_plan(session, chain["regisseur"], person.id, TODAY).status == "actief"
    mine = plans.my_actions(session, chain["taalschool"], TODAY)
    assert mine and {a["owner"] for a in mine} == {"Taalschool"}
    assert mine[0]["person_name"].startswith("Yonas Tesfay")
    later = plans.my_actions(session, chain["taalschool"], TODAY + timedelta(days=200))
    assert all(a["overdue"] for a in later)
    assert plans.my_actions(session, chain["utrecht"], TODAY) == []


def test_every_change_bumps_the_revision_that_live_screens_poll(session, chain, make_form):
    person = _person(session, chain, make_form)
    assert plans.plan_revision(session, person.id) == 0
    view = _intake(session, chain, person, {"financien": (2, "L1")})
    before = plans.plan_revision(session, person.id)
    assert before == view.revision > 1
    action = view.actions[0]
    plans.set_status(session, chain["regisseur"], action["id"], action["version"], "bezig", "", TODAY)
    assert plans.plan_revision(session, person.id) == before + 1
