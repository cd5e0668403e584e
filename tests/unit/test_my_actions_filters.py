"""*Mijn acties* per worker (issue 18): the assignee on every row, and the filters mine / my team / unassigned,
person (name search), status and due (overdue / this week / later), checked from the query string."""

from datetime import date

import pytest

from statushouders import plans, register
from statushouders.plans import ActionFilters, action_filters

TODAY = date(2026, 11, 22)  # a Sunday: "this week" is 22 up to and including 28 November 2026


@pytest.fixture
def actions(session, chain, make_form):
    regie, gemeente = chain["regisseur"], chain["orgs"]["gemeente"]
    yonas = register.register(session, regie, make_form(), [], TODAY)
    rania = register.register(session, regie, make_form(
        given_names="Rania", family_name="Haddad", name_own_script="رانيا حداد", v_number="2100000002", bsn="",
        birth_date="1985-06-02", country_of_origin="SY"), [], TODAY)
    for person in (yonas, rania):
        plans.schedule_intake(session, regie, person.id, "2026-11-24T10:00", "Stadhuis", TODAY)

    def add(person, what, due, worker=None, status="open", owner=gemeente):
        plans.add_action(session, regie, person.id, {
            "domain": "inburgering", "what": what, "kind": "begeleid", "owner_id": str(owner.id), "due_date": due,
            "status": status, "worker_id": str(worker) if worker else "",
            "blocked_reason": "wacht op de tolk" if status == "geblokkeerd" else ""}, TODAY)

    me = regie.user_id
    add(yonas, "Bankrekening openen", "2026-11-20", me)  # overdue, mine
    add(yonas, "Huisarts zoeken", "2026-11-28", status="bezig")  # this week (the last day), unassigned
    add(rania, "Diploma laten waarderen", "2026-11-22", me, status="geblokkeerd")  # today counts as this week
    add(rania, "School inschrijven", "2026-11-29")  # the first day after this week: later
    add(yonas, "Zorgverzekering", "2026-11-10", me, status="klaar")  # done
    add(yonas, "Proefles", "2026-11-19", owner=chain["orgs"]["taalschool"])  # not the gemeente's
    return {"yonas": yonas, "rania": rania}


def _what(session, actor, **filters) -> list[str]:
    return [r["what"] for r in plans.my_actions(session, actor, TODAY, filters=ActionFilters(**filters))]


def test_every_row_names_its_worker_or_none(session, chain, actions):
    rows = {r["what"]: r["worker"] for r in plans.my_actions(session, chain["regisseur"], TODAY)}
    assert rows == {"Bankrekening openen": "Regisseur", "Diploma laten waarderen": "Regisseur",
                    "Huisarts zoeken": "", "School inschrijven": ""}


def test_mine_team_and_unassigned(session, chain, actions):
    regie = chain["regisseur"]
    assert _what(session, regie, who="mijn") == ["Bankrekening openen", "Diploma laten waarderen"]
    assert _what(session, regie, who="geen") == ["Huisarts zoeken", "School inschrijven"]
    assert _what(session, regie) == ["Bankrekening openen", "Diploma laten waarderen", "Huisarts zoeken",
                                     "School inschrijven"]  # my team: the whole gemeente, oldest due first
    # A colleague's "mine" is theirs: nothing is assigned to the coordinator.
    assert _what(session, chain["coordinator"], who="mijn") == []
    assert _what(session, chain["coordinator"], who="team") == _what(session, regie)


