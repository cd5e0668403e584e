"""State for the register pages: the list, the new-person form and one person's file."""

from __future__ import annotations

import dataclasses

import reflex as rx

from datetime import datetime, timezone

from .. import audit, case_owner, config, db, file_edit, own_access, own_slip, policy, register
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
    sort: str = register.DEFAULT_SORT  # from the URL (?sort=…&dir=desc), whitelisted by register.sort_key
    descending: bool = False

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
                register.list_persons, actor, self.today(), self.search, self.status, self.page, PAGE_SIZE,
                self.sort, self.descending,
            )
        except register.FormErrors as exc:
            self.search_error, self.rows, self.total = exc.errors.get("search", str(exc)), [], 0
            return
        self.search_error = ""
        self.rows = [dataclasses.asdict(row) for row in rows]

    @rx.var
    def sort_links(self) -> dict[str, str]:
        """Per sort key the link of its column header: the same key again turns the order around."""
        links = {}
        for key in register.SORT_KEYS:
            again = key == self.sort and not self.descending
            links[key] = f"/personen?sort={key}" + ("&dir=desc" if again else "")
        return links

    @rx.var
    def sort_states(self) -> dict[str, str]:
        """``aria-sort`` per sortable column."""
        return {key: ("descending" if self.descending else "ascending") if key == self.sort else "none"
                for key in register.SORT_KEYS}

    @rx.event
    async def on_load(self):
        query = self.router.url.query_parameters
        self.sort = register.sort_key(query.get("sort", ""))
        self.descending = str(query.get("dir", "")) == "desc"
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


