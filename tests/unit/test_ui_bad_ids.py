"""UI handlers called with ids that are not numbers ("abc", "1x", "²", a huge number) refuse cleanly, never crash.

The Reflex states are exercised directly: the actor is the one the login would give, the database is the
test database (``db_url`` makes it the app's), and each handler must return without raising and leave a
message where the page shows one.
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
import reflex as rx

from statushouders import register
from statushouders.ui import callbacks_ui
from statushouders.ui.auth_state import AuthState
from statushouders.ui.budget_state import BudgetState, RunsState
from statushouders.ui.letters_state import LettersState
from statushouders.ui.persons_state import FileState, PersonListState, RegisterState
from statushouders.ui.plan_state import MyActionsState, PlanState

TODAY = date(2026, 11, 22)
BAD_IDS = ["abc", "1x", "²", ""]


def _state(cls, actor, monkeypatch):
    async def current_actor(self):
        return actor

    monkeypatch.setattr(AuthState, "current_actor", current_actor)
    monkeypatch.setattr(AuthState, "today", staticmethod(lambda: TODAY))
    root = rx.State(_reflex_internal_init=True)
    return root.get_substate(cls.get_full_name().split(".")[1:])


def _run(handler, state, *args):
    result = handler.fn(state, *args)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


@pytest.fixture
def person(session, chain, make_form):
    p = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    session.commit()
    return p


@pytest.mark.parametrize("bad", BAD_IDS)
def test_payment_run_handlers_refuse_bad_ids(db_url, chain, session, monkeypatch, bad):
    session.commit()
    state = _state(RunsState, chain["financien"], monkeypatch)
    for handler in (RunsState.show, RunsState.approve, RunsState.cancel, RunsState.download):
        state.errors = {}
        _run(handler, state, bad)
        assert "bestaat niet" in state.errors["run"], handler


@pytest.mark.parametrize("bad", BAD_IDS)
def test_plan_handlers_refuse_bad_ids(db_url, chain, person, monkeypatch, bad):
    state = _state(PlanState, chain["regisseur"], monkeypatch)
    state.person_id = person.id
    _run(PlanState.start_edit, state, bad, bad)
    assert state.editing_id == 0
    _run(PlanState.remove_action, state, bad, bad)
    assert "verwijderd" in state.conflict
    _run(PlanState.update_status, state, {"action_id": bad, "version": bad, "status": "klaar"})
    _run(PlanState.toggle_presence, state, bad, True)
    assert "form" in state.errors or "invite" in state.errors
    _run(PlanState.invite, state, {"organisation": bad})
    assert "invite" in state.errors
    mine = _state(MyActionsState, chain["regisseur"], monkeypatch)
    _run(MyActionsState.update_status, mine, {"action_id": bad, "version": bad, "status": "klaar"})
    assert mine.errors["form"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_file_budget_letter_and_callback_handlers_refuse_bad_ids(db_url, chain, person, monkeypatch, bad):
    file_state = _state(FileState, chain["regisseur"], monkeypatch)
    file_state.person_id = person.id
    _run(FileState.withdraw, file_state, bad)
    assert "bestaat niet" in file_state.errors["form"]
    _run(FileState.add_consent, file_state, {"organisation": bad})
    assert "organisation" in file_state.errors
    budget = _state(BudgetState, chain["financien"], monkeypatch)
    budget.person_id = person.id
    _run(BudgetState.end_cost, budget, bad)
    assert budget.errors
    letters = _state(LettersState, chain["regisseur"], monkeypatch)
    letters.person_id = person.id
    _run(LettersState.download, letters, bad)
    assert letters.errors["list"]
    notice, error = asyncio.run(callbacks_ui.handle(chain["regisseur"], bad))
    assert notice == "" and "bestaat niet" in error


@pytest.mark.parametrize("bad", ["ab\u202ec", "\ud800", "x\x00"])
def test_search_and_household_rows_never_keep_bad_text_in_state(db_url, chain, session, monkeypatch, bad):
    session.commit()
    listing = _state(PersonListState, chain["regisseur"], monkeypatch)
    _run(PersonListState.apply_filters, listing, {"search": bad, "status": ""})
    assert listing.search == "" and listing.search_error
    form = _state(RegisterState, chain["regisseur"], monkeypatch)
    RegisterState.add_member.fn(form)
    RegisterState.set_member.fn(form, 0, "name", "Lina" + bad)
    assert form.household[0]["name"] == "" and "household.0.name" in form.errors
    RegisterState.set_member.fn(form, "x", "name", "Lina")  # a bad row index changes nothing
    RegisterState.remove_member.fn(form, "²")
    assert len(form.household) == 1


def test_score_typed_in_other_digits_gives_no_suggestion(db_url, chain, monkeypatch):
    state = _state(PlanState, chain["regisseur"], monkeypatch)
    PlanState.set_form_score.fn(state, "²")
    assert state.form_score == "" and state.suggestion == ""
