"""The person list (issue 18): sorting on the server by a whitelisted key, status columns, one query per page."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from statushouders import register
from statushouders.models import Pip, Plan, PlanAction

from ..conftest import TODAY

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def _person(session, chain, make_form, n: int, family: str, actor="regisseur", **overrides):
    form = make_form(v_number=f"25000000{n:02d}", bsn="", family_name=family, given_names="Test", **overrides)
    return register.register(session, chain[actor], form, [], TODAY, confirmed=True)


def _plan(session, chain, person, status: str, owner=None, intake_at=None, held_at=None) -> Plan:
    plan = Plan(person_id=person.id, status=status, intake_at=intake_at, intake_held_at=held_at,
                regisseur_id=owner, created_at=NOW, created_by=chain["regisseur"].user_id, revision=1)
    session.add(plan)
    session.flush()
    return plan


def _action(session, plan, owner_org, due: date | None, status="open", shared=()):
    session.add(PlanAction(plan_id=plan.id, domain="inburgering", what="iets", kind="begeleid", owner_id=owner_org,
                           due_date=due, status=status, visible_to=list(shared), version=1, updated_at=NOW))
    session.flush()


@pytest.fixture
def caseload(session, chain, make_form):
    """Four Hilversum persons: no plan; intake planned; a concept plan; an active plan with a PIP."""
    orgs = chain["orgs"]
    gemeente, school = orgs["gemeente"].id, orgs["taalschool"].id
    colleague = chain["regisseur"].user_id
    people = {
        "Dijkstra": _person(session, chain, make_form, 1, "Dijkstra"),
        "Bakker": _person(session, chain, make_form, 2, "Bakker"),
        "Jansen": _person(session, chain, make_form, 3, "jansen"),  # lower case: sorted without regard to case
        "Visser": _person(session, chain, make_form, 4, "Visser", residence_status="temporary_protection",
                          integration_duty="", permit_date=""),
    }
    for p in people.values():
        register.link_partner(session, chain["regisseur"], p.id, school, TODAY)
    bakker = _plan(session, chain, people["Bakker"], "intake", intake_at=NOW + timedelta(days=10))
    _action(session, bakker, gemeente, date(2026, 12, 20))
    jansen = _plan(session, chain, people["Jansen"], "concept", owner=chain["financien"].user_id,
                   intake_at=NOW - timedelta(days=5), held_at=NOW - timedelta(days=5))
    _action(session, jansen, gemeente, date(2026, 12, 1))  # the gemeente's own action: hidden from the school
    _action(session, jansen, gemeente, date(2026, 12, 10), shared=[school])
    _action(session, jansen, school, date(2026, 12, 15))
    dijkstra = _plan(session, chain, people["Dijkstra"], "actief", owner=colleague, intake_at=NOW - timedelta(days=30),
                     held_at=NOW - timedelta(days=30))
    _action(session, dijkstra, gemeente, date(2026, 11, 1), status="klaar")  # done: not a next deadline
    _action(session, dijkstra, gemeente, date(2027, 1, 5))
    session.add(Pip(person_id=people["Dijkstra"].id, version=1, current=False, decided_on=TODAY, term_start=TODAY,
                    route="z", duration_months=30, change_kind="eerste", created_at=NOW,
                    created_by=colleague))
    session.add(Pip(person_id=people["Dijkstra"].id, version=2, current=True, decided_on=TODAY, term_start=TODAY,
                    route="b1", duration_months=30, change_kind="route", created_at=NOW, created_by=colleague))
    session.flush()
    return people


def _names(session, actor, **kwargs) -> list[str]:
    rows, _total = register.list_persons(session, actor, TODAY, **kwargs)
    return [r.name.split()[1] for r in rows]


def test_sorted_by_name_by_default_regardless_of_case(session, chain, caseload):
    assert _names(session, chain["regisseur"]) == ["Bakker", "Dijkstra", "jansen", "Visser"]
    assert _names(session, chain["regisseur"], sort="name", descending=True) == ["Visser", "jansen", "Dijkstra",
                                                                                 "Bakker"]


@pytest.mark.parametrize("raw", ["", "nonsense", "family_name; DROP TABLE persons", "Person.bsn", None])
def test_an_unknown_sort_key_sorts_by_name(session, chain, caseload, raw):
    assert register.sort_key(raw) == "name"
    assert _names(session, chain["regisseur"], sort=raw) == ["Bakker", "Dijkstra", "jansen", "Visser"]


def test_sorted_by_plan_status(session, chain, caseload):
    assert _names(session, chain["regisseur"], sort="plan") == ["Visser", "Bakker", "jansen", "Dijkstra"]
    assert _names(session, chain["regisseur"], sort="plan", descending=True) == ["Dijkstra", "jansen", "Bakker",
                                                                                 "Visser"]


def test_sorted_by_next_deadline_with_no_deadline_last_both_ways(session, chain, caseload):
    assert _names(session, chain["regisseur"], sort="deadline") == ["jansen", "Bakker", "Dijkstra", "Visser"]
    assert _names(session, chain["regisseur"], sort="deadline", descending=True) == ["Dijkstra", "Bakker", "jansen",
                                                                                     "Visser"]


def test_the_next_deadline_counts_only_actions_the_reader_sees(session, chain, caseload):
    regie = {r.name.split()[1]: r.next_deadline for r in register.list_persons(session, chain["regisseur"], TODAY)[0]}
    assert regie == {"Bakker": "2026-12-20", "Dijkstra": "2027-01-05", "jansen": "2026-12-01", "Visser": "—"}
    school = {r.name.split()[1]: r.next_deadline for r in register.list_persons(session, chain["taalschool"], TODAY)[0]}
    assert school == {"Bakker": "—", "Dijkstra": "—", "jansen": "2026-12-10", "Visser": "—"}  # shared, then own
    assert _names(session, chain["taalschool"], sort="deadline") == ["jansen", "Bakker", "Dijkstra", "Visser"]


def test_sorted_by_case_owner_with_nobody_named_last(session, chain, caseload):
    # Financien (Jansen's plan) before Regisseur (Dijkstra's); no case owner: by name after them
    assert _names(session, chain["regisseur"], sort="owner") == ["jansen", "Dijkstra", "Bakker", "Visser"]
    assert _names(session, chain["regisseur"], sort="owner", descending=True) == ["Dijkstra", "jansen", "Visser",
                                                                                  "Bakker"]


def test_sorted_by_municipality_for_coa_who_sees_every_municipality(session, chain, caseload, make_form):
    _person(session, chain, make_form, 9, "Aalders", actor="utrecht", municipality="Utrecht")
    assert _names(session, chain["coa"], sort="municipality") == ["Bakker", "Dijkstra", "jansen", "Visser", "Aalders"]
    assert _names(session, chain["coa"], sort="municipality", descending=True)[0] == "Aalders"


def test_the_status_columns(session, chain, caseload):
    rows = {r.name.split()[1]: r for r in register.list_persons(session, chain["regisseur"], TODAY)[0]}
    assert (rows["Dijkstra"].intake, rows["Dijkstra"].plan, rows["Dijkstra"].pip, rows["Dijkstra"].case_owner) == (
        "gehouden 2026-10-21", "Actief", "versie 2, B1-route", chain["regisseur"].name)
    assert (rows["Bakker"].intake, rows["Bakker"].plan, rows["Bakker"].pip, rows["Bakker"].case_owner) == (
        "gepland 2026-11-30", "Intake gepland", "nog niet vastgesteld", "—")
    assert (rows["jansen"].plan, rows["jansen"].case_owner) == ("Concept", chain["financien"].name)
    assert (rows["Visser"].intake, rows["Visser"].plan, rows["Visser"].pip) == ("—", "—", "geen PIP")


def test_the_pip_column_is_hidden_from_roles_without_the_learning_route(session, chain, caseload):
    register.record_consent(session, chain["regisseur"], caseload["Dijkstra"].id, chain["orgs"]["vwn"].id, "nl",
                            False, TODAY)
    [row] = register.list_persons(session, chain["vwn"], TODAY)[0]
    assert row.pip == "niet zichtbaar" and row.plan == "Actief"
    school = {r.name.split()[1]: r.pip for r in register.list_persons(session, chain["taalschool"], TODAY)[0]}
    assert school["Dijkstra"] == "versie 2, B1-route"


def test_search_and_sort_together_with_paging(session, chain, caseload):
    rows, total = register.list_persons(session, chain["regisseur"], TODAY, search="test", sort="deadline",
                                        page=1, page_size=2)
    assert total == 4 and [r.name.split()[1] for r in rows] == ["Dijkstra", "Visser"]


def _selects(session, call) -> list[str]:
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "persons" in statement:
            seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", listen)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return seen


@pytest.mark.parametrize("sort", ["name", "municipality", "plan", "deadline", "owner"])
def test_one_query_per_page_whatever_the_page_size(session, chain, caseload, make_form, sort):
    for n in range(10, 30):
        extra = _person(session, chain, make_form, n, "Extra" + chr(97 + n - 10))
        register.link_partner(session, chain["regisseur"], extra.id, chain["orgs"]["taalschool"].id, TODAY)
    session.flush()
    small = _selects(session, lambda: register.list_persons(session, chain["taalschool"], TODAY, sort=sort,
                                                            page_size=2))
    large = _selects(session, lambda: register.list_persons(session, chain["taalschool"], TODAY, sort=sort,
                                                            page_size=25))
    assert len(small) == len(large) == 2  # the count and the page: no query per person