def test_person_status_and_due(session, chain, actions):
    regie = chain["regisseur"]
    assert _what(session, regie, person="rania") == ["Diploma laten waarderen", "School inschrijven"]
    assert _what(session, regie, person="yonas tesf") == ["Bankrekening openen", "Huisarts zoeken"]
    assert _what(session, regie, person="ዮናስ") == ["Bankrekening openen", "Huisarts zoeken"]  # own script
    assert _what(session, regie, person="100%") == []  # a LIKE wildcard is a plain character
    assert _what(session, regie, status="geblokkeerd") == ["Diploma laten waarderen"]
    assert _what(session, regie, status="klaar") == ["Zorgverzekering"]  # done only when asked for
    assert _what(session, regie, due="te-laat") == ["Bankrekening openen"]  # 20 Nov; the done one is not late
    assert _what(session, regie, due="deze-week") == ["Diploma laten waarderen", "Huisarts zoeken"]  # 22 and 28 Nov
    assert _what(session, regie, due="later") == ["School inschrijven"]  # 29 Nov
    assert _what(session, regie, who="mijn", due="deze-week") == ["Diploma laten waarderen"]
    assert _what(session, regie, include_done=True, who="mijn") == [
        "Zorgverzekering", "Bankrekening openen", "Diploma laten waarderen"]


def test_query_parameters_are_checked_and_unknown_values_are_no_filter():
    filters, errors = action_filters({"wie": "mijn", "persoon": "  Rania   Haddad ", "status": "bezig",
                                      "deadline": "deze-week", "afgerond": "1"})
    assert filters == ActionFilters("mijn", "Rania Haddad", "bezig", "deze-week", True) and errors == {}
    assert filters.params() == {"wie": "mijn", "persoon": "Rania Haddad", "status": "bezig", "deadline": "deze-week",
                                "afgerond": "1"}
    unknown, errors = action_filters({"wie": "iedereen", "status": "'; drop table", "deadline": "gisteren",
                                      "afgerond": "misschien"})
    assert unknown == ActionFilters() and errors == {} and unknown.params() == {}
    assert action_filters({}) == (ActionFilters(), {})
    assert action_filters({"wie": ["geen", "mijn"]})[0].who == "geen"  # a repeated parameter: the first


def test_a_person_search_that_cannot_be_used_gets_a_message_and_no_filter(session, chain, actions):
    filters, errors = action_filters({"persoon": "Ra\u202enia", "wie": "mijn"})
    assert filters == ActionFilters(who="mijn") and "leesrichting" in errors["persoon"]
    filters, errors = action_filters({"persoon": "x" * 101})
    assert filters.person == "" and errors["persoon"] == "Statushouder is te lang (maximaal 100 tekens)."
    assert _what(session, chain["regisseur"], **{"who": filters.who, "person": filters.person}) == [
        "Bankrekening openen", "Diploma laten waarderen", "Huisarts zoeken", "School inschrijven"]


def test_partners_filter_only_their_own_actions(session, chain, actions):
    school = chain["taalschool"]
    register.link_partner(session, chain["regisseur"], actions["yonas"].id, chain["orgs"]["taalschool"].id, TODAY)
    assert _what(session, school) == ["Proefles"]
    assert _what(session, school, who="geen", due="te-laat") == ["Proefles"]
    assert _what(session, school, who="mijn") == []
    assert _what(session, school, person="rania") == []


def test_the_filter_form_puts_checked_filters_in_the_url(monkeypatch, chain):
    import reflex as rx

    from statushouders.ui.auth_state import AuthState
    from statushouders.ui.plan_state import MyActionsState

    async def current_actor(self):
        return chain["regisseur"]

    monkeypatch.setattr(AuthState, "current_actor", current_actor)
    state = rx.State(_reflex_internal_init=True).get_substate(MyActionsState.get_full_name().split(".")[1:])

    def url(form) -> str:
        spec = MyActionsState.filter.fn(state, form)
        return dict((str(k), v._var_value) for k, v in spec.args)["path"]

    assert url({"wie": "mijn", "persoon": "Rania", "status": "bezig", "deadline": "te-laat"}) == (
        "/acties?wie=mijn&persoon=Rania&status=bezig&deadline=te-laat")
    assert url({"wie": "iedereen", "status": "<b>", "deadline": "ooit", "persoon": ""}) == "/acties"
    assert url({"wie": "team"}) == "/acties"  # the default is no parameter
    # A search the server refuses stays in the URL, so the page can show it with the message under the field.
    assert url({"persoon": "Ra\u202enia"}) == "/acties?persoon=Ra%E2%80%AEnia"
