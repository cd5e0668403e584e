"""*Vandaag* (/vandaag): the start page after sign-in, with what needs doing today for this role."""

from __future__ import annotations

import reflex as rx

from .components import shell
from .i18n import _
from .today_state import TodayState

RED = "#b00020"


def _section(key: str, title: str, intro: str, total, headers: list[str], rows, row, empty: str,
             more: rx.Component | None = None) -> rx.Component:
    """One card: heading with the count, a table of the items, or a line saying there is nothing to do."""
    return rx.card(
        rx.heading(title, " (", total.to_string(), ")", as_="h2", size="4", id=f"{key}-heading"),
        rx.text(intro, size="2", color="#444"),
        rx.cond(
            rows.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.foreach(rows, row)),
                id=f"today-{key}",
                width="100%",
            ),
            rx.text(empty, id=f"no-{key}", size="2"),
        ),
        more if more is not None else rx.fragment(),
        width="100%",
        id=f"section-{key}",
    )


def _mine(row) -> rx.Component:
    return rx.cond(row["mine"] != "", rx.badge(_("van mij"), color_scheme="blue", margin_left="6px"))


def _person_link(row) -> rx.Component:
    return rx.link(row["person_name"], href=row["href"], dir="auto", class_name="today-link")


def _intake(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(_person_link(row), _mine(row)),
        rx.table.cell(rx.text(row["at"], white_space="nowrap")),
        rx.table.cell(row["location"]),
        class_name="today-intake",
    )


def _action(row) -> rx.Component:
    overdue = row["overdue"] != ""
    return rx.table.row(
        rx.table.cell(_person_link(row), _mine(row)),
        rx.table.cell(rx.text(row["what"], class_name="action-what"), rx.text(row["domain"], size="1", color="#555")),
        rx.table.cell(
            rx.text(row["due"], color=rx.cond(overdue, RED, "inherit"), white_space="nowrap",
                    weight=rx.cond(overdue, "bold", "regular")),
            rx.cond(overdue, rx.badge(_("te laat"), color_scheme="red")),
        ),
        rx.table.cell(row["status"]),
        rx.table.cell(row["worker"], class_name="action-worker"),
        rx.table.cell(rx.vstack(
            rx.link(_("Naar plan"), href=row["href"], class_name="action-plan-link"),
            rx.cond(row["budget_href"] != "", rx.link(_("Naar budget"), href=row["budget_href"])),
            spacing="1",
        )),
        style=rx.cond(overdue, {"background": "#fdecea"}, {}),
        class_name=rx.cond(overdue, "today-action overdue", "today-action"),
    )


def _callback(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(_person_link(row), _mine(row)),
        rx.table.cell(row["requested_at"], rx.cond(row["attempts"] != "", rx.text(row["attempts"], size="1"))),
        rx.table.cell(row["part_of_day"]),
        rx.table.cell(row["language"]),
        class_name="today-callback",
    )


def _run(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["month"], href=row["href"])),
        rx.table.cell(row["payments"]),
        rx.table.cell(rx.text(row["total"], white_space="nowrap")),
        rx.table.cell(row["prepared_by"]),
        rx.table.cell(rx.text(row["next"], weight=rx.cond(row["may_approve"] != "", "bold", "regular"))),
        class_name="today-run",
    )


def _norm(row) -> rx.Component:
    late = row["late"] != ""
    return rx.table.row(
        rx.table.cell(_person_link(row), _mine(row)),
        rx.table.cell(row["registered"]),
        rx.table.cell(rx.text(row["deadline"], white_space="nowrap"),
                      rx.text(row["when"], size="1", color=rx.cond(late, RED, "#5c3b00"),
                              weight=rx.cond(late, "bold", "regular"))),
        rx.table.cell(rx.cond(row["no_plan"] != "", _("Nog geen intake gepland"), _("Intake gepland, nog geen PIP"))),
        style=rx.cond(late, {"background": "#fdecea"}, {}),
        class_name=rx.cond(late, "today-norm late", "today-norm"),
    )


def today_page() -> rx.Component:
    s = TodayState
    more_actions = rx.cond(s.actions_more != "", rx.link(_("Alle acties over de deadline in Mijn acties"),
                                                          href=s.actions_more, id="more-actions"))
    more_callbacks = rx.cond(s.callbacks_more != "", rx.link(_("Alle terugbelverzoeken in Mijn acties"),
                                                              href=s.callbacks_more, id="more-callbacks"))
    return shell(
        rx.text(s.intro, size="2", id="today-day"),
        rx.cond(
            s.loaded & ~s.has_any,
            rx.text(_("Voor uw rol staan er geen taken op deze pagina. Gebruik het menu om verder te gaan."),
                    id="no-sections"),
        ),
        rx.vstack(
            rx.cond(s.has_actions, _section(
                "actions", _("Acties: te laat of deze week"),
                _("Acties van uw organisatie die over de deadline zijn of deze week moeten gebeuren; die aan u zijn "
                  "toegewezen eerst."),
                s.actions_total, [_("Statushouder"), _("Wat"), _("Deadline"), _("Status"), _("Medewerker"), ""],
                s.actions, _action, _("Geen acties over de deadline of deze week."), more_actions)),
            rx.cond(s.has_intakes, _section(
                "intakes", _("Intakes deze week"),
                _("Gezamenlijke intakes van vandaag tot en met het einde van deze week die nog niet als gehouden zijn "
                  "vastgelegd."),
                s.intakes_total, [_("Statushouder"), _("Wanneer"), _("Locatie")], s.intakes, _intake,
                _("Geen intakes deze week."))),
            rx.cond(s.has_callbacks, _section(
                "callbacks", _("Terugbelverzoeken"),
                _("De statushouder vroeg om teruggebeld te worden. Bel en leg de uitkomst vast in het dossier."),
                s.callbacks_total, [_("Statushouder"), _("Gevraagd op"), _("Voorkeur"), _("Taal")], s.callbacks,
                _callback, _("Geen open terugbelverzoeken."), more_callbacks)),
            rx.cond(s.has_runs, _section(
                "runs", _("Betaalruns die wachten op goedkeuring"),
                _("Een betaalrun gaat pas naar de bank als een tweede medewerker van Financiën hem goedkeurt."),
                s.runs_total, [_("Maand"), _("Betalingen"), _("Totaal"), _("Voorbereid door"), _("Wat nu")],
                s.runs, _run, _("Geen betaalruns die wachten op goedkeuring."))),
            rx.cond(s.has_norms, _section(
                "norms", _("Statushouders bij of over de PIP-termijn"),
                _("Inburgeringsplichtigen zonder PIP van wie de termijn na inschrijving in de BRP bijna of al "
                  "verstreken is."),
                s.norms_total, [_("Statushouder"), _("Inschrijving BRP"), _("PIP uiterlijk"), _("Stand")], s.norms,
                _norm, _("Niemand bij of over de PIP-termijn."))),
            spacing="4",
            width="100%",
        ),
        title=_("Vandaag"),
    )
