"""State for /personas: a coordinator runs the chain flow for personas and reads their klantreis.

The run takes seconds to a minute, so it runs in a background event and a worker thread
(never on the event loop); the flow itself uses scratch databases, never production data.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from .. import db
from ..letters.contexts import TYPE_LABELS_NL
from ..personas import report, runner, schema
from ..policy import AccessDenied
from .auth_state import LOGIN_PAGE, AuthState
from .i18n import _


def _run(actor, only: str | None) -> list[runner.Journey]:
    with db.session_scope() as session:
        return runner.run_as(session, actor, only)


@dataclasses.dataclass
class FindingView:
    check: str = ""
    blocking: bool = False
    step: str = ""
    rule: str = ""
    detail: str = ""
    fix: str = ""
    expected: bool = False


@dataclasses.dataclass
class StepView:
    on: str = ""
    step: str = ""
    partner: str = ""
    detail: str = ""
    letters: str = ""


@dataclasses.dataclass
class MoneyView:
    month: str = ""
    amount: str = ""  # what the household lives on that month
    low: bool = False  # below the household's norm, or a negative leefgeld
    norm: str = ""


@dataclasses.dataclass
class JourneyView:
    id: str = ""
    name: str = ""
    own_name: str = ""
    title: str = ""
    language: str = ""
    route: str = ""
    overall: str = ""
    ok: bool = True
    outcome: str = ""
    missing: str = ""
    seconds: str = ""
    svg: str = ""
    findings: list[FindingView] = dataclasses.field(default_factory=list)
    steps: list[StepView] = dataclasses.field(default_factory=list)
    money: list[MoneyView] = dataclasses.field(default_factory=list)


def _view(j: runner.Journey) -> JourneyView:
    """A journey as plain strings for the page."""
    return JourneyView(
        id=j.persona_id, name=j.name, own_name=j.own_name, title=j.title,
        language=j.letter_language, route=j.route or "geen PIP", overall=j.overall or "-",
        ok=j.ok, outcome=_("Geen onverwachte blokkerende bevindingen") if j.ok
        else _("Onverwachte blokkerende bevindingen: ") + ", ".join(f.check for f in j.unexpected_blocking),
        missing=", ".join(j.missing), seconds=f"{j.seconds:.1f}",
        svg=str(report.timeline_svg(j)),
        findings=[FindingView(f.check, f.blocking, f.step, f.rule, f.detail, f.fix, f.check in j.expected)
                  for f in j.findings],
        steps=[StepView(s.on.isoformat(), s.step, s.partner, s.detail,
                        ", ".join(f"{TYPE_LABELS_NL.get(t, t)} ({lang})" for t, lang in s.letters))
               for s in j.steps],
        money=[MoneyView(month, report.euro(m.available), m.short, report.euro(m.norm))
               for month, m in j.money.items()],
    )


class PersonasState(AuthState):
    """Coordinator page: choose a persona (or all), run, read timeline and findings, download the report."""

    options: list[list[str]] = []
    journeys: list[JourneyView] = []
    running: bool = False
    denied: str = ""
    error: str = ""
    notice: str = ""
    _results: dict = {}

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        if not self.can_run_personas:
            self.denied = _("Alleen de coördinator en de regisseur van de gemeente draaien persona's.")
            return
        self.denied = ""
        personas = await asyncio.to_thread(schema.load_all)
        self.options = [[p.id, f"{p.display_name} — {p.title}"] for p in personas]

    @rx.event(background=True)
    async def run(self, form: dict):
        only = str(form.get("persona", "") or "").strip() or None
        async with self:
            if self.running:
                return
            actor = await self.current_actor()
            if actor is None:
                return rx.redirect(LOGIN_PAGE)
            self.running, self.error, self.notice = True, "", ""
        try:
            journeys = await asyncio.to_thread(_run, actor, only)
        except (AccessDenied, runner.RunnerError, schema.PersonaError) as exc:
            async with self:
                self.running, self.error = False, str(exc)
            return
        async with self:
            self._results = {j.persona_id: j for j in journeys}
            self.journeys = [_view(j) for j in journeys]
            self.running = False
            self.notice = _("Klaar: ") + f"{len(journeys)} persona('s) in {sum(j.seconds for j in journeys):.1f} s."

    async def _journey(self, persona_id: str):
        actor = await self.current_actor()
        if actor is None or not self.can_run_personas:
            return None
        return self._results.get(persona_id)

    @rx.event
    async def download_html(self, persona_id: str):
        journey = await self._journey(persona_id)
        if journey is None:
            return
        html = await asyncio.to_thread(report.to_html, [journey])
        return rx.download(data=html, filename=f"klantreis-{persona_id}.html", mime_type="text/html")

    @rx.event
    async def download_pdf(self, persona_id: str):
        journey = await self._journey(persona_id)
        if journey is None:
            return
        pdf = await asyncio.to_thread(report.to_pdf, [journey])
        return rx.download(data=pdf, filename=f"klantreis-{persona_id}.pdf", mime_type="application/pdf")
