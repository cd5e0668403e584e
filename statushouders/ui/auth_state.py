"""Who is signed in. The actor is resolved on the server from the login cookie on every event."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import reflex as rx

from .. import auth, config, db, oidc, policy
from ..policy import Actor
from ..validation import id_or_zero
from .i18n import _

LOGIN_PAGE = "/login"
START_PAGE = "/vandaag"  # where every role lands after signing in (issue 18)


def session_cookie(name: str) -> rx.Cookie:
    """A login cookie: strict same-site, and ``Secure`` when the app is served over HTTPS (configuration)."""
    return rx.Cookie("", name=name, same_site="strict", path="/", secure=config.secure_cookies() or None)


async def clear_tree(state: rx.State, top: type[rx.State]) -> None:
    """Reset ``top`` and every state below it to their defaults, so no personal data stays on the server.

    States below ``top`` not loaded for this event (a Redis state manager loads only what an event needs)
    are loaded first, so they are reset too, not just the ones in memory.
    """

    async def load(cls: type[rx.State]) -> None:
        await state.get_state(cls)
        for sub in cls.get_substates():
            await load(sub)

    await load(top)
    (await state.get_state(top)).reset()


def _resolve(token: str) -> Actor | None:
    with db.session_scope() as session:
        return auth.resolve(session, token)


class AuthState(rx.State):
    """Signed-in staff member; every page's state builds on it."""

    session_token: str = session_cookie("sh_session")
    user_name: str = ""
    organisation: str = ""
    role_label: str = ""
    can_register: bool = False
    can_read_audit: bool = False
    is_financien: bool = False
    can_run_personas: bool = False
    can_manage_accounts: bool = False
    login_error: str = ""
    # The sign-in steps: "password", "code" (TOTP or recovery code), "enrol" (set up TOTP first), "codes"
    # (the new recovery codes, shown once).
    login_step: str = "password"
    code_error: str = ""
    enrol_qr: str = ""
    enrol_secret: str = ""
    recovery_codes: list[str] = []
    providers: list[dict[str, str]] = []
    oidc_error: str = ""
    # Server-side only (backend vars never reach the browser, and no event sets them from arguments).
    _pending_user: int = 0
    _pending_at: float = 0.0
    _pending_secret: str = ""
    _oidc_pending: dict = {}
    _id_token: str = ""

    async def current_actor(self) -> Actor | None:
        """The actor for this browser now: None once the session expired or was ended anywhere."""
        actor = await asyncio.to_thread(_resolve, self.session_token)
        if actor is None and (self.session_token or self.user_name):
            await clear_tree(self, AuthState)  # expired, idle too long or ended elsewhere: forget the tab's data
        if actor is not None:
            self.user_name = actor.name
            self.organisation = actor.organisation
            self.role_label = actor.role_label
            self.can_register = actor.key in policy.MAY_REGISTER
            self.can_read_audit = actor.key in policy.MAY_READ_AUDIT
            self.is_financien = actor.key == ("gemeente", "financien")
            self.can_run_personas = actor.key in policy.MAY_RUN_PERSONAS
            self.can_manage_accounts = actor.key in policy.MAY_MANAGE_ACCOUNTS
        return actor

    @staticmethod
    def today() -> date:
        return date.today()

    def person_id_from_url(self) -> int:
        """The ``?id=`` of a person page; 0 (no such person) when missing or not a plain number ("1x", "²")."""
        return id_or_zero(self.router.url.query_parameters.get("id", ""))

    @rx.event
    async def require_login(self):
        """on_load guard: send anyone without a valid session to the login page."""
        if await self.current_actor() is None:
            return rx.redirect(LOGIN_PAGE)

    @rx.event
    def load_login_page(self):
        """on_load of /login: the single sign-on buttons of the configured organisations."""
        self.providers = [{"key": p.key, "label": p.label} for p in oidc.providers().values()]
        if self.login_step == "codes":  # recovery codes are shown once, not again on a reload
            self.recovery_codes, self.login_step = [], "password"

    def _start_second_factor(self, needed: auth.SecondFactorNeeded) -> None:
        self._pending_user, self._pending_at = needed.user_id, time.time()
        self.code_error = ""
        if needed.enrol:
            self._pending_secret = auth.new_totp_secret()
            with db.session_scope() as session:
                username = session.get(auth.User, needed.user_id).username
            self.enrol_secret = self._pending_secret
            self.enrol_qr = auth.qr_data_uri(auth.provisioning_uri(self._pending_secret, username))
            self.login_step = "enrol"
        else:
            self.login_step = "code"

    def _pending(self) -> int:
        """The user whose password was right a moment ago in this tab; 0 once that is too long ago."""
        if self._pending_user and time.time() - self._pending_at <= config.second_factor_minutes() * 60:
            return self._pending_user
        return 0

    def _signed_in(self, token: str):
        self.login_error = self.code_error = ""
        self._pending_user, self._pending_secret = 0, ""
        self.enrol_qr = self.enrol_secret = ""
        self.session_token = token
        return rx.redirect(START_PAGE)

    @rx.event
    async def login(self, form: dict):
        username = str(form.get("username", ""))
        password = str(form.get("password", ""))
        if not username or not password:
            self.login_error = _("Vul uw gebruikersnaam en wachtwoord in.")
            return

        client = self.router.session.client_ip  # resolved by the server, never sent by the page

        def _login():
            with db.session_scope() as session:
                return auth.login(session, username, password, client)

        try:
            token, _actor = await asyncio.to_thread(_login)
        except auth.SecondFactorNeeded as needed:
            self.login_error = ""
            await asyncio.to_thread(self._start_second_factor, needed)
            return
        except auth.LoginFailed as exc:
            self.login_error = str(exc)
            return
        return self._signed_in(token)

    def _restart(self, message: str) -> None:
        self.login_step, self._pending_user, self._pending_secret = "password", 0, ""
        self.enrol_qr = self.enrol_secret = ""
        self.login_error = message

    @rx.event
    async def submit_code(self, form: dict):
        """Second step: the TOTP code or a recovery code for the account whose password was right."""
        user_id, code = self._pending(), str(form.get("code", "")).strip()
        if not user_id or self.login_step != "code":
            return self._restart(_("Het inloggen duurde te lang. Vul uw wachtwoord opnieuw in."))
        if not code:
            self.code_error = _("Vul de code uit uw authenticator-app of een herstelcode in.")
            return
        client = self.router.session.client_ip
        try:
            token, _actor = await db.call(auth.complete_login, user_id, code, client)
        except auth.SecondFactorNeeded as needed:  # the second factor was reset meanwhile: enrol
            await asyncio.to_thread(self._start_second_factor, needed)
            return
        except auth.LoginThrottled as exc:
            self.code_error = str(exc)
            return
        except auth.LoginFailed as exc:
            self.code_error = str(exc)
            return
        return self._signed_in(token)

    @rx.event
    async def submit_enrol(self, form: dict):
        """First sign-in of an account that must use TOTP: confirm the app with its current code."""
        user_id, code = self._pending(), str(form.get("code", "")).strip()
        if not user_id or self.login_step != "enrol" or not self._pending_secret:
            return self._restart(_("Het inloggen duurde te lang. Vul uw wachtwoord opnieuw in."))
        if not code:
            self.code_error = _("Vul de code van 6 cijfers uit uw authenticator-app in.")
            return
        client = self.router.session.client_ip
        try:
            token, _actor, codes = await db.call(auth.enrol_and_login, user_id, self._pending_secret, code, client)
        except auth.SecondFactorNeeded as needed:
            await asyncio.to_thread(self._start_second_factor, needed)
            return
        except auth.LoginFailed as exc:
            self.code_error = str(exc)
            return
        self.login_error = self.code_error = ""
        self._pending_user, self._pending_secret = 0, ""
        self.enrol_qr = self.enrol_secret = ""
        self.session_token = token
        self.recovery_codes, self.login_step = codes, "codes"

    @rx.event
    def finish_codes(self):
        self.recovery_codes, self.login_step = [], "password"
        return rx.redirect(START_PAGE)

    @rx.event
    def cancel_login(self):
        self._restart("")

    @rx.event
    async def start_oidc(self, key: str):
        """Send the browser to the organisation's identity provider; state, nonce and PKCE verifier stay here."""
        try:
            url, pending = await asyncio.to_thread(oidc.start, str(key))
        except (oidc.OidcRefused, Exception) as exc:  # noqa: BLE001 - a provider that is down: say so
            self.login_error = str(exc) if isinstance(exc, oidc.OidcRefused) else _(
                "De inlogprovider is nu niet bereikbaar. Probeer het later opnieuw.")
            return
        self._oidc_pending = pending
        return rx.redirect(url)

    @rx.event
    async def oidc_callback(self):
        """on_load of /oidc/callback: the provider sent the browser back with a code (or an error)."""
        params = dict(self.router.url.query_parameters)
        pending, self._oidc_pending = self._oidc_pending, {}  # one use
        try:
            token, _actor, id_token, _key = await db.call(oidc.finish, pending, params)
        except oidc.OidcRefused as exc:
            self.oidc_error = str(exc)
            return
        self.oidc_error = ""
        self._id_token = id_token
        return self._signed_in(token)

    @rx.event
    async def logout(self):
        """End the app session; after single sign-on also the provider's session where it supports that."""
        token, id_token = self.session_token, self._id_token

        def _logout():
            with db.session_scope() as session:
                method = auth.session_method(session, token)
                auth.logout(session, token)
            return method

        method = await asyncio.to_thread(_logout)
        provider_logout = None
        if method.startswith("oidc:"):
            provider_logout = await asyncio.to_thread(oidc.logout_url, method[5:], id_token)
        await clear_tree(self, AuthState)  # every page state below AuthState, not only AuthState's own fields
        return [rx.remove_cookie("sh_session", {"path": "/"}), rx.redirect(provider_logout or LOGIN_PAGE)]
