"""State of the intake and plan page (/plan?id=N) and of "my actions" (/acties).

All rules live in ``plans``, ``pip`` and ``plan_policy``; this only calls them with the
actor resolved on the server and shows their Dutch messages next to the fields.
A background event polls the plan's revision every two seconds so partners in the
same intake see each other's changes without reloading.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from urllib.parse import urlencode

import reflex as rx

from .. import agenda, callbacks, case_owner, db, life_events, overall_level, pip, plans, policy, register
from ..plan_templates import LEVELS, suggested_level
from ..policy import AccessDenied
from ..register import FormErrors
from . import callbacks_ui
from .auth_state import LOGIN_PAGE, AuthState
from ..validation import id_or_zero, is_checked, parse_id, parse_int
from .i18n import _

POLL_SECONDS = 2.0
ASSESSMENT_FIELDS = ("domain", "score", "level", "level_reason", "relevance", "situation", "goals")
WATCH_HOURS = 4


class PlanState(AuthState):
    """One person's intake and plan as the signed-in actor may see it."""

    person_id: int = 0
    denied: str = ""
    person_name: str = ""
    exists: bool = False
    status: str = ""
    status_label: str = ""
    revision: int = 0
    regie: bool = False
    intake_at: str = ""
    intake_location: str = ""
    interpreter_present: bool = False
    interpreter_language: str = ""
    brp_date: str = ""
    family_reunification: bool = False
    diplomas: str = ""
    occupation: str = ""
    goal: str = ""
    learnability_score: str = ""
    health_shared: bool = False
    intake_held_at: str = ""
    intake_outside_hours_reason: str = ""
    participants: list[dict] = []
    assessments: list[dict] = []
    hidden_domains: int = 0
    private_notes: str = ""
    private_held: bool = False
    sees_private: bool = False
    actions: list[dict] = []
    owners: list[str] = []
    warnings: list[str] = []
    milestones: list[str] = []
    agreed_at: str = ""
    agreement_note: str = ""
    history: list[dict] = []
    sees_pip: bool = False
    no_pip_reason: str = ""
    route_advice: str = ""
    route_advice_reason: str = ""
    pip_versions: list[dict] = []
    linked_pips: list[dict] = []
    may_record_hours: bool = False
    overall_level: str = ""
    overall_label: str = ""
    overall_explanation: str = ""
    overall_chosen: bool = False
    overall_reason: str = ""
    case_owner: str = ""
    case_owner_options: list[list[str]] = []
    abroad_members: list[list[str]] = []
    life_events: list[dict] = []
    # agenda (issue 18): invitations by e-mail, the partner's own answer, progress talks
    reference: str = ""
    intake_interpreter_email: str = ""
    my_response: str = ""
    may_respond: bool = False
    talks: list[dict] = []
    talk_choice: str = ""  # the progress talk the form moves ("" = a new one)
    # The life-event form: the chosen kind decides which fields show; a preview must come before saving.
    event_kind: str = ""
    event_preview: list[str] = []
    event_warnings: list[str] = []
    event_key: int = 0
    _event_form: dict = {}

    consents: list[dict] = []
    organisation_options: list[list[str]] = []
    consent_options: list[list[str]] = []
    worker_options: list[list[str]] = []
    errors: dict[str, str] = {}
    notice: str = ""
    conflict: str = ""
    editing_id: int = 0
    editing_version: int = 0
    form_score: str = ""
    # The life-domain form: the values it opens with and a React key that remounts it
    # (choosing a recorded domain loads it; a successful save empties it, nothing carries over).
    assess_form: dict[str, str] = {}
    assess_key: int = 0
    _watch_token: int = 0

    @rx.var
    def suggestion(self) -> str:
        """The level the score suggests, shown while the professional chooses."""
        score = parse_int(self.form_score, 1, 5)
        if score is not None:
            level = suggested_level(score)
            return _("Voorgesteld bij score {score}: {level}").format(score=self.form_score, level=LEVELS[level])
        return ""

    @rx.var
    def summary_lines(self) -> list[str]:
        """Who does what by when: the agreements read out at the end of the intake."""
        return [
            f"{a['owner']}: {a['what']} — {_('uiterlijk')} {a['due_date'] or '?'}"
            + (f" · {_('zelf')}: {a['own_part']}" if a["own_part"] else "")
            for a in self.actions
        ]

    def _apply(self, view: plans.PlanView) -> None:
        for f in dataclasses.fields(view):
            if f.name != "person_id":
                setattr(self, f.name, getattr(view, f.name))

    async def _load(self, actor: policy.Actor) -> None:
        self.denied = ""
        try:
            view = await db.call(plans.load_plan, actor, self.person_id, self.today())
        except AccessDenied as exc:
            self.denied, self.exists, self.actions, self.person_name = str(exc), False, [], ""
            return
        self._apply(view)
        self.may_record_hours = actor.key in {("gemeente", "regisseur"), ("taalschool", "docent")}
        self.consents = []
        if self.regie:
            rows = await db.call(register.consents_of, actor, self.person_id, self.today())
            self.consents = [dataclasses.asdict(row) for row in rows]
        if self.regie and not self.organisation_options:
            self.organisation_options = await db.call(plans.invite_options)
            self.consent_options = await db.call(register.partner_organisations, policy.CONSENT)
            self.worker_options = await db.call(plans.workers_of)
        elif not self.organisation_options:
            self.organisation_options = [[str(actor.organisation_id), actor.organisation]]
            self.worker_options = [w for w in await db.call(plans.workers_of) if w[2] == str(actor.organisation_id)]

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.person_id = self.person_id_from_url()
        self.errors, self.notice, self.conflict, self.editing_id, self.form_score = {}, "", "", 0, ""
        self.talk_choice = ""
        self.organisation_options, self.consent_options, self.worker_options = [], [], []
        await self._load(actor)
        return PlanState.watch

    @rx.event(background=True)
    async def watch(self):
        """Reload when someone else changed this plan (polls one integer every 2 seconds)."""
        async with self:
            self._watch_token += 1
            token, person_id = self._watch_token, self.person_id
        deadline = time.monotonic() + WATCH_HOURS * 3600
        while time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            async with self:
                if self._watch_token != token or self.person_id != person_id or self.denied:
                    return
                if not str(self.router.url.path).startswith("/plan"):
                    return  # the user left the page: stop polling (a later visit starts a new watch)
                known = self.revision
            current = await db.call(plans.plan_revision, person_id)
            if current == known:
                continue
            async with self:
                if self._watch_token != token:
                    return
                actor = await self.current_actor()
                if actor is None:
                    return
                await self._load(actor)

    async def _do(self, func, *args, notice: str = "", prefix: str = ""):
        """Run one change; show field messages (prefixed per form) or the notice, then reload."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.conflict = ""
        try:
            result = await db.call(func, actor, *args)
        except FormErrors as exc:
            self.errors, self.notice = {prefix + k: v for k, v in exc.errors.items()}, ""
            return None
        except AccessDenied as exc:
            self.errors, self.notice = {"form": str(exc)}, ""
            return None
        except plans.StaleAction as exc:
            self.errors, self.notice = {}, ""
            self.conflict = str(exc)
            if exc.latest:
                self.editing_version = id_or_zero(exc.latest["version"])
            else:
                self.editing_id = 0
            await self._load(actor)
            return None
        self.errors, self.notice = {}, notice
        await self._load(actor)
        return result

    # --- intake ---------------------------------------------------------------------------------

    @rx.event
    async def schedule(self, form: dict):
        await self._do(plans.schedule_intake, self.person_id, str(form.get("intake_at", "")),
                       str(form.get("intake_location", "")), self.today(), str(form.get("intake_reason", "")),
                       str(form.get("intake_interpreter_email", "") or ""),
                       notice=_("Intake gepland. De uitgenodigde partners krijgen een agenda-uitnodiging per e-mail."))

    @rx.var
    def planned_talks(self) -> list[list[str]]:
        """[id, when] of the progress talks that can still be moved or called off."""
        return [[t["id"], t["when"]] for t in self.talks if t["planned"]]

    @rx.var
    def talk_form(self) -> dict[str, str]:
        """What the progress-talk form opens with: the chosen talk's values, or empty for a new one."""
        talk = next((t for t in self.talks if t["id"] == self.talk_choice and t["planned"]), None)
        if talk is None:
            return {"at": "", "where": "", "interpreter_email": "", "key": "new"}
        return {"at": talk["at"], "where": talk["where"], "interpreter_email": talk["interpreter_email"],
                "key": f"{talk['id']}-{talk['version']}"}

    @rx.event
    def choose_talk(self, value: str):
        self.talk_choice = str(value or "")

    @rx.event
    async def cancel_intake(self, form: dict):
        await self._do(plans.cancel_intake, self.person_id, self.today(), str(form.get("intake_cancel_reason", "")),
                       notice=_("Intake afgezegd. De uitgenodigde partners krijgen een afzegging."))

    @rx.event
    async def respond(self, coming: bool):
        """"Ik kom" / "ik kom niet" for the signed-in user's own organisation (checked on the server)."""
        changed = await self._do(plans.respond_to_intake, self.person_id, bool(coming), self.today())
        if changed is not None:
            self.notice = _("Uw antwoord is doorgegeven: u komt.") if coming else _(
                "Uw antwoord is doorgegeven: u komt niet.")

    @rx.event
    async def schedule_talk(self, form: dict):
        values = {key: str(form.get(key, "") or "") for key in
                  ("talk_at", "talk_location", "talk_reason", "talk_interpreter_email")}
        values["talk_id"] = self.talk_choice
        done = await self._do(agenda.schedule_progress_talk, self.person_id, values, self.today())
        if done is not None:
            self.notice = _("Voortgangsgesprek gepland. De uitgenodigde partners krijgen een uitnodiging.") if not \
                self.talk_choice else _("Voortgangsgesprek gewijzigd. De partners krijgen de nieuwe uitnodiging.")
            self.talk_choice = ""

    @rx.event
    async def cancel_talk(self, talk_id: str):
        await self._do(agenda.cancel_progress_talk, self.person_id, str(talk_id), "", self.today(),
                       notice=_("Voortgangsgesprek afgezegd. De partners krijgen een afzegging."))
        if str(talk_id) == self.talk_choice:
            self.talk_choice = ""

    @rx.event
    async def mark_held(self):
        await self._do(plans.mark_intake_held, self.person_id, self.today(), notice=_("Intake vastgelegd als gehouden."))

    @rx.event
    async def invite(self, form: dict):
        org = parse_id(form.get("organisation", ""))
        if org is None:
            self.errors = {"invite": _("Kies een partnerorganisatie.")}
            return
        await self._do(plans.invite, self.person_id, org, self.today(), notice=_("Partner uitgenodigd."))

    @rx.event
    async def toggle_presence(self, organisation_id: str, present: bool):
        await self._do(plans.set_presence, self.person_id, id_or_zero(organisation_id), bool(present), self.today())

    @rx.event
    async def save_details(self, form: dict):
        await self._do(plans.save_intake_details, self.person_id, form, self.today(),
                       notice=_("Intakegegevens opgeslagen."))

    @rx.event
    async def add_consent(self, form: dict):
        org = parse_id(form.get("organisation", ""))
        if org is None:
            self.errors = {"consent": _("Kies een partnerorganisatie.")}
            return
        await self._do(register.record_consent, self.person_id, org, str(form.get("language") or "nl"),
                       is_checked(form, "consent_interpreter"), self.today(),
                       notice=_("Toestemming vastgelegd."), prefix="consent_")

    @rx.var
    def overall_choice(self) -> str:
        """The overall select shows a chosen level; a derived one shows as 'derived' (empty)."""
        return self.overall_level if self.overall_chosen else ""

    @rx.event
    async def set_overall(self, form: dict):
        await self._do(overall_level.set_overall, self.person_id, str(form.get("overall_level", "")),
                       str(form.get("overall_reason", "")), self.today(), notice=_("Overall niveau opgeslagen."))

    @rx.event
    async def hand_over(self, form: dict):
        name = await self._do(case_owner.hand_over, self.person_id, str(form.get("case_owner", "")), self.today())
        if name is not None:
            self.notice = _("De regie is overgedragen aan {name}.").format(name=name)

    # --- life events ------------------------------------------------------------------------------

    @rx.event
    def choose_event_kind(self, value: str):
        self.event_kind = value if value in life_events.KINDS else ""
        self.event_preview, self.event_warnings, self._event_form = [], [], {}

    @rx.event
    async def preview_event(self, form: dict):
        """Show what the event will change; nothing is saved until 'Vastleggen'."""
        form = {k: str(v) for k, v in form.items() if k in life_events.FIELDS}
        shown = await self._do(life_events.preview, self.person_id, form, self.today(), prefix="event_")
        self.event_preview, self.event_warnings, self._event_form = [], [], {}
        if shown is not None:
            self.event_preview = [c.text for c in shown.changes]
            self.event_warnings, self._event_form = list(shown.warnings), form

    @rx.event
    async def record_event(self):
        if not self._event_form:
            self.errors = {"event_event_kind": _("Bekijk eerst wat de gebeurtenis verandert.")}
            return
        done = await self._do(life_events.record, self.person_id, self._event_form, self.today(), prefix="event_")
        self.event_preview, self.event_warnings, self._event_form = [], [], {}
        if done is None:
            return
        self.event_kind, self.event_key = "", self.event_key + 1
        self.notice = _("Levensgebeurtenis vastgelegd: {n} wijziging(en).").format(n=len(done.changes))
        if done.letter:
            self.notice += " " + await self._letter(done.letter)

    async def _letter(self, letter_type: str) -> str:
        """The letter the person gets after an event, made and archived like on the letters page."""
        from ..letters import archive, pool
        from ..letters.render import LetterError

        actor = await self.current_actor()
        try:
            context = await db.call(archive.prepare, actor, self.person_id, letter_type, {}, self.today())
            rendered = await pool.render_async(context)
            record = await db.call(archive.store, actor, self.person_id, rendered, context)
        except (AccessDenied, LetterError, ValueError) as exc:
            return _("De brief kon niet worden gemaakt: {reason}").format(reason=str(exc))
        return _("Brief {reference} aan de persoon gemaakt en bewaard (zie Brieven).").format(reference=record.reference)

    @rx.event
    def set_form_score(self, value: str):
        self.form_score = value if parse_int(value, 1, 5) is not None else ""

    def _open_assessment(self, values: dict[str, str]) -> None:
        self.assess_form, self.form_score = values, values.get("score", "")
        self.assess_key += 1

    @rx.event
    def edit_assessment(self, domain: str):
        """Choosing a domain (in the select or with 'Wijzigen') loads what was recorded for it."""
        row = next((a for a in self.assessments if a["domain"] == domain), None)
        if row is not None:
            self._open_assessment({**{key: str(row.get(key, "")) for key in ASSESSMENT_FIELDS}, "recorded": "1"})
        elif self.assess_form.get("recorded"):
            self._open_assessment({"domain": str(domain)})  # from a recorded domain to a new one: empty the rest
        else:
            self.assess_form = {**self.assess_form, "domain": str(domain)}  # keep what was typed

    @rx.event
    def clear_assessment(self):
        self._open_assessment({})
        self.errors = {}

    @rx.event
    async def save_assessment(self, form: dict):
        result = await self._do(plans.save_assessment, self.person_id, form, self.today(),
                                notice=_("Leefgebied opgeslagen."), prefix="assess_")
        if result is not None:
            self._open_assessment({})

    @rx.event
    async def remove_assessment(self, domain: str):
        await self._do(plans.remove_assessment, self.person_id, domain, self.today(), notice=_("Leefgebied verwijderd."))

    @rx.event
    async def save_private(self, form: dict):
        await self._do(plans.save_private, self.person_id, str(form.get("private_notes", "")),
                       is_checked(form, "private_held"), self.today(), notice=_("Vertrouwelijk deel opgeslagen."))

    @rx.event
    async def generate(self):
        count = await self._do(plans.generate_draft, self.person_id, self.today(), prefix="")
        if count is not None:
            self.notice = _("Conceptplan gemaakt: {count} acties uit de sjablonen.").format(count=count)

    # --- actions --------------------------------------------------------------------------------

    @rx.event
    async def add_action(self, form: dict):
        await self._do(plans.add_action, self.person_id, _action_form(form), self.today(),
                       notice=_("Actie toegevoegd."), prefix="new_")

    @rx.event
    def start_edit(self, action_id: int, version: int):
        self.editing_id, self.editing_version, self.conflict = id_or_zero(action_id), id_or_zero(version), ""
        self.errors = {}

    @rx.event
    def cancel_edit(self):
        self.editing_id, self.conflict, self.errors = 0, "", {}

    @rx.event
    async def save_edit(self, form: dict):
        result = await self._do(plans.update_action, self.editing_id, self.editing_version, _action_form(form),
                                self.today(), notice=_("Actie opgeslagen."), prefix="edit_")
        if result is not None:
            self.editing_id = 0

    @rx.event
    async def remove_action(self, action_id: int, version: int):
        await self._do(plans.remove_action, id_or_zero(action_id), id_or_zero(version), self.today(), notice=_("Actie verwijderd."))

    @rx.event
    async def update_status(self, form: dict):
        action_id, version = id_or_zero(form.get("action_id")), id_or_zero(form.get("version"))
        await self._do(plans.set_status, action_id, version, str(form.get("status", "")),
                       str(form.get("blocked_reason", "")), self.today(), notice=_("Status bijgewerkt."),
                       prefix=f"status_{action_id}_")

    @rx.event
    async def agree(self, form: dict):
        await self._do(plans.agree, self.person_id, str(form.get("agreement_note", "")), self.today(),
                       notice=_("Instemming vastgelegd: het plan is actief."))

    # --- PIP ------------------------------------------------------------------------------------

    @rx.event
    async def decide_pip(self, form: dict):
        await self._do(pip.decide_pip, self.person_id, form, self.today(),
                       notice=_("PIP-versie vastgesteld."), prefix="pip_")

    @rx.event
    async def record_hours(self, form: dict):
        await self._do(pip.record_hours, self.person_id, str(form.get("lesson_hours", "")),
                       str(form.get("in_person_hours", "")), self.today(), notice=_("Lesuren vastgelegd."),
                       prefix="hours_")


