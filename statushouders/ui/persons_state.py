"""State for the register pages: the list, the new-person form and one person's file."""

from __future__ import annotations

import dataclasses

import reflex as rx

from datetime import datetime, timezone

from .. import audit, case_owner, db, own_access, policy, register
from ..policy import AccessDenied, Actor
from . import callbacks_ui
from .auth_state import LOGIN_PAGE, AuthState
from ..validation import char_problem, id_or_zero, is_checked, parse_id, parse_int
from .i18n import _

PAGE_SIZE = 25


class PersonListState(AuthState):
    """The persons the signed-in actor may see, one page at a time."""

    rows: list[dict] = []
    total: int = 0
    page: int = 0
    search: str = ""
    status: str = ""
    search_error: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.var
    def page_label(self) -> str:
        return _("Pagina {page} van {count} ({total} personen)").format(
            page=self.page + 1, count=self.page_count, total=self.total
        )

    async def _load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            rows, self.total = await db.call(
                register.list_persons, actor, self.today(), self.search, self.status, self.page, PAGE_SIZE
            )
        except register.FormErrors as exc:
            self.search_error, self.rows, self.total = exc.errors.get("search", str(exc)), [], 0
            return
        self.search_error = ""
        self.rows = [dataclasses.asdict(row) for row in rows]

    @rx.event
    async def on_load(self):
        self.page = 0
        return await self._load()

    @rx.event
    async def apply_filters(self, form: dict):
        search, status = str(form.get("search", "")), str(form.get("status", ""))
        problem = char_problem(search, _("Zoeken")) or char_problem(status)
        if problem:  # never keep it in state: a lone surrogate cannot even be sent back to the browser
            self.search, self.status, self.search_error, self.rows, self.total = "", "", problem, [], 0
            return
        self.search, self.status = search, status
        self.page = 0
        return await self._load()

    @rx.event
    async def next_page(self):
        if self.page + 1 < self.page_count:
            self.page += 1
        return await self._load()

    @rx.event
    async def previous_page(self):
        self.page = max(0, self.page - 1)
        return await self._load()


EMPTY_MEMBER = {"name": "", "relationship": "child", "birth_date": ""}


def _row_index(raw) -> int:
    """A household row index from the browser; -1 (no row) for anything but a small whole number."""
    value = parse_int(raw, 0, 1000)
    return -1 if value is None else value


class RegisterState(AuthState):
    """The new-statushouder form: field errors, household rows and the duplicate warning."""

    errors: dict[str, str] = {}
    household: list[dict[str, str]] = []
    duplicates: list[str] = []
    form_error: str = ""
    _pending: dict = {}

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.errors, self.duplicates, self.form_error, self.household = {}, [], "", []

    @rx.event
    def add_member(self):
        self.household = [*self.household, dict(EMPTY_MEMBER)]

    @rx.event
    def remove_member(self, index: int):
        index = _row_index(index)
        self.household = [m for i, m in enumerate(self.household) if i != index]

    @rx.event
    def set_member(self, index: int, key: str, value: str):
        index = _row_index(index)
        if 0 <= index < len(self.household) and key in EMPTY_MEMBER:
            value = str(value)
            problem = char_problem(value)
            if problem:  # the typed text stays out of state (it goes back to the browser); the field says why
                self.errors = {**self.errors, f"household.{index}.{key}": problem}
                return
            members = [dict(m) for m in self.household]
            members[index][key] = value
            self.household = members

    async def _submit(self, form: dict, confirmed: bool):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            if not confirmed:
                # Its own transaction: the audit of the duplicates it shows commits although nothing is saved.
                found = await db.call(register.precheck, actor, form, self.household, self.today())
                if found.hard:
                    raise register.FormErrors(found.hard)
                if found.soft:
                    raise register.DuplicateFound(found.soft)
            person = await db.call(register.register, actor, form, self.household, self.today(), confirmed)
        except register.FormErrors as exc:
            self.errors, self.duplicates = exc.errors, []
            self.form_error = _("Het formulier is niet opgeslagen: verbeter de gemarkeerde velden.")
            return
        except register.DuplicateFound as exc:
            self.errors, self.duplicates, self._pending = {}, exc.matches, form
            self.form_error = ""
            return
        except AccessDenied as exc:
            self.form_error = str(exc)
            return
        self.errors, self.duplicates, self.form_error, self._pending = {}, [], "", {}
        return rx.redirect(f"/dossier?id={person.id}")

    @rx.event
    async def submit(self, form: dict):
        return await self._submit(form, confirmed=False)

    @rx.event
    async def confirm_duplicate(self):
        return await self._submit(self._pending, confirmed=True)

    @rx.event
    def cancel_duplicate(self):
        self.duplicates, self._pending = [], {}


