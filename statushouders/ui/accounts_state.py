"""Own account (second factor) and account management by the organisation's beheerder (issue 21)."""

from __future__ import annotations

import reflex as rx

from .. import accounts, auth, db, policy
from ..models import User
from ..policy import AccessDenied
from .auth_state import LOGIN_PAGE, AuthState
from .i18n import _


class AccountState(AuthState):
    """The signed-in user's own second factor: turn it on (optional roles) or renew it."""

    two_factor_on: bool = False
    two_factor_required: bool = False
    unused_codes: int = 0
    setup_qr: str = ""
    setup_secret_text: str = ""
    setup_error: str = ""
    new_codes: list[str] = []
    _setup_secret: str = ""

    def _load(self, actor) -> None:
        with db.session_scope() as session:
            user = session.get(User, actor.user_id)
            self.two_factor_on = user.totp_secret is not None
            self.two_factor_required = policy.requires_second_factor(actor.kind, actor.role)
            self.unused_codes = auth.unused_recovery_codes(session, user.id)

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.new_codes, self.setup_qr, self.setup_secret_text, self._setup_secret = [], "", "", ""
        self._load(actor)

    @rx.event
    async def begin_setup(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        with db.session_scope() as session:
            username = session.get(User, actor.user_id).username
        self._setup_secret = auth.new_totp_secret()
        self.setup_secret_text = self._setup_secret
        self.setup_qr = auth.qr_data_uri(auth.provisioning_uri(self._setup_secret, username))
        self.setup_error = ""

    @rx.event
    async def confirm_setup(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        if not self._setup_secret:
            self.setup_error = _("Begin opnieuw met instellen.")
            return
        code = str(form.get("setup_code", "")).strip()
        if not code:
            self.setup_error = _("Vul de code van 6 cijfers uit uw authenticator-app in.")
            return
        secret, client = self._setup_secret, self.router.session.client_ip

        def work(session):
            return auth.enrol_totp(session, session.get(User, actor.user_id), secret, code, client)

        try:
            codes = await db.call(work)
        except auth.LoginFailed as exc:
            self.setup_error = str(exc)
            return
        self.new_codes, self.setup_qr, self.setup_secret_text, self._setup_secret = codes, "", "", ""
        self.setup_error = ""
        self._load(actor)

    @rx.event
    def codes_seen(self):
        self.new_codes = []


class AdminState(AuthState):
    """The beheerder's page: the accounts of the own organisation only (the rules are in ``accounts``)."""

    rows: list[dict] = []
    role_options: list[list[str]] = []
    errors: dict[str, str] = {}
    message: str = ""
    refused: str = ""
    form_key: int = 0  # a new key empties the "new account" form after a success

    def _reload(self, actor) -> None:
        with db.session_scope() as session:
            rows = accounts.list_accounts(session, actor)
        self.rows = [{"user_id": r.user_id, "username": r.username, "full_name": r.full_name, "role": r.role,
                      "role_label": r.role_label, "active": r.active, "second_factor": r.second_factor,
                      "required": r.second_factor_required, "sso": r.single_sign_on} for r in rows]
        self.role_options = [[role, _(label)] for role, label in policy.roles_of(actor.kind)]

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.errors, self.message, self.refused = {}, "", ""
        try:
            await db.call(accounts.list_accounts, actor)
        except AccessDenied as exc:
            self.rows, self.refused = [], str(exc)
            return
        self._reload(actor)

    async def _do(self, work, done: str, prefix: str = ""):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            await db.call(work, actor)
        except accounts.AccountInvalid as exc:
            self.errors = {prefix + k: v for k, v in exc.errors.items()}
            self.message = ""
            return
        except AccessDenied as exc:
            self.errors, self.message = {}, ""
            self.refused = str(exc)
            return
        self.errors, self.message, self.refused = {}, done, ""
        self._reload(actor)

    @rx.event
    async def add(self, form: dict):
        data = {k: str(form.get(k, "")) for k in ("username", "full_name", "role", "password")}
        result = await self._do(lambda s, a: accounts.add_account(s, a, data),
                                _("Account {name} aangemaakt.").format(name=data["username"].strip().lower()))
        if not self.errors and not self.refused:
            self.form_key += 1
        return result

    @rx.event
    async def save(self, form: dict):
        uid = _int(form.get("user_id"))
        data = {k: str(form.get(k, "")) for k in ("full_name", "role")}
        return await self._do(lambda s, a: accounts.change_account(s, a, uid, data), _("Account opgeslagen."),
                              prefix=f"{uid}-")

    @rx.event
    async def set_active(self, user_id: int, active: bool):
        uid = _int(user_id)
        done = _("Account uitgeschakeld; open sessies zijn beëindigd.") if not active else _("Account ingeschakeld.")
        return await self._do(lambda s, a: accounts.set_active(s, a, uid, bool(active)), done, prefix=f"{uid}-")

    @rx.event
    async def reset_second_factor(self, user_id: int):
        uid = _int(user_id)
        return await self._do(lambda s, a: accounts.reset_second_factor(s, a, uid),
                              _("Tweede factor teruggezet: bij de volgende keer inloggen stelt de gebruiker die opnieuw in."),
                              prefix=f"{uid}-")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
