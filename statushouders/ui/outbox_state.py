"""State of "Uitgaande berichten" (/outbox): the e-mail outbox for the organisation's administrators.

The rules (who may read which messages, delivery) are in ``notify``; the actor is resolved on the server.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from .. import db, notify
from ..policy import AccessDenied
from .auth_state import LOGIN_PAGE, AuthState
from .i18n import _


class OutboxState(AuthState):
    rows: list[dict[str, str]] = []
    denied: str = ""
    notice: str = ""
    open_id: str = ""  # the message whose text and invitation are shown

    async def _load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            self.rows = await db.call(notify.list_outbox, actor)
        except AccessDenied as exc:
            self.denied, self.rows = str(exc), []
            return
        self.denied = ""

    @rx.event
    async def on_load(self):
        self.notice, self.open_id = "", ""
        return await self._load()

    @rx.event
    def toggle(self, message_id: str):
        self.open_id = "" if self.open_id == str(message_id) else str(message_id)

    @rx.event
    async def send_now(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            report = await asyncio.to_thread(notify.send_now, actor)
        except AccessDenied as exc:
            self.denied, self.rows = str(exc), []
            return
        self.notice = " ".join(report.errors[:1]) if report.errors and not (report.sent or report.failed) else _(
            "Verzonden: {sent}; mislukt: {failed}.").format(sent=report.sent, failed=report.failed)
        return await self._load()
