"""Page: "Uitgaande berichten" (/outbox), the e-mail outbox, for administrators (beheerder) only."""

from __future__ import annotations

import reflex as rx

from .components import notice, shell
from .i18n import _
from .outbox_state import OutboxState

PRE = {"whiteSpace": "pre-wrap", "fontFamily": "monospace", "fontSize": "13px", "background": "#f6f6f6",
       "padding": "8px", "borderRadius": "4px", "width": "100%", "overflowX": "auto"}


def _row(r) -> rx.Component:
    return rx.fragment(
        rx.table.row(
            rx.table.cell(r["created_at"]),
            rx.table.cell(r["kind"]),
            rx.table.cell(r["to"]),
            rx.table.cell(r["subject"]),
            rx.table.cell(r["status_label"], rx.cond(r["error"] != "", rx.text(r["error"], size="1", color="#8a0016"))),
            rx.table.cell(r["attempts"]),
            rx.table.cell(rx.button(rx.cond(OutboxState.open_id == r["id"], _("Verbergen"), _("Lezen")), size="1",
                                    variant="soft", type="button", on_click=OutboxState.toggle(r["id"]),
                                    aria_expanded=rx.cond(OutboxState.open_id == r["id"], "true", "false"),
                                    aria_label=_("Bericht lezen: ") + r["subject"].to(str))),
            class_name="outbox-row",
        ),
        rx.cond(OutboxState.open_id == r["id"], rx.table.row(rx.table.cell(
            rx.el.pre(r["body"], style=PRE, class_name="outbox-body"),
            rx.cond(r["ics"] != "", rx.vstack(
                rx.text(_("Agenda-uitnodiging (.ics, METHOD:"), r["method"], ")", weight="bold", size="2"),
                rx.el.pre(r["ics"], style=PRE, class_name="outbox-ics"),
                width="100%",
            )),
            col_span=7,
        ))),
    )


def outbox_page() -> rx.Component:
    return shell(
        rx.cond(
            OutboxState.denied != "",
            notice(OutboxState.denied, tone="error", id="denied"),
            rx.vstack(
                rx.text(_("E-mails van en aan uw organisatie: uitnodigingen, toegewezen acties, terugbelverzoeken en "
                          "betaalruns. Zonder SMTP-server blijven ze hier staan; mislukte berichten worden opnieuw "
                          "geprobeerd."), size="2"),
                rx.hstack(rx.button(_("Nu verzenden"), on_click=OutboxState.send_now, id="outbox-send", type="button")),
                rx.cond(OutboxState.notice != "", notice(OutboxState.notice, id="notice")),
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                        _("Aangemaakt"), _("Soort"), _("Aan"), _("Onderwerp"), _("Status"), _("Pogingen"), "")])),
                    rx.table.body(rx.foreach(OutboxState.rows, _row)),
                    id="outbox",
                    width="100%",
                ),
                rx.cond(OutboxState.rows.length() == 0, rx.text(_("Geen berichten."), id="outbox-empty")),
                spacing="4",
                width="100%",
            ),
        ),
        title=_("Uitgaande berichten"),
    )
