"""*Vandaag* per role (issue 18): intakes this week, actions due or overdue (mine first), call-back requests,
payment runs waiting for a second approver, persons at or past the PIP deadline; a partner sees its own work only."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from statushouders import auth, callbacks, plans, register, today
from statushouders.budget import checks, runs, service
from statushouders.models import AuditEntry, User

TODAY = date(2026, 11, 22)  # a Sunday: "this week" runs to Saturday 28 November 2026
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)


def _register(session, chain, make_form, n: int, **overrides):
    form = make_form(**{"v_number": f"21000010{n:02d}", "bsn": "", "name_own_script": "", **overrides})
    return register.register(session, chain["regisseur"], form, [], TODAY)


def _action(session, actor, person, owner, what, due, worker=None, status="open", domain="inburgering"):
    return plans.add_action(session, actor, person.id, {
        "domain": domain, "what": what, "kind": "begeleid", "owner_id": str(owner.id), "due_date": due,
        "status": status, "worker_id": str(worker) if worker else "",
        "blocked_reason": "wacht op tolk" if status == "geblokkeerd" else ""}, TODAY)


@pytest.fixture
def world(session, chain, make_form):
    """Hilversum on Sunday 22 November 2026.

    Yonas: intake Tuesday 24 November 10:00 with the taalschool invited; actions of the gemeente overdue
    (one assigned to the regisseur, one unassigned), one due later, one done; a taalschool action due
    Thursday 26 November; a call-back request to the taalschool.
    Rania: linked to the taalschool but not invited to her intake (Wednesday 25 November 14:00); BRP
    registration 1 September 2026, so the PIP was due 10 November 2026.
    Khaled: no plan, moved in 20 September 2026: PIP due 29 November 2026 (7 days left, estimated).
    Mehmet: moved in 1 November 2026: PIP due 10 January 2027, not near yet.
    Olena: temporary protection, moved in 1 September 2026: no PIP ever, so never on the list.
    Utrecht: a person in another municipality with an overdue action.
    """
    regie, orgs = chain["regisseur"], chain["orgs"]
    gemeente, school = orgs["gemeente"], orgs["taalschool"]
    yonas = register.register(session, regie, make_form(), [], TODAY)
    register.link_partner(session, regie, yonas.id, school.id, TODAY)
    plans.schedule_intake(session, regie, yonas.id, "2026-11-24T10:00", "Stadhuis", TODAY)
    plans.invite(session, regie, yonas.id, school.id, TODAY)
    mine = _action(session, regie, yonas, gemeente, "Bankrekening openen", "2026-11-20", chain["regisseur"].user_id,
                   domain="financien")
    unassigned = _action(session, regie, yonas, gemeente, "Huisarts zoeken", "2026-11-18", domain="gezondheid")
    _action(session, regie, yonas, gemeente, "DigiD aanvragen", "2026-12-10", chain["regisseur"].user_id)
    _action(session, regie, yonas, gemeente, "Zorgverzekering afsluiten", "2026-11-19", status="klaar")
    lesson = _action(session, regie, yonas, school, "Proefles plannen", "2026-11-26")
    callbacks.request(session, yonas, school.id, "morning", "tir", NOW)

    rania = _register(session, chain, make_form, 2, given_names="Rania", family_name="Haddad",
                      birth_date="1985-06-02", country_of_origin="SY", move_date="2026-09-01")
    register.link_partner(session, regie, rania.id, school.id, TODAY)
    plans.schedule_intake(session, regie, rania.id, "2026-11-25T14:00", "Stadhuis", TODAY)
    plans.save_intake_details(session, regie, rania.id, {"brp_date": "2026-09-01"}, TODAY)
    khaled = _register(session, chain, make_form, 3, given_names="Khaled", family_name="Mansour",
                       birth_date="1963-01-05", country_of_origin="SY", move_date="2026-09-20")
    _register(session, chain, make_form, 4, given_names="Mehmet", family_name="Yilmaz", birth_date="1990-02-03",
              country_of_origin="TR", move_date="2026-11-01")
    _register(session, chain, make_form, 5, given_names="Olena", family_name="Kovalenko", birth_date="1988-07-07",
              country_of_origin="UA", residence_status="temporary_protection", integration_duty="",
              move_date="2026-09-01")
    utrecht = register.register(session, chain["utrecht"], make_form(
        municipality="Utrecht", v_number="2100001099", bsn="", given_names="Selam"), [], TODAY, confirmed=True)
    plans.schedule_intake(session, chain["utrecht"], utrecht.id, "2026-11-24T11:00", "Stadskantoor", TODAY)
    _action(session, chain["utrecht"], utrecht, orgs["gemeente_other"], "Woning bezichtigen", "2026-11-01")
    return {"yonas": yonas, "rania": rania, "khaled": khaled, "mine": mine, "unassigned": unassigned,
            "lesson": lesson}


def _names(section) -> list[str]:
    return [item.person_name.split(" (")[0] for item in section.items]


def test_the_regisseur_sees_intakes_this_week_and_overdue_actions_mine_first(session, chain, world):
    view = today.overview(session, chain["regisseur"], TODAY)
    assert view.week_end == date(2026, 11, 28)
    assert _names(view.intakes) == ["Yonas Tesfay", "Rania Haddad"]  # mine (case owner) and by time; not Utrecht
    assert view.intakes.items[0].at == datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
    assert view.intakes.items[0].href == f"/plan?id={world['yonas'].id}" and view.intakes.items[0].mine
    # Overdue gemeente actions, the one assigned to me first though the other is older; not the later,
    # the done, the taalschool's or Utrecht's.
    assert [a.what for a in view.actions.items] == ["Bankrekening openen", "Huisarts zoeken"]
    first, second = view.actions.items
    assert first.mine and first.overdue and first.due_date == date(2026, 11, 20) and first.worker == "Regisseur"
    assert not second.mine and second.worker == "" and second.due_date == date(2026, 11, 18)
    assert first.href == f"/plan?id={world['yonas'].id}" and first.budget_href == ""  # no finance role
    assert view.actions.total == 2
    # The call-back went to the taalschool: nothing for the gemeente; no payment runs for a regisseur.
    assert view.callbacks is not None and view.callbacks.items == ()
    assert view.runs is None
    # Rania 12 days past the PIP deadline (BRP 1 September + 70 days), Khaled 7 days before it
    # (estimated from his move, no plan yet); Mehmet not near yet, Olena has no integration duty.
    assert _names(view.norms) == ["Rania Haddad", "Khaled Mansour"]
    rania, khaled = view.norms.items
    assert (rania.registered, rania.deadline, rania.days_left, rania.registration_estimated, rania.has_plan) == (
        date(2026, 9, 1), date(2026, 11, 10), -12, False, True)
    assert (khaled.registered, khaled.deadline, khaled.days_left, khaled.registration_estimated, khaled.has_plan) == (
        date(2026, 9, 20), date(2026, 11, 29), 7, True, False)
    assert rania.href == f"/plan?id={world['rania'].id}"


def test_a_taalschool_docent_sees_only_the_work_of_the_taalschool(session, chain, world):
    view = today.overview(session, chain["taalschool"], TODAY)
    assert _names(view.intakes) == ["Yonas Tesfay"]  # invited; Rania's intake is the gemeente's and VWN's only
    assert [a.what for a in view.actions.items] == ["Proefles plannen"]
    lesson = view.actions.items[0]
    assert not lesson.overdue and lesson.due_date == date(2026, 11, 26) and lesson.worker == "" and not lesson.mine
    assert [(c.person_id, c.part_of_day, c.href) for c in view.callbacks.items] == [
        (world["yonas"].id, "morning", f"/dossier?id={world['yonas'].id}")]
    assert view.runs is None and view.norms is None  # the PIP deadline is the gemeente's to watch
    shown = {pid for (pid,) in session.execute(select(AuditEntry.person_id).where(
        AuditEntry.user_name == "Taalschool", AuditEntry.what.startswith("op vandaag getoond")))}
    assert shown == {world["yonas"].id}  # every person shown audited, and no one else
    assert session.scalar(select(AuditEntry.what).where(
        AuditEntry.user_name == "Taalschool", AuditEntry.what.startswith("vandaag bekeken"))) == (
        "vandaag bekeken (intakes 1, acties 1, terugbelverzoeken 1)")


def test_a_partner_whose_contract_ended_sees_nothing_of_that_person(session, chain, world):
    from statushouders.models import PartnerLink

    for link in session.scalars(select(PartnerLink).where(PartnerLink.person_id == world["yonas"].id)):
        link.ended_at = TODAY  # the contract ends today: no access from today on
    view = today.overview(session, chain["taalschool"], TODAY)
    assert view.intakes.items == () and view.actions.items == () and view.callbacks.items == ()


def test_the_coordinator_watches_norms_and_intakes_but_calls_no_one_back(session, chain, world):
    view = today.overview(session, chain["coordinator"], TODAY)
    assert _names(view.intakes) == ["Yonas Tesfay", "Rania Haddad"]
    assert not any(i.mine for i in view.intakes.items)
    assert _names(view.norms) == ["Rania Haddad", "Khaled Mansour"]
    assert [a.what for a in view.actions.items] == ["Huisarts zoeken", "Bankrekening openen"]  # none are mine
    assert view.callbacks is None and view.runs is None


def _budget_person(session, chain, make_form):
    fin = chain["financien"]
    person = _register(session, chain, make_form, 7, given_names="Yonas", family_name="Betaald",
                       iban="NL20INGB0001234567")
    service.save_benefit(session, fin, person.id, {"benefit_start": "2026-06-01", "household_kind": "single"}, TODAY)
    service.add_fixed_cost(session, fin, person.id, {
        "category": "rent", "creditor_name": "Dudok Wonen", "creditor_iban": "NL63TRIO0212345678",
        "amount": "650,00", "day_of_month": "1", "reference": checks.make_betalingskenmerk("300000000000101")}, TODAY)
    return person


def test_financien_sees_a_run_a_colleague_prepared_as_theirs_to_approve(session, chain, make_form):
    fin = chain["financien"]
    colleague = User(username="financien2", full_name="Fatima el Amrani", password_hash="!",
                     organisation_id=fin.organisation_id, role="financien")
    session.add(colleague)
    session.flush()
    second = auth.actor_for(colleague)
    person = _budget_person(session, chain, make_form)
    plans.schedule_intake(session, chain["regisseur"], person.id, "2026-11-24T10:00", "Stadhuis", TODAY)
    _action(session, chain["regisseur"], person, chain["orgs"]["gemeente"], "Huur rechtstreeks betalen",
            "2026-11-27", colleague.id, domain="financien")
    run = runs.prepare_run(session, fin, date(2026, 12, 1))

    view = today.overview(session, second, TODAY)
    assert [(r.run_id, r.month, r.payments, r.prepared_by, r.may_approve) for r in view.runs.items] == [
        (run.id, date(2026, 12, 1), run.payment_count, "Financien", True)]
    assert view.runs.items[0].href == "/betaalruns"
    action = view.actions.items[0]
    assert action.mine and action.budget_href == f"/budget?id={person.id}"  # finance work is done on the budget
    assert view.intakes is None and view.norms is None and view.callbacks is None

    own = today.overview(session, fin, TODAY)  # the preparer waits for a colleague
    assert [(r.run_id, r.may_approve) for r in own.runs.items] == [(run.id, False)]
    assert not own.actions.items[0].mine

    runs.approve_run(session, second, run.id, TODAY)
    assert today.overview(session, second, TODAY).runs.items == ()


def test_an_administrator_and_the_privacy_officer_have_no_casework_on_vandaag(session, chain, world):
    admin = User(username="beheer", full_name="Beheer", password_hash="!",
                 organisation_id=chain["regisseur"].organisation_id, role="beheerder")
    session.add(admin)
    session.flush()
    assert today.overview(session, auth.actor_for(admin), TODAY).sections == []
    assert today.overview(session, chain["privacy"], TODAY).sections == []  # the access log is their work


def _state(cls, actor, monkeypatch):
    """The page state as the app runs it, with the actor the login would give (as in test_ui_bad_ids)."""
    import reflex as rx

    from statushouders.ui.auth_state import AuthState

    async def current_actor(self):
        return actor

    monkeypatch.setattr(AuthState, "current_actor", current_actor)
    monkeypatch.setattr(AuthState, "today", staticmethod(lambda: TODAY))
    return rx.State(_reflex_internal_init=True).get_substate(cls.get_full_name().split(".")[1:])


def test_the_page_shows_the_sections_of_the_role_in_dutch(db_url, session, chain, world, monkeypatch):
    import asyncio

    from statushouders.ui.today_state import TodayState

    session.commit()
    state = _state(TodayState, chain["taalschool"], monkeypatch)
    asyncio.run(TodayState.on_load.fn(state))
    assert state.intro == "Vandaag is het 2026-11-22. Deze week loopt tot en met 2026-11-28."
    assert state.has_intakes and state.has_actions and state.has_callbacks
    assert not state.has_runs and not state.has_norms
    assert [(r["at"], r["location"], r["href"]) for r in state.intakes] == [
        ("2026-11-24 10:00", "Stadhuis", f"/plan?id={world['yonas'].id}")]
    assert [(r["what"], r["domain"], r["due"], r["status"], r["worker"], r["overdue"]) for r in state.actions] == [
        ("Proefles plannen", "Inburgering en taal", "2026-11-26", "Open", "nog niemand", "")]
    assert [(r["part_of_day"], r["href"]) for r in state.callbacks] == [
        ("ochtend", f"/dossier?id={world['yonas'].id}")]

    regie = _state(TodayState, chain["regisseur"], monkeypatch)
    asyncio.run(TodayState.on_load.fn(regie))
    assert [(r["when"], r["late"], r["no_plan"]) for r in regie.norms] == [
        ("12 dagen over de termijn", "1", ""), ("nog 7 dagen", "", "1")]
    assert regie.norms[1]["registered"] == "2026-09-20 (verwacht: verhuisdatum)"
