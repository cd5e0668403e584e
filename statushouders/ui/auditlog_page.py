"""Page: the audit log for the privacy officer: filter, page through everything, export CSV."""

from __future__ import annotations

import reflex as rx

from .. import audit_view
from .auditlog_state import AuditLogState
from .components import notice, select_field, shell, text_field
from .i18n import _

COLUMNS = ("at", "action", "who", "organisation", "person", "what", "why")


def _filters() -> rx.Component:
    e, f = AuditLogState.errors, AuditLogState.filters
    key = AuditLogState.form_key.to(str)

    def field(name: str, label: str, **props) -> rx.Component:
        return text_field(name, label, e, default_value=f.get(name, ""), key=name + key, **props)

    return rx.form(
        rx.grid(
            field("person", _("Dossiernummer"), input_mode="numeric"),
            field("user", _("Gebruiker (deel van de naam)")),
            field("organisation", _("Organisatie (deel van de naam)")),
            select_field("kind", _("Soort"), [(k, _(v)) for k, v in audit_view.KINDS.items()], e,
                         empty=_("Alles"), default_value=f.get("kind", ""), key="kind" + key),
            field("from", _("Vanaf"), type_="date"),
            field("to", _("Tot en met"), type_="date"),
            columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%",
        ),
        rx.hstack(
            rx.button(_("Filteren"), type="submit", id="filter"),
            rx.button(_("CSV downloaden"), type="button", variant="outline", on_click=AuditLogState.download_csv,
                      id="download-csv"),
            spacing="3", margin_top="8px",
        ),
        on_submit=AuditLogState.filter,
        width="100%",
    )


def _pager(where: str) -> rx.Component:
    """Above and below the table; only the upper range text is announced (``role="status"``)."""
    return rx.hstack(
        rx.button(_("Vorige"), on_click=AuditLogState.go_to(AuditLogState.page - 1), id=f"previous-page-{where}",
                  disabled=~AuditLogState.has_previous, variant="soft"),
        rx.text(AuditLogState.range_text, id=f"range-{where}", **({"role": "status"} if where == "top" else {})),
        rx.button(_("Volgende"), on_click=AuditLogState.go_to(AuditLogState.page + 1), id=f"next-page-{where}",
                  disabled=~AuditLogState.has_next, variant="soft"),
        align="center", spacing="3",
    )


def auditlog_page() -> rx.Component:
    return shell(
        rx.cond(
            AuditLogState.denied != "",
            notice(AuditLogState.denied, tone="error", id="denied"),
            rx.vstack(
                rx.text(_("Alles wat in de keten is ingezien, gewijzigd, geëxporteerd of geweigerd. Uw eigen "
                          "kijken en exporteren staat ook in de log."), size="2"),
                _filters(),
                _pager("top"),
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                        _("Wanneer"), _("Soort"), _("Wie"), _("Organisatie"), _("Dossier"), _("Wat"), _("Waarom"))])),
                    rx.table.body(rx.foreach(
                        AuditLogState.rows, lambda r: rx.table.row(*[rx.table.cell(r[k]) for k in COLUMNS],
                                                                   class_name="audit-row"))),
                    id="auditlog",
                    width="100%",
                ),
                _pager("bottom"),
                spacing="4",
                width="100%",
            ),
        ),
        title=_("Toegangslog"),
    )
