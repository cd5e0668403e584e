"""The privacy officer's view of refused accesses, failed sign-ins and locks (issue 14, point 5)."""

from __future__ import annotations

import reflex as rx

from .. import audit, db
from ..catalogs import staff_message
from ..policy import AccessDenied
from .auth_state import LOGIN_PAGE, AuthState
from .i18n import _

ACTION_LABELS = {
    audit.REFUSED: staff_message("Toegang geweigerd"),
    audit.LOGIN_FAILED: staff_message("Inloggen mislukt"),
    audit.LOCKED: staff_message("Geblokkeerd"),
}


class RefusalsState(AuthState):
    kind: str = "all"
    rows: list[dict[str, str]] = []
    denied: str = ""

    async def _load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            entries = await db.call(audit.refusals, actor, self.kind)
        except AccessDenied as exc:
            self.denied, self.rows = str(exc), []
            return
        self.denied = ""
        self.rows = [
            {
                "at": e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                "action": _(ACTION_LABELS.get(e.action, e.action)),
                "who": e.user_name,
                "organisation": e.organisation,
                "person": str(e.person_id or ""),
                "what": e.what,
                "why": e.why,
            }
            for e in entries
        ]

    @rx.event
    async def on_load(self):
        kind = self.router.url.query_parameters.get("soort", "all")
        self.kind = kind if kind in audit.REFUSAL_FILTERS else "all"
        return await self._load()

    @rx.event
    async def filter(self, form: dict):
        kind = str(form.get("kind", "all"))
        self.kind = kind if kind in audit.REFUSAL_FILTERS else "all"
        return await self._load()
