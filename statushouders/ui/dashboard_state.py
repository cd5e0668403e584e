"""State of the chain dashboard (/dashboard): KPIs computed in a worker thread, filters, drill-down, CSV."""

from __future__ import annotations

import asyncio
import re

import reflex as rx

from .. import audit, db, kpis
from ..policy import AccessDenied, Actor
from ..validation import parse_id
from .auth_state import LOGIN_PAGE, AuthState
from .i18n import _

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LEVEL_OPTIONS = [["L1", "L1 intensief"], ["L2", "L2 coaching"], ["L3", "L3 informatie"]]


def _num(value):
    return None if value is None else round(float(value), 3)


def _kpi_row(r: kpis.KpiResult) -> dict:
    """A KPI as the page shows it: text for every figure, numbers only for the chart."""
    within = "" if r.share_within_norm is None else f"{r.share_within_norm * 100:.0f}%"
    if r.unit == "share":
        trend = [{"maand": t["month"], "waarde": _num(t["value"] * 100) if t["value"] is not None else None}
                 for t in r.trend]
    else:
        trend = [{"maand": t["month"], "waarde": _num(t["value"])} for t in r.trend]
    return {"key": r.key, "section": r.section, "label": r.label, "what": r.what, "norm": r.norm,
            "value": r.value_text(), "within": within, "n": str(r.n), "light": r.light,
            "light_label": _(r.light_label), "drill": r.drill and r.light in ("red", "orange"),
            "has_trend": bool(r.trend), "trend": trend,
            "unit": {"days": _("dagen (mediaan)"), "share": "%", "count": _("aantal")}[r.unit]}


def _compute(actor: Actor, filters: kpis.Filters, today) -> tuple[list[kpis.KpiResult], kpis.Scope]:
    with db.session_scope() as session:
        scope = kpis.scope_for(actor, today, filters)
        return kpis.dashboard(session, scope), scope


def _options(actor: Actor, filters: kpis.Filters, today) -> dict:
    with db.session_scope() as session:
        return kpis.filter_options(session, kpis.scope_for(actor, today, filters))


def _drill(actor: Actor, filters: kpis.Filters, today, key: str) -> list[dict]:
    with db.session_scope() as session:
        scope = kpis.scope_for(actor, today, filters)
        cases = kpis.drill(session, scope, key)
        audit.record_many(session, actor, audit.READ, f"ketendashboard: casussen achter KPI {key}",
                          "sturing op ketenprestaties", [c["id"] for c in cases])
        return cases


def _export(actor: Actor, filters: kpis.Filters, today) -> str:
    with db.session_scope() as session:
        scope = kpis.scope_for(actor, today, filters)
        results = kpis.dashboard(session, scope)
        audit.record(session, actor, audit.EXPORT, "ketendashboard: KPI-tabel als CSV (geen persoonsgegevens)",
                     "ketenoverleg")
        return kpis.to_csv(results, scope)


class DashboardState(AuthState):
    loading: bool = True
    kpis: list[dict] = []
    org_rows: list[dict[str, str]] = []
    worker_rows: list[dict[str, str]] = []
    municipality_options: list[list[str]] = []
    organisation_options: list[list[str]] = []
    f_municipality: str = ""
    f_organisation: str = ""
    f_from: str = ""
    f_to: str = ""
    f_level: str = ""
    f_country: str = ""
    period_label: str = ""
    errors: dict[str, str] = {}
    drill_key: str = ""
    drill_label: str = ""
    cases: list[dict[str, str]] = []
    drill_error: str = ""

    def _filters(self) -> kpis.Filters:
        return kpis.Filters(
            municipality=self.f_municipality,
            organisation_id=parse_id(self.f_organisation),
            period_from=self.f_from, period_to=self.f_to, level=self.f_level, country=self.f_country,
        )

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.loading, self.errors, self.cases, self.drill_key, self.drill_error = True, {}, [], "", ""
        return DashboardState.compute

    @rx.event
    async def compute(self):
        """The lights first; the filters' choices right after."""
        actor = await self.current_actor()
        if actor is None:
            yield rx.redirect(LOGIN_PAGE)
            return
        filters, today = self._filters(), self.today()
        results, scope = await asyncio.to_thread(_compute, actor, filters, today)
        self.kpis = [_kpi_row(r) for r in results]
        by_key = {r.key: r for r in results}
        self.org_rows = [{"organisation": r["organisation"], "open": str(r["open"]), "overdue": str(r["overdue"])}
                         for r in by_key["overdue_actions"].rows] if "overdue_actions" in by_key else []
        self.worker_rows = [{"organisation": r["organisation"], "worker": r["worker"], "open": str(r["open"]),
                             "overdue": str(r["overdue"]), "caseload": str(r["caseload"])}
                            for r in by_key["caseload"].rows[:25]] if "caseload" in by_key else []
        self.f_from, self.f_to = scope.filters.period_from, scope.filters.period_to
        self.period_label = _("Periode {start} t/m {end}; trend: 12 maanden tot en met {end}.").format(
            start=scope.filters.period_from, end=scope.filters.period_to)
        self.loading = False
        yield
        options = await asyncio.to_thread(_options, actor, filters, today)
        self.municipality_options = options["municipalities"]
        self.organisation_options = options["organisations"]

    @rx.event
    async def apply_filters(self, form: dict):
        errors = {}
        values = {k: str(form.get(k, "") or "").strip() for k in
                  ("municipality", "organisation", "period_from", "period_to", "level", "country")}
        for key, label in (("period_from", "Periode vanaf"), ("period_to", "Periode tot en met")):
            if values[key] and not MONTH.match(values[key]):
                errors[key] = _("{label}: vul een maand in als JJJJ-MM, bijvoorbeeld 2026-09.").format(label=label)
        if values["country"] and not re.fullmatch(r"[A-Za-z]{2}", values["country"]):
            errors["country"] = _("Land van herkomst: gebruik de landcode van twee letters, bijvoorbeeld SY of ER.")
        # Keep what was entered, also when it is wrong.
        self.f_municipality, self.f_organisation = values["municipality"], values["organisation"]
        self.f_from, self.f_to = values["period_from"], values["period_to"]
        self.f_level, self.f_country = values["level"], values["country"].upper()
        self.errors = errors
        if errors:
            return
        self.loading, self.cases, self.drill_key = True, [], ""
        return DashboardState.compute

    @rx.event
    async def drill_down(self, key: str):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.drill_key = key
        self.drill_label = next((k["label"] for k in self.kpis if k["key"] == key), key)
        try:
            cases = await asyncio.to_thread(_drill, actor, self._filters(), self.today(), key)
        except AccessDenied as exc:
            self.cases, self.drill_error = [], str(exc)
            return
        self.drill_error = ""
        self.cases = [{k: str(v) for k, v in c.items()} for c in cases]

    @rx.event
    async def download_csv(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        data = await asyncio.to_thread(_export, actor, self._filters(), self.today())
        return rx.download(data=data, filename=f"ketendashboard-{self.f_from}-{self.f_to}.csv",
                           mime_type="text/csv")
