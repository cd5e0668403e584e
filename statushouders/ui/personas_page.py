"""/personas: the coordinator's persona runs (klantreis timeline, findings, report downloads)."""

from __future__ import annotations

import reflex as rx

from .components import notice, shell
from .i18n import _
from .personas_state import PersonasState

CARD = {"padding": "16px", "width": "100%"}


def _finding(f) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.cond(f.blocking, rx.text(f.check, " (", _("blokkerend"), ")", weight="bold",
                                                               color="#8a0016"), rx.text(f.check)),
                      rx.cond(f.expected, rx.text(_("verwacht voor deze persona"), size="1", color="#555"))),
        rx.table.cell(f.step), rx.table.cell(f.detail), rx.table.cell(f.fix),
        class_name="finding", custom_attrs={"data-check": f.check},
    )


def _journey(j) -> rx.Component:
    return rx.card(
        rx.heading(j.name, rx.cond(j.own_name != "", rx.el.bdi(" (", j.own_name, ")")), as_="h2", size="5"),
        rx.text(j.title, " · ", _("brieftaal"), " ", j.language, " · ", _("route"), " ", j.route,
                " · ", _("niveau"), " ", j.overall, " · ", j.seconds, " s", size="2"),
        rx.cond(j.ok, notice(j.outcome, tone="success"), notice(j.outcome, tone="error")),
        rx.cond(j.missing != "", notice(_("Verwacht maar niet gevonden: "), j.missing, tone="warning")),
        rx.html(j.svg),
        rx.heading(_("Bevindingen"), as_="h3", size="4"),
        rx.cond(j.findings.length() > 0,
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                        _("Check"), _("Stap"), _("Wat er gebeurt"), _("Wat te veranderen"))])),
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
                rx.foreach(PersonasState.journeys, _journey),
                spacing="4", width="100%",
            ),
        ),
        title=_("Persona's: klantreis door de keten"),
    )