def _action_form(form: dict) -> dict:
    """Form fields to the domain's action values; the visible_to checkboxes arrive as visible_<org id>."""
    values = {k: v for k, v in form.items() if not k.startswith("visible_")}
    values["visible_to"] = [k.removeprefix("visible_") for k in form if k.startswith("visible_") and is_checked(form, k)]
    return values


class MyActionsState(AuthState):
    """The open actions of the signed-in organisation across all its statushouders, filtered by the URL.

    The filters live in the query string (``plans.action_filters`` checks them on the server): a reload
    or a shared link shows the same list, and a value the server does not know is simply no filter.
    """

    rows: list[dict] = []
    include_done: bool = False
    f_who: str = "team"
    f_person: str = ""
    f_status: str = ""
    f_due: str = ""
    person_typed: str = ""  # what the person field shows: the search as typed, also when it was refused
    filter_key: int = 0  # remounts the filter form so it shows the values from the URL
    errors: dict[str, str] = {}
    notice: str = ""
    may_call_back: bool = False
    callbacks: list[dict[str, str]] = []
    callback_notice: str = ""
    callback_error: str = ""

    @rx.var
    def overdue_count(self) -> int:
        return sum(1 for r in self.rows if r["overdue"])

    @rx.var
    def filtered(self) -> bool:
        return bool(self.f_who != "team" or self.f_person or self.f_status or self.f_due)

    def _filters(self) -> plans.ActionFilters:
        """The shown filters, checked again (they are state the browser could try to set)."""
        filters, _errors = plans.action_filters({
            "wie": self.f_who, "persoon": self.f_person, "status": self.f_status, "deadline": self.f_due,
            "afgerond": "1" if self.include_done else ""})
        return filters

    async def _load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.rows = await db.call(plans.my_actions, actor, self.today(), filters=self._filters())
        self.may_call_back = callbacks.may_handle(actor)
        self.callbacks = await callbacks_ui.load(actor, self.today())

    @rx.event
    async def on_load(self):
        self.notice, self.callback_notice, self.callback_error = "", "", ""
        filters, self.errors = plans.action_filters(dict(self.router.url.query_parameters))
        raw_person = str(self.router.url.query_parameters.get("persoon", "") or "")
        self.f_who, self.f_status, self.f_due = filters.who, filters.status, filters.due
        self.include_done = filters.include_done
        self.f_person = filters.person
        self.person_typed = raw_person[:plans.PERSON_SEARCH_MAX * 2] if "persoon" in self.errors else filters.person
        self.filter_key += 1
        return await self._load()

    @staticmethod
    def _url(params: dict[str, str]) -> str:
        return "/acties" + ("?" + urlencode(params) if params else "")

    @rx.event
    def filter(self, form: dict):
        """Put the chosen filters in the URL; the page's on_load checks and applies them."""
        raw = {"wie": str(form.get("wie", "") or ""), "persoon": str(form.get("persoon", "") or ""),
               "status": str(form.get("status", "") or ""), "deadline": str(form.get("deadline", "") or ""),
               "afgerond": "1" if self.include_done else ""}
        filters, errors = plans.action_filters(raw)
        params = filters.params()
        if "persoon" in errors:  # keep what was typed: the page shows it with the message under the field
            params["persoon"] = raw["persoon"][:plans.PERSON_SEARCH_MAX * 2]
        return rx.redirect(self._url(params))

    @rx.event
    def clear_filters(self):
        return rx.redirect(self._url({"afgerond": "1"} if self.include_done else {}))

    @rx.event
    async def handle_callback(self, request_id: str, outcome: str = "reached"):
        """The signed-in staff member called the person back; checked on the server."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.callback_notice, self.callback_error = await callbacks_ui.handle(actor, str(request_id), str(outcome))
        redirect = await self._load()
        return redirect or rx.call_script(callbacks_ui.FOCUS_MESSAGE)

    @rx.event
    def toggle_done(self, value: bool):
        params = {**self._filters().params(), "afgerond": "1" if bool(value) else ""}
        if self.person_typed and not self.f_person:
            params["persoon"] = self.person_typed[:plans.PERSON_SEARCH_MAX * 2]
        return rx.redirect(self._url({k: v for k, v in params.items() if v}))

    @rx.event
    async def update_status(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        action_id, version = id_or_zero(form.get("action_id")), id_or_zero(form.get("version"))
        try:
            await db.call(plans.set_status, actor, action_id, version, str(form.get("status", "")),
                        str(form.get("blocked_reason", "")), self.today())
        except FormErrors as exc:
            self.errors = {f"status_{action_id}_{k}": v for k, v in exc.errors.items()}
            self.notice = ""
            return
        except (AccessDenied, plans.StaleAction) as exc:
            self.errors, self.notice = {"form": str(exc)}, ""
            return await self._load()
        self.errors, self.notice = {}, _("Status bijgewerkt.")
        return await self._load()

