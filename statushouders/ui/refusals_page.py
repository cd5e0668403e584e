"""Page: refused accesses, failed sign-ins and locks, filterable, for the privacy officer."""

from __future__ import annotations

import reflex as rx

from .components import INPUT_STYLE, notice, shell
from .i18n import _
from .refusals_state import RefusalsState

COLUMNS = ("at", "action", "who", "organisation", "person", "what", "why")


def refusals_page() -> rx.Component:
    options = [
        ("all", _("Alles: geweigerd, mislukt en geblokkeerd")),
        ("refusals", _("Geweigerde toegang tot een dossier")),
        ("failed_logins", _("Mislukte inlogpogingen")),
        ("locks", _("Blokkades")),
    ]
    return shell(
        rx.cond(
            RefusalsState.denied != "",
            notice(RefusalsState.denied, tone="error", id="denied"),
            rx.vstack(
                rx.form(
                    rx.hstack(
                        rx.el.label(_("Toon"), html_for="kind", style={"fontWeight": "600"}),
                        rx.el.select(*[rx.el.option(label, value=value) for value, label in options], id="kind",
                                     name="kind", default_value=RefusalsState.kind, key=RefusalsState.kind,
                                     style={**INPUT_STYLE, "width": "auto"}),
                        rx.button(_("Filteren"), type="submit", id="filter"),
                        align="center",
                        spacing="3",
                    ),
                    on_submit=RefusalsState.filter,
                ),
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                        _("Wanneer"), _("Soort"), _("Wie"), _("Organisatie"), _("Dossier"), _("Wat"), _("Waarom"))])),
                    rx.table.body(rx.foreach(
                        RefusalsState.rows, lambda r: rx.table.row(*[rx.table.cell(r[k]) for k in COLUMNS]))),
                    id="refusals",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
        ),
        title=_("Geweigerd en mislukt"),
    )
