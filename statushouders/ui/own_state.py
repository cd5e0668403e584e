"""State of the statushouder's own view. The person is resolved from their own cookie on every event."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import reflex as rx

from .. import config, db, languages, own_access, own_messages, own_view
from ..own_view import N_
from ..policy import AccessDenied
from .auth_state import session_cookie
from ..validation import id_or_zero, parse_id

SIGN_IN_PAGE = "/mijn/inloggen"
FOCUS_NOTICE = "document.getElementById('own-notice')?.focus()"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _with_person(token: str, func, *args):
    """Run ``func(session, person, *args)`` for the signed-in person; None when not signed in."""
    with db.session_scope() as session:
        person = own_access.resolve(session, token, _now())
        return None if person is None else func(session, person, *args)


class OwnState(rx.State):
    """One statushouder's own view, in the language they chose."""

    person_token: str = session_cookie("sh_person")
    locale: str = "nl"
    chosen: bool = False
    t: dict[str, str] = own_messages.table("nl")
    untranslated: int = 0
    code_error: str = ""
    notice: str = ""
    call_message: str = ""  # message id of the call-me confirmation, shown in the chosen language
    call_values: dict[str, str] = {}
    call_notice_for: str = ""  # organisation id of the contact the call-me notice belongs to
    name: str = ""
    name_own_script: str = ""
    reads: bool = True
    contacts: list[dict[str, str]] = []
    consents: list[dict[str, str]] = []
    accesses: list[dict[str, str]] = []
    plan: list[dict[str, str]] = []
    appointments: list[dict[str, str]] = []
    letters: list[dict[str, str]] = []
    money: list[dict[str, str]] = []
    next_payment: str = ""
    language_choices: list[list[str]] = own_messages.choices()

    @rx.var
    def call_notice(self) -> str:
        if not self.call_message:
            return ""
        values = {key: own_view.isolate(value) for key, value in self.call_values.items()}
        return self.t.get(self.call_message, self.call_message).format(**values)

    @rx.var
    def direction(self) -> str:
        return "rtl" if languages.is_rtl(self.locale) else "ltr"

    @rx.var
    def html_lang(self) -> str:
        return self.locale.replace("_", "-")

    def _use_language(self, code: str) -> None:
        try:
            self.locale = languages.normalise(code)
        except languages.UnknownLanguage:
            self.locale = "nl"
        self.t = own_messages.table(self.locale)
        self.untranslated = len(own_messages.missing(self.locale))

    def _translated(self, rows: list[dict], *keys: str) -> list[dict]:
        """Rows with their message-id fields in the chosen language."""
        return [{**row, **{key: self.t.get(row[key], row[key]) for key in keys}} for row in rows]

    def _forget(self) -> None:
        """Back to the defaults, the chosen language excepted (the sign-in page stays in it)."""
        locale, chosen = self.locale, self.chosen
        self.reset()
        if chosen:
            self.chosen = True
            self._use_language(locale)

    @rx.event
    def choose_language(self, code: str):
        self.chosen = True
        self._use_language(code)
        if self.name:
            return OwnState.load

    @rx.event
    def on_sign_in_load(self):
        self.code_error = ""
        if not self.chosen:
            self._use_language(self.router.url.query_parameters.get("taal", "nl"))

    @rx.event
    async def sign_in(self, form: dict):
        code = str(form.get("code", ""))
        if len(own_access.normalise_code(code)) != 10:
            self.code_error = self.t[N_("Vul de code van 10 tekens in die u van de gemeente kreeg.")]
            return

        client = self.router.session.client_ip  # resolved by the server, never sent by the page

        def _sign_in():
            with db.session_scope() as session:
                return own_access.sign_in(session, code, _now(), client)

        try:
            token, _person_id = await asyncio.to_thread(_sign_in)
        except own_access.SignInFailed as exc:
            if exc.reason == "wait":
                self.code_error = self.t[N_("U heeft te vaak een verkeerde code ingevuld. Probeer het opnieuw na {time}.")].format(
                    time=own_view.isolate(config.local_time(exc.until, "%H:%M")))
            elif exc.reason == "void":
                self.code_error = self.t[N_("Deze code is te vaak verkeerd ingevuld en werkt niet meer. Vraag de gemeente om een nieuwe code.")]
            else:
                self.code_error = self.t[N_("Deze code klopt niet of is verlopen. Vraag de gemeente om een nieuwe code.")]
            return
        self.code_error, self.person_token = "", token
        return rx.redirect("/mijn")

    @rx.event
    async def load(self):
        locale = self.locale if self.chosen else None
        data = await asyncio.to_thread(_with_person, self.person_token, own_view.overview, locale, _now().date())
        if data is None:
            self._forget()  # signed out, expired or idle too long: nothing personal stays on the server
            return rx.redirect(SIGN_IN_PAGE)
        self._use_language(data["locale"])
        self.name, self.name_own_script, self.reads = data["name"], data["name_own_script"], data["reads"]
        asked = self.t[own_view.CALLBACK_ASKED]
        self.contacts = [
            {**c, "requested_text": asked.format(when=own_view.isolate(c["requested"])) if c["requested"] else ""}
            for c in self._translated(data["contacts"], "kind")
        ]
        self.consents = self._translated(data["consents"], "purpose")
        self.accesses = self._translated(data["accesses"], "role")
        self.plan = self._translated(data.get("plan", []), "domain", "status")
        self.appointments = self._translated(data.get("appointments", []), "kind")
        self.letters = data.get("letters", [])
        self.money = self._translated(data.get("money", []), "label")
        self.next_payment = data.get("next_payment", "")

    @rx.event
    async def withdraw(self, consent_id: str):
        try:
            result = await asyncio.to_thread(
                _with_person, self.person_token, own_view.withdraw_consent, id_or_zero(consent_id), _now()
            )
        except AccessDenied:
            self.notice = ""
            return
        if result is None:
            self._forget()
            return rx.redirect(SIGN_IN_PAGE)
        self.notice = self.t[N_("Uw toestemming is ingetrokken. Deze organisatie kan uw gegevens niet meer zien.")]
        self.call_message, self.call_notice_for = "", ""
        # the pressed button is gone with the consent: keyboard focus goes to the message instead of the page end
        return [OwnState.load, rx.call_script(FOCUS_NOTICE)]

    @rx.event
    async def call_me(self, form: dict):
        """"Call me" at one partner; the person and the partner's access are checked on the server."""
        org = parse_id(form.get("organisation", ""))
        if org is None:
            return
        try:
            result = await asyncio.to_thread(
                _with_person, self.person_token, own_view.call_me, org, str(form.get("part_of_day", "")),
                self.locale, _now(),
            )
        except AccessDenied:  # this partner no longer works with the person: show the contacts as they are now
            return OwnState.load
        if result is None:
            self._forget()
            return rx.redirect(SIGN_IN_PAGE)
        self.notice = ""
        self.call_message = result["message"]
        self.call_values = {"organisation": result["organisation"], "when": result["when"]}
        self.call_notice_for = result["organisation_id"]
        return OwnState.load

    @rx.event
    async def download(self, letter_id: str):
        try:
            result = await asyncio.to_thread(_with_person, self.person_token, own_view.letter_pdf, id_or_zero(letter_id))
        except AccessDenied:
            return
        if result is None:
            self._forget()
            return rx.redirect(SIGN_IN_PAGE)
        name, pdf = result
        return rx.download(data=pdf, filename=name, mime_type="application/pdf")

    @rx.event
    async def sign_out(self):
        token = self.person_token

        def _sign_out():
            with db.session_scope() as session:
                own_access.sign_out(session, token, _now())

        await asyncio.to_thread(_sign_out)
        self._forget()
        return [rx.remove_cookie("sh_person", {"path": "/"}), rx.redirect(SIGN_IN_PAGE)]