class FileState(AuthState):
    """One person's file as the actor may see it, with consents and the access log."""

    person_id: int = 0
    title: str = ""
    groups: list[dict] = []
    household: list[dict[str, str]] = []
    hidden_groups: list[str] = []
    denied: str = ""
    consents: list[dict] = []
    consent_options: list[list[str]] = []
    link_options: list[list[str]] = []
    accesses: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    notice: str = ""
    own_code: str = ""
    own_code_expires: str = ""
    milestones: dict[str, str] = {}  # recordable chain milestones -> ISO date or ""
    callbacks: list[dict[str, str]] = []
    callback_notice: str = ""
    callback_error: str = ""
    case_owner: str = ""
    overall_label: str = ""

    async def _load(self, actor: Actor):
        self.denied = ""
        try:
            person_file = await db.call(
                register.open_file, actor, self.person_id, self.today(), policy.ORGANISATION_KINDS[actor.kind].purpose_label
            )
        except AccessDenied as exc:
            self.denied, self.groups, self.title, self.callbacks = str(exc), [], "", []
            return
        self.title = person_file.display_name
        self.case_owner, self.overall_label = await db.call(case_owner.file_line, self.person_id)
        self.callbacks = await callbacks_ui.load(actor, self.today(), self.person_id)
        self.groups = [
            {"label": _(policy.GROUP_LABELS[key]), "fields": [list(pair) for pair in pairs]}
            for key, pairs in person_file.groups.items()
        ]
        self.household = person_file.household
        self.hidden_groups = [_(label) for label in person_file.hidden_groups]
        self.consents, self.consent_options, self.link_options, self.accesses = [], [], [], []
        if self.can_register:
            rows = await db.call(register.consents_of, actor, self.person_id, self.today())
            self.consents = [dataclasses.asdict(row) for row in rows]
            self.consent_options = await db.call(register.partner_organisations, policy.CONSENT)
            self.link_options = await db.call(register.partner_organisations, policy.CONTRACT)
        recordable = [key for key, who in policy.MAY_RECORD_MILESTONE.items() if actor.key in who]
        self.milestones = {}
        if recordable:
            recorded = await db.call(register.milestones_of, self.person_id)
            self.milestones = {key: recorded[key] for key in recordable}
        if self.can_read_audit:
            entries = await db.call(audit.accesses_to, actor, self.person_id)
            self.accesses = [
                {
                    "at": e.at.strftime("%Y-%m-%d %H:%M"),
                    "who": e.user_name,
                    "organisation": e.organisation,
                    "role": e.role,
                    "action": e.action,
                    "what": e.what,
                    "why": e.why,
                }
                for e in entries
            ]

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.person_id = self.person_id_from_url()
        self.errors, self.notice, self.own_code = {}, "", ""
        self.callback_notice, self.callback_error = "", ""
        await self._load(actor)

    @rx.event
    async def handle_callback(self, request_id: str, outcome: str = "reached"):
        """The signed-in staff member called this person back; checked on the server."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.callback_notice, self.callback_error = await callbacks_ui.handle(actor, str(request_id), str(outcome))
        await self._load(actor)
        return rx.call_script(callbacks_ui.FOCUS_MESSAGE)

    async def _change(self, func, *args, notice: str):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            await db.call(func, actor, *args)
        except register.FormErrors as exc:
            self.errors, self.notice = exc.errors, ""
            return
        except AccessDenied as exc:
            self.errors, self.notice = {"form": str(exc)}, ""
            return
        self.errors, self.notice = {}, notice
        await self._load(actor)

    @rx.event
    async def add_consent(self, form: dict):
        org = parse_id(form.get("organisation", ""))
        if org is None:
            self.errors = {"organisation": _("Kies een partnerorganisatie.")}
            return
        return await self._change(
            register.record_consent,
            self.person_id,
            org,
            str(form.get("language") or "nl"),
            is_checked(form, "interpreter_present"),
            self.today(),
            notice=_("Toestemming vastgelegd."),
        )

    @rx.event
    async def withdraw(self, consent_id: int):
        return await self._change(
            register.withdraw_consent, id_or_zero(consent_id), self.today(), notice=_("Toestemming ingetrokken.")
        )

    @rx.event
    async def link(self, form: dict):
        org = parse_id(form.get("organisation", ""))
        if org is None:
            self.errors = {"link": _("Kies een partnerorganisatie.")}
            return
        return await self._change(
            register.link_partner, self.person_id, org, self.today(), notice=_("Partner gekoppeld.")
        )

    @rx.event
    async def save_move_date(self, form: dict):
        return await self._change(
            register.set_move_date,
            self.person_id,
            str(form.get("move_date", "")),
            self.today(),
            notice=_("Verhuisdatum vastgelegd."),
        )

    @rx.event
    async def save_milestone(self, form: dict):
        """One milestone form: which date is named by the submitted field, the rest is checked server-side."""
        key = next((k for k in register.MILESTONE_LABELS if k in form), "")
        return await self._change(
            register.set_milestone, self.person_id, key, str(form.get(key, "")), self.today(),
            notice=_("Mijlpaal vastgelegd."),
        )

    @rx.event
    async def issue_own_code(self):
        """A one-time code for the person's own view; shown once, to hand over in person or by phone."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            code, expires = await db.call(own_access.issue_code, actor, self.person_id, datetime.now(timezone.utc))
        except AccessDenied as exc:
            self.errors = {"own_code": str(exc)}
            return
        self.errors, self.own_code = {}, code
        self.own_code_expires = expires.astimezone().strftime("%Y-%m-%d %H:%M")
