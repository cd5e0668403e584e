"""The privacy officer's audit log page: filters and page in the URL, rules in ``statushouders.audit_view``."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from .. import audit_view, db
from ..policy import AccessDenied
from ..validation import parse_int
from .auth_state import LOGIN_PAGE, AuthState
from .i18n import _

FILTER_KEYS = ("person", "user", "organisation", "kind", "from", "to")
LEGACY_KINDS = {"refusals": "refused", "failed_logins": "login_failed", "locks": "locked", "all": "refused_any"}


def _url(filters: dict[str, str], page: int = 0) -> str:
    query = {k: v for k, v in filters.items() if v}
    if page:
        query["pagina"] = str(page + 1)
    return "/toegangslog" + (f"?{urlencode(query)}" if query else "")


class AuditLogState(AuthState):
    filters: dict[str, str] = {}
    errors: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    denied: str = ""
    form_key: int = 0

    @rx.var
    def range_text(self) -> str:
        if not self.total:
            return _("Geen regels gevonden.")
        first = self.page * audit_view.PAGE_SIZE + 1
        return _("Regel {first}-{last} van {total}").format(
            first=first, last=min(first + audit_view.PAGE_SIZE - 1, self.total), total=self.total)

    @rx.var
    def has_previous(self) -> bool:
        return self.page > 0

    @rx.var
    def has_next(self) -> bool:
        return (self.page + 1) * audit_view.PAGE_SIZE < self.total

    @rx.event
    async def on_load(self):
        query = self.router.url.query_parameters
        raw = {k: str(query.get(k, "") or "") for k in FILTER_KEYS}
        if not raw["kind"] and query.get("soort"):  # the old /geweigerd?soort=… links
            raw["kind"] = LEGACY_KINDS.get(str(query.get("soort")), "")
        if self.router.url.path.rstrip("/").endswith("geweigerd") and not raw["kind"]:
            raw["kind"] = audit_view.REFUSED_ANY
        self.page = max(0, (parse_int(str(query.get("pagina", "1")), 1, 10**7) or 1) - 1)
        return await self._load(raw)

    async def _load(self, raw: dict[str, str]):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        checked, self.errors = audit_view.parse_filter(raw)
        self.filters, self.form_key = raw, self.form_key + 1
        try:
            entries, self.total = await db.call(audit_view.search, actor, checked, self.page)
        except AccessDenied as exc:
            self.denied, self.rows, self.total = str(exc), [], 0
            return
        self.denied = ""
        self.page = min(self.page, max(0, (self.total - 1) // audit_view.PAGE_SIZE))
        self.rows = [
            {"at": e.at.astimezone(audit_view.LOCAL).strftime("%Y-%m-%d %H:%M:%S"),
             "action": _(audit_view.KINDS.get(e.action, e.action)), "who": e.user_name,
             "organisation": e.organisation, "person": str(e.person_id or ""), "what": e.what, "why": e.why}
            for e in entries
        ]

    @rx.event
    async def filter(self, form: dict):
        raw = {k: str(form.get(k, "") or "") for k in FILTER_KEYS}
        checked, errors = audit_view.parse_filter(raw)
        if errors:  # the message next to the field; what was typed stays
            self.errors, self.filters = errors, raw
            return
        return rx.redirect(_url(raw))

    @rx.event
    def go_to(self, page: int):
        return rx.redirect(_url(self.filters, max(0, int(page) if str(page).lstrip("-").isdigit() else 0)))

    @rx.event
    async def download_csv(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        checked, errors = audit_view.parse_filter(self.filters)
        if errors:
            self.errors = errors
            return
        try:
            data = await db.call(audit_view.export_csv, actor, checked)
        except AccessDenied as exc:
            self.denied = str(exc)
            return
        return rx.download(data=data, filename="toegangslog.csv", mime_type="text/csv")
