"""Who is signed in. The actor is resolved on the server from the login cookie on every event."""

from __future__ import annotations

import asyncio
from datetime import date

import reflex as rx

from .. import auth, config, db, policy
from ..policy import Actor
from ..validation import id_or_zero
from .i18n import _

LOGIN_PAGE = "/login"


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
    login_error: str = ""

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
        except auth.LoginFailed as exc:
            self.login_error = str(exc)
            return
        self.login_error = ""
        self.session_token = token
        return rx.redirect("/personen")

    @rx.event
    async def logout(self):
        token = self.session_token

        def _logout():
            with db.session_scope() as session:
                auth.logout(session, token)

        await asyncio.to_thread(_logout)
        await clear_tree(self, AuthState)  # every page state below AuthState, not only AuthState's own fields
        return [rx.remove_cookie("sh_session", {"path": "/"}), rx.redirect(LOGIN_PAGE)]
