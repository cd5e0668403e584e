"""State for /personas: a coordinator runs the chain flow for personas and reads their klantreis.

The run takes seconds to a minute, so it runs in a background event and a worker thread
(never on the event loop); the flow itself uses scratch databases, never production data.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from .. import db
from ..catalogs import staff_message
from ..personas import labels, report, runner, schema
from ..policy import AccessDenied
from .auth_state import LOGIN_PAGE, AuthState
from .components import TONES
from .i18n import _


def _run(actor, only: str | None) -> list[runner.Journey]:
    with db.session_scope() as session:
        return runner.run_as(session, actor, only)


@dataclasses.dataclass
class FindingView:
    check: str = ""  # the check id, only for the row's data-check attribute
    label: str = ""  # the check's Dutch title
    blocking: bool = False
    state: str = ""  # blokkerend / niet blokkerend
    area: str = ""
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
class CellView:
    text: str = ""
    note: str = ""
    color: str = ""
    background: str = ""


@dataclasses.dataclass
class MatrixRowView:
    id: str = ""
    name: str = ""
    outcome: str = ""
    color: str = ""
    cells: list[CellView] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class JourneyView:
    id: str = ""
    name: str = ""
    own_name: str = ""
    title: str = ""
    facts: str = ""  # letter language, route, guidance, household, run time
    tone: str = "success"  # the outcome banner's notice tone
    outcome: str = ""
    differences: list[str] = dataclasses.field(default_factory=list)
    missing: list[str] = dataclasses.field(default_factory=list)  # titles of expected checks not found
    svg: str = ""
    findings: list[FindingView] = dataclasses.field(default_factory=list)
    steps: list[StepView] = dataclasses.field(default_factory=list)
    money: list[MoneyView] = dataclasses.field(default_factory=list)


def _facts(j: runner.Journey) -> str:
    facts = [_("Brieftaal: {language}").format(language=labels.letter_language_label(j)),
             _("Leerroute: {route}").format(route=labels.route_label(j.route, _))]
    if j.overall:
        facts.append(_("Begeleiding: {level}").format(level=labels.level_label(j.overall, _)))
    if j.household_kind:
        facts.append(_("Huishouden: {kind}").format(kind=labels.household_label(j.household_kind)))
    facts.append(_("doorgerekend in {seconds} s").format(seconds=_seconds(j.seconds)))
    return " · ".join(facts)


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f}".replace(".", ",")


def _finding(f, j: runner.Journey) -> FindingView:
    return FindingView(f.check, labels.check_label(f.check), f.blocking,
                       _("blokkerend") if f.blocking else _("niet blokkerend"), labels.area_label(f.step),
                       f.rule, f.detail, f.fix, f.check in j.expected)


def _view(j: runner.Journey) -> JourneyView:
    """A journey as plain strings for the page: words, Dutch euros and dates, never codes."""
    banner = labels.outcome(j, _)
    return JourneyView(
        id=j.persona_id, name=j.name, own_name=j.own_name, title=j.title, facts=_facts(j),
        tone=banner.tone, outcome=banner.text, differences=list(j.differences),
        missing=[labels.check_label(c) for c in j.missing],
        svg=str(report.timeline_svg(j, _)),
        findings=[_finding(f, j) for f in j.findings],
        steps=[StepView(labels.date_nl(s.on), s.step, s.partner, s.detail,
                        report.letters_text(s.letters, _) if s.letters else "")
               for s in j.steps],
        money=[MoneyView(labels.month_nl(month), labels.euro(m.available), m.short, labels.euro(m.norm))
               for month, m in j.money.items()],
    )


def _colours(tone: str) -> tuple[str, str]:
    return TONES.get(tone, ("#555", "transparent"))


def _cell(c: labels.Cell) -> CellView:
    return CellView(c.text, c.note, *_colours(c.tone))


def _matrix(journeys: list[runner.Journey]) -> tuple[list[str], list[MatrixRowView]]:
    """Personas × checks for more than one journey: the check titles and one row per persona."""
    if len(journeys) < 2:
        return [], []
    m = labels.matrix(journeys, _)
    return [label for _id, label in m.checks], [
        MatrixRowView(j.persona_id, j.name, o.text, _colours(o.tone)[0], [_cell(c) for c in cells])
        for j, o, cells in m.rows]


class PersonasState(AuthState):
    """Coordinator page: choose a persona (or all), run, read timeline and findings, download the report."""

    options: list[list[str]] = []
    journeys: list[JourneyView] = []
    matrix_checks: list[str] = []  # personas × checks (more than one journey): the check titles
    matrix_rows: list[MatrixRowView] = []
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
            self.matrix_checks, self.matrix_rows = _matrix(journeys)
            self.running = False
            self.notice = labels.counted(
                len(journeys), staff_message("Klaar: {count} persona doorgerekend in {seconds} s."),
                staff_message("Klaar: {count} persona's doorgerekend in {seconds} s."), _,
                seconds=_seconds(sum(j.seconds for j in journeys)))

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