EMPTY_MEMBER = {"name": "", "relationship": "child", "birth_date": "", "abroad": ""}


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
            value = ("on" if is_checked({key: value}, key) else "") if key == "abroad" else str(value)
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
    _own_code_expires_at: str = ""  # server only: the slip's expiry moment
    milestones: dict[str, str] = {}  # recordable chain milestones -> ISO date or ""
    callbacks: list[dict[str, str]] = []
    callback_notice: str = ""
    callback_error: str = ""
    case_owner: str = ""
    overall_label: str = ""
    # Editing the file (issue 18): the groups this actor may change, and the one editor that is open.
    editable: list[str] = []
    editing: str = ""
    edit_values: dict[str, str] = {}  # column -> value as the form shows it (uncontrolled inputs start from it)
    edit_version: str = ""  # the group's version when the editor was opened (a hidden field sends it back)
    edit_members: list[dict[str, str]] = []
    edit_errors: dict[str, str] = {}
    edit_conflict: str = ""  # someone else saved first: the newer values are shown
    stale_attempt: list[str] = []  # what this user typed then, so nothing is lost
    edit_key: int = 0  # remounts the editor's inputs when they must show other values
    changes: list[dict[str, str]] = []
    budget_warning: str = ""
    budget_link: str = ""

    async def _load(self, actor: Actor):
        self.denied = ""
        try:
            person_file = await db.call(
                register.open_file, actor, self.person_id, self.today(), policy.ORGANISATION_KINDS[actor.kind].purpose_label
            )
        except AccessDenied as exc:
            self.denied, self.groups, self.title, self.callbacks = str(exc), [], "", []
            self.editable, self.editing, self.changes, self.budget_warning = [], "", [], ""
            return
        self.title = person_file.display_name
        self.case_owner, self.overall_label = await db.call(case_owner.file_line, self.person_id)
        self.callbacks = await callbacks_ui.load(actor, self.today(), self.person_id)
        editable = policy.edit_groups(actor)
        self.editable = [key for key in policy.FIELD_GROUPS if key in editable]
        self.groups = [
            {"key": key, "label": _(policy.GROUP_LABELS[key]), "fields": [list(pair) for pair in pairs],
             "editable": key in editable}
            for key, pairs in person_file.groups.items()
        ]
        try:
            self.changes = [dataclasses.asdict(c) for c in
                            await db.call(file_edit.history, actor, self.person_id, self.today())]
            warning = await db.call(file_edit.budget_warning, actor, self.person_id, self.today())
        except AccessDenied:  # access ended between the reads (a consent withdrawn just now)
            self.changes, warning = [], None
        self.budget_warning, self.budget_link = (warning.message, warning.href) if warning else ("", "")
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
                    "at": config.local_time(e.at),
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
        self._close_editor()
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
        self.own_code_expires = config.local_time(expires)
        self._own_code_expires_at = expires.isoformat()

    @rx.event
    async def download_own_slip(self):
        """The printable slip for the code just issued (the code comes from the server's state, never the page)."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        if not self.own_code or not self._own_code_expires_at:
            self.errors = {"own_code": _("Maak eerst een inlogcode.")}
            return
        try:
            pdf = await db.call(own_slip.slip_for, actor, self.person_id, self.own_code,
                                datetime.fromisoformat(self._own_code_expires_at))
        except AccessDenied as exc:
            self.errors = {"own_code": str(exc)}
            return
        return rx.download(data=pdf, filename="inlogbriefje.pdf", mime_type="application/pdf")

    # --- editing the file (issue 18) --------------------------------------------------------------

    def _close_editor(self) -> None:
        self.editing, self.edit_values, self.edit_version, self.edit_members = "", {}, "", []
        self.edit_errors, self.edit_conflict, self.stale_attempt = {}, "", []

    def _open_editor(self, form: file_edit.EditForm) -> None:
        self.editing, self.edit_version = form.group, form.version
        self.edit_values, self.edit_members = dict(form.values), [dict(m) for m in form.members]
        self.edit_errors, self.edit_conflict, self.stale_attempt = {}, "", []
        self.edit_key += 1

    @rx.event
    async def start_edit(self, group: str):
        """Open the editor of one field group; the server decides whether this actor may change it."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.notice = ""
        try:
            form = await db.call(file_edit.edit_form, actor, self.person_id, str(group), self.today())
        except register.FormErrors as exc:
            self._close_editor()
            self.edit_errors = {"form": exc.errors.get("form", str(exc))}
            return
        except AccessDenied as exc:
            self._close_editor()
            self.edit_errors = {"form": str(exc)}
            return
        self._open_editor(form)
        return rx.call_script(FOCUS_EDITOR)

    @rx.event
    def cancel_edit(self):
        self._close_editor()

    def _typed(self, values: dict) -> list[str]:
        """What the user changed in the editor, as "Label: value" lines (kept when a save comes too late)."""
        lines = []
        for column, value in values.items():
            if column not in self.edit_values or column not in file_edit.LABELS:
                continue
            if column in file_edit.CHECKBOXES:
                typed = "on" if is_checked(values, column) else ""
                shown = _("ja") if typed else _("nee")
            else:
                typed = shown = str(value).strip() if isinstance(value, str) else ""
            if typed != self.edit_values[column] and not char_problem(shown):
                lines.append(f"{_(file_edit.LABELS[column])}: {shown}")
        return lines

    async def _conflict(self, actor: Actor, exc: file_edit.StaleFile, typed: list[str]):
        self.edit_conflict, self.stale_attempt, self.edit_errors = str(exc), typed, {}
        if self.editing == policy.FAMILY:
            self.edit_members = [dict(m) for m in exc.values]
        else:
            self.edit_values = dict(exc.values)
        self.edit_version = exc.version
        self.edit_key += 1
        await self._load(actor)

    @rx.event
    async def save_edit(self, form: dict):
        """Save the open editor. The group and version come from the form: both are checked on the server."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        form = form if isinstance(form, dict) else {}
        group, version = str(form.get("group", "")), str(form.get("version", ""))
        values = {k: v for k, v in form.items() if k not in ("group", "version")}
        try:
            changed = await db.call(file_edit.update_group, actor, self.person_id, group, version, values,
                                    self.today())
        except file_edit.StaleFile as exc:
            return await self._conflict(actor, exc, self._typed(values))
        except register.FormErrors as exc:  # the typed values stay in the inputs (no remount)
            self.edit_errors, self.edit_conflict = exc.errors, ""
            return
        except AccessDenied as exc:
            self.edit_errors = {"form": str(exc)}
            return
        self._close_editor()
        self.notice = (_("Opgeslagen: {fields}.").format(fields=", ".join(_(label) for label in changed))
                       if changed else _("Er was niets gewijzigd."))
        await self._load(actor)
        return rx.call_script(FOCUS_NOTICE)

    async def _member_change(self, func, *args, prefix: str, notice: str):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            await db.call(func, actor, self.person_id, *args, self.today())
        except file_edit.StaleFile as exc:
            return await self._conflict(actor, exc, [])
        except register.FormErrors as exc:
            self.edit_errors = {f"{prefix}-{key}": message for key, message in exc.errors.items()}
            self.edit_conflict = ""
            return
        except AccessDenied as exc:
            self.edit_errors = {"form": str(exc)}
            return
        form = await db.call(file_edit.edit_form, actor, self.person_id, policy.FAMILY, self.today())
        self._open_editor(form)
        self.notice = notice
        await self._load(actor)

    @staticmethod
    def _member_values(form: dict) -> dict:
        return {**{key: str(form.get(key, "")) for key in ("name", "relationship", "birth_date")},
                "abroad": "on" if is_checked(form, "abroad") else ""}

    @rx.event
    async def save_member(self, form: dict):
        form = form if isinstance(form, dict) else {}
        member = id_or_zero(form.get("member_id", ""))
        return await self._member_change(file_edit.update_member, member, str(form.get("version", "")),
                                         self._member_values(form), prefix=f"member-{member}",
                                         notice=_("Gezinslid gewijzigd."))

    @rx.event
    async def add_member(self, form: dict):
        form = form if isinstance(form, dict) else {}
        return await self._member_change(file_edit.add_member, str(form.get("version", "")),
                                         self._member_values(form), prefix="member-new",
                                         notice=_("Gezinslid toegevoegd."))

    @rx.event
    async def remove_member(self, member_id: str):
        member = id_or_zero(member_id)
        return await self._member_change(file_edit.remove_member, member, self.edit_version,
                                         prefix=f"member-{member}", notice=_("Gezinslid verwijderd."))


FOCUS_EDITOR = ("setTimeout(() => document.querySelector('#file-editor input:not([type=hidden]), #file-editor select, "
                "#file-editor textarea')?.focus(), 50)")
FOCUS_NOTICE = "setTimeout(() => document.getElementById('file-notice')?.focus(), 50)"
