"""The Reflex app: routes of the staff pages. Domain rules live in the plain modules beside it."""

import os

import reflex as rx
from reflex.utils import prerequisites

from .ui.budget_pages import budget_page, runs_page
from .ui.budget_state import BudgetState, RunsState
from .ui.dashboard_page import dashboard_page
from .ui.dashboard_state import DashboardState
from .ui.own_pages import own_page
from .ui.own_pages import sign_in_page as own_sign_in_page
from .ui.own_state import OwnState
from .ui.letters_page import letters_page
from .ui.letters_state import LettersState
from .ui.personas_page import personas_page
from .ui.personas_state import PersonasState
from .ui.persons_state import FileState, PersonListState, RegisterState
from .ui.accounts_pages import account_page, admin_page
from .ui.accounts_state import AccountState, AdminState
from .ui.auth_state import START_PAGE, AuthState
from .ui.register_pages import file_page, login_page, oidc_callback_page, persons_page, register_page
from .ui.plan_pages import my_actions_page, plan_page
from .ui.plan_state import MyActionsState, PlanState
from .ui.outbox_page import outbox_page
from .ui.outbox_state import OutboxState
from .ui.today_page import today_page
from .ui.today_state import TodayState
from .ui.auditlog_page import auditlog_page
from .ui.auditlog_state import AuditLogState
from .http_headers import with_security_headers
from .ui.rollup_task import keep_audit_anchored, keep_rollup_fresh


def private_states_dir() -> None:
    """Reflex pickles every tab's state (personal data) into ``.states/`` in dev mode: owner only."""
    states = prerequisites.get_states_dir()
    states.mkdir(parents=True, exist_ok=True)
    os.chmod(states, 0o700)
    for path in states.iterdir():
        os.chmod(path, 0o600 if path.is_file() else 0o700)


private_states_dir()

app = rx.App(stylesheets=["/fonts.css", "/focus.css"], head_components=[rx.script(src="/focus_errors.js")],
             api_transformer=with_security_headers)
app.register_lifespan_task(keep_rollup_fresh)
app.register_lifespan_task(keep_audit_anchored)
app.add_page(login_page, route="/login", on_load=AuthState.load_login_page, title="Inloggen · Eén plan")
app.add_page(oidc_callback_page, route="/oidc/callback", on_load=AuthState.oidc_callback, title="Inloggen · Eén plan")
app.add_page(account_page, route="/account", on_load=AccountState.on_load, title="Mijn account · Eén plan")
app.add_page(admin_page, route="/beheer", on_load=AdminState.on_load, title="Accountbeheer · Eén plan")
app.add_page(outbox_page, route="/outbox", on_load=OutboxState.on_load, title="Uitgaande berichten · Eén plan")
app.add_page(lambda: rx.fragment(), route="/", on_load=rx.redirect(START_PAGE), title="Eén plan")
app.add_page(today_page, route=START_PAGE, on_load=TodayState.on_load, title="Vandaag · Eén plan")
app.add_page(persons_page, route="/personen", on_load=PersonListState.on_load, title="Statushouders · Eén plan")
app.add_page(register_page, route="/personen/nieuw", on_load=RegisterState.on_load, title="Registreren · Eén plan")
app.add_page(file_page, route="/dossier", on_load=FileState.on_load, title="Dossier · Eén plan")
app.add_page(own_sign_in_page, route="/mijn/inloggen", on_load=OwnState.on_sign_in_load, title="Mijn plan")
app.add_page(own_page, route="/mijn", on_load=OwnState.load, title="Mijn plan")
app.add_page(letters_page, route="/brieven", on_load=LettersState.on_load, title="Brieven · Eén plan")
app.add_page(plan_page, route="/plan", on_load=PlanState.on_load, title="Intake en plan · Eén plan")
app.add_page(my_actions_page, route="/acties", on_load=MyActionsState.on_load, title="Mijn acties · Eén plan")
app.add_page(budget_page, route="/budget", on_load=BudgetState.on_load, title="Budget · Eén plan")
app.add_page(runs_page, route="/betaalruns", on_load=RunsState.on_load, title="Betaalruns · Eén plan")
app.add_page(dashboard_page, route="/dashboard", on_load=DashboardState.on_load, title="Ketendashboard · Eén plan")
app.add_page(auditlog_page, route="/toegangslog", on_load=AuditLogState.on_load, title="Toegangslog · Eén plan")
app.add_page(auditlog_page, route="/geweigerd", on_load=AuditLogState.on_load,  # the refused ones (older links)
             title="Toegangslog · Eén plan")
app.add_page(personas_page, route="/personas", on_load=PersonasState.on_load, title="Persona's · Eén plan")
