"""/personas: the coordinator's persona runs (klantreis timeline, findings, report downloads)."""

from __future__ import annotations

import reflex as rx

from .components import notice, shell
from .i18n import _
from .personas_state import PersonasState

CARD = {"padding": "16px", "width": "100%"}


TONE_NOTICES = ("success", "warning", "error")


def _finding(f) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(f.label, weight="bold", color=rx.cond(f.blocking, "#8a0016", "#222")),
                      rx.text(f.state, size="1", color=rx.cond(f.blocking, "#8a0016", "#555")),
                      rx.cond(f.expected, rx.text(_("verwacht voor deze persona"), size="1", color="#555"))),
        rx.table.cell(f.area), rx.table.cell(f.detail), rx.table.cell(f.fix),
        class_name="finding", custom_attrs={"data-check": f.check},
    )


def _outcome(j) -> rx.Component:
    """The banner in the outcome's tone: red with a blocking finding, amber with others, green with none."""
    return rx.match(j.tone, *[(tone, notice(j.outcome, tone=tone, class_name="outcome")) for tone in TONE_NOTICES],
                    notice(j.outcome, class_name="outcome"))


def _listed(heading: str, items, class_name: str) -> rx.Component:
    return rx.cond(items.length() > 0, rx.box(
        rx.heading(heading, as_="h3", size="4"),
        rx.el.ul(rx.foreach(items, lambda item: rx.el.li(item)), style={"paddingLeft": "1.2em"}),
        class_name=class_name, width="100%"))


def _journey(j) -> rx.Component:
    return rx.card(
        rx.heading(j.name, rx.cond(j.own_name != "", rx.el.bdi(" (", j.own_name, ")")), as_="h2", size="5"),
        rx.text(j.title, size="2"),
        rx.text(j.facts, size="2", color="#444"),
        _outcome(j),
        _listed(_("Wijkt af van de verwachting"), j.differences, "differences"),
        _listed(_("Verwacht maar niet gevonden"), j.missing, "missing"),
        rx.heading(_("Klantreis"), as_="h3", size="4"),
        rx.html(j.svg, class_name="klantreis", width="100%"),
        rx.heading(_("Bevindingen"), as_="h3", size="4"),
        rx.cond(j.findings.length() > 0,
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                        _("Bevinding"), _("Stap"), _("Wat er gebeurt"), _("Wat te veranderen"))])),
                    rx.table.body(rx.foreach(j.findings, _finding)),
                    width="100%"),
                rx.text(_("Geen bevindingen: de keten werkt voor deze persona."))),
        rx.heading(_("Tijdlijn"), as_="h3", size="4"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Datum"), _("Stap"), _("Partner"), _("Toelichting"), _("Brieven"))])),
            rx.table.body(rx.foreach(j.steps, lambda s: rx.table.row(
                rx.table.cell(s.on, white_space="nowrap"), rx.table.cell(s.step), rx.table.cell(s.partner),
                rx.table.cell(s.detail), rx.table.cell(s.letters)))),
            width="100%"),
        rx.cond(j.money.length() > 0, rx.vstack(
            rx.heading(_("Om van te leven per maand (rood: onder de norm voor dit huishouden)"), as_="h3", size="4"),
            rx.hstack(rx.foreach(j.money, lambda m: rx.box(
                rx.text(m.month, size="1"),
                rx.text(m.amount, weight="bold", color=rx.cond(m.low, "#8a0016", "#0f5223")),
                rx.text(_("norm") + " " + m.norm, size="1"),
                padding="4px 8px", border="1px solid #ccc", border_radius="4px")), wrap="wrap"),
        )),
        rx.hstack(
            rx.button(_("Download HTML"), on_click=PersonasState.download_html(j.id), variant="outline",
                      class_name="download-html"),
            rx.button(_("Download PDF"), on_click=PersonasState.download_pdf(j.id), variant="outline",
                      class_name="download-pdf"),
        ),
        id="journey-" + j.id, style=CARD,
    )


def _matrix_cell(c) -> rx.Component:
    return rx.table.cell(rx.text(c.text, size="1", weight="bold"),
                         rx.cond(c.note != "", rx.text(c.note, size="1")),
                         style={"color": c.color, "background": c.background, "textAlign": "center"})


def _matrix_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(r.name, href="#journey-" + r.id),
                                 rx.text(r.outcome, size="1", color=r.color)),
        rx.foreach(r.cells, _matrix_cell),
        custom_attrs={"data-persona": r.id},
    )


def _matrix() -> rx.Component:
    """Personas × checks: which check fails for whom (shown when more than one persona ran)."""
    return rx.cond(PersonasState.matrix_rows.length() > 0, rx.card(
        rx.heading(_("Persona's naast elkaar: welke check faalt voor wie"), as_="h2", size="5"),
        rx.text(_("Per check: blokkerend, niet blokkerend, verwacht maar niet gevonden, of — (niet gevonden). "
                  "“verwacht”: het personabestand verwacht deze bevinding."), size="2"),
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(_("Persona")),
                rx.foreach(PersonasState.matrix_checks, lambda label: rx.table.column_header_cell(
                    rx.text(label, size="1"))))),
            rx.table.body(rx.foreach(PersonasState.matrix_rows, _matrix_row)),
            width="100%"), overflow_x="auto", width="100%"),
        id="matrix", style=CARD,
    ))


def personas_page() -> rx.Component:
    return shell(
        rx.cond(
            PersonasState.denied != "",
            notice(PersonasState.denied, tone="error", id="denied"),
            rx.vstack(
                rx.text(_("Draai de hele keten (registratie, brede intake, plan, PIP, brieven, budget en betaalrun, "
                          "gebeurtenissen) voor een persona op een aparte testdatabase. Productiegegevens worden "
                          "niet gebruikt.")),
                rx.form(
                    rx.hstack(
                        rx.vstack(
                            rx.el.label(_("Persona"), html_for="persona", style={"fontWeight": "600"}),
                            rx.el.select(rx.el.option(_("Alle persona's"), value=""),
                                         rx.foreach(PersonasState.options,
                                                    lambda o: rx.el.option(o[1], value=o[0])),
                                         id="persona", name="persona",
                                         style={"padding": "6px 8px", "border": "1px solid #767676",
                                                "borderRadius": "4px", "fontSize": "16px"}),
                            spacing="1"),
                        rx.button(rx.cond(PersonasState.running, _("Bezig…"), _("Doorrekenen")), type="submit",
                                  id="run-personas", disabled=PersonasState.running),
                        align="end", wrap="wrap",
                    ),
                    on_submit=PersonasState.run,
                ),
                rx.cond(PersonasState.running, notice(_("De keten wordt doorgerekend; dit kan tot een minuut duren."),
                                                      id="running")),
                rx.cond(PersonasState.error != "", notice(PersonasState.error, tone="error", id="run-error")),
                rx.cond(PersonasState.notice != "", notice(PersonasState.notice, tone="success", id="run-notice")),
                _matrix(),
                rx.foreach(PersonasState.journeys, _journey),
                spacing="4", width="100%",
            ),
        ),
        title=_("Persona's: klantreis door de keten"),
    )
