"""The chain dashboard page (/dashboard): lights with colour and text, 12-month trends, filters, drill-down."""

from __future__ import annotations

import reflex as rx

from .components import INPUT_STYLE, labelled, shell
from .dashboard_state import LEVEL_OPTIONS, DashboardState
from .i18n import _

LIGHT_COLOURS = {  # text, background: contrast well above 4.5:1; the text label carries the meaning too
    "green": ("#0f5223", "#e3f4e8"),
    "orange": ("#5c3b00", "#ffe7c2"),
    "red": ("#8a0016", "#fde8eb"),
    "none": ("#333333", "#eeeeee"),
    "nodata": ("#333333", "#eeeeee"),
}
SYMBOLS = {"green": "●", "orange": "▲", "red": "■", "none": "○", "nodata": "○"}


def _light_badge(kpi) -> rx.Component:
    def style(part: int):
        return rx.match(kpi["light"], *[(k, v[part]) for k, v in LIGHT_COLOURS.items()], "#333333")

    return rx.el.span(
        rx.match(kpi["light"], *[(k, v) for k, v in SYMBOLS.items()], "○"), " ", kpi["light_label"],
        id="light-" + kpi["key"].to(str), class_name="light",
        data_light=kpi["light"].to(str),
        style={"color": style(0), "background": style(1), "border": "1px solid", "borderRadius": "12px",
               "padding": "2px 10px", "fontWeight": "600", "whiteSpace": "nowrap"},
    )


def _kpi_card(kpi) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.heading(kpi["label"], as_="h3", size="3"),
            rx.spacer(),
            _light_badge(kpi),
            align="center", wrap="wrap",
        ),
        rx.text(kpi["what"], size="1", color="#444"),
        rx.hstack(
            rx.text(rx.el.strong(kpi["value"]), size="4", class_name="kpi-value"),
            rx.cond(kpi["within"] != "", rx.text(_("binnen norm: "), kpi["within"], size="2")),
            rx.text(_("norm: "), kpi["norm"], size="2"),
            rx.text(_("aantal: "), kpi["n"], size="2"),
            spacing="4", align="baseline", wrap="wrap",
        ),
        rx.cond(
            kpi["has_trend"].to(bool),
            rx.box(
                rx.recharts.line_chart(
                    rx.recharts.line(data_key="waarde", stroke="#1f3a5f", connect_nulls=False, is_animation_active=False),
                    rx.recharts.x_axis(data_key="maand", tick={"fontSize": 11}),
                    rx.recharts.y_axis(tick={"fontSize": 11}, width=40),
                    rx.recharts.graphing_tooltip(),
                    data=kpi["trend"].to(list[dict]),
                    width="100%",
                    height=140,
                ),
                class_name="trend-chart",
                aria_label=_("Trend over 12 maanden: ") + kpi["label"].to(str) + " (" + kpi["unit"].to(str) + ")",
                role="img",
            ),
            rx.text(_("Geen historie beschikbaar voor een trend."), size="1", color="#444"),
        ),
        rx.cond(
            kpi["drill"].to(bool),
            rx.button(_("Toon casussen achter dit stoplicht"), on_click=DashboardState.drill_down(kpi["key"].to(str)),
                      id="drill-" + kpi["key"].to(str), size="1", variant="outline"),
        ),
        style={"border": "1px solid #c8c8c8", "borderRadius": "8px", "padding": "12px", "background": "white"},
        class_name="kpi-card",
    )


def _select(key: str, label: str, options, value, empty: str) -> rx.Component:
    control = rx.el.select(
        rx.el.option(empty, value=""),
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
        id=key, name=key, style=INPUT_STYLE, default_value=value, aria_describedby=f"{key}-error",
    )
    return labelled(key, label, control, DashboardState.errors)


def _filters() -> rx.Component:
    return rx.form(
        rx.grid(
            _select("municipality", _("Gemeente"), DashboardState.municipality_options, DashboardState.f_municipality,
                    _("Alle gemeenten")),
            _select("organisation", _("Partnerorganisatie"), DashboardState.organisation_options,
                    DashboardState.f_organisation, _("Alle partners")),
            labelled("period_from", _("Periode vanaf (JJJJ-MM)"), rx.el.input(
                id="period_from", name="period_from", type="text", style=INPUT_STYLE, default_value=DashboardState.f_from,
                key=DashboardState.f_from, aria_describedby="period_from-error", placeholder="2026-09"), DashboardState.errors),
            labelled("period_to", _("Periode tot en met (JJJJ-MM)"), rx.el.input(
                id="period_to", name="period_to", type="text", style=INPUT_STYLE, default_value=DashboardState.f_to,
                key=DashboardState.f_to, aria_describedby="period_to-error", placeholder="2026-11"), DashboardState.errors),
            _select("level", _("Begeleidingsniveau"), LEVEL_OPTIONS, DashboardState.f_level, _("Alle niveaus")),
            labelled("country", _("Land van herkomst (code)"), rx.el.input(
                id="country", name="country", type="text", style=INPUT_STYLE, default_value=DashboardState.f_country,
                aria_describedby="country-error", placeholder="SY"), DashboardState.errors),
            columns="3", spacing="3", width="100%",
        ),
        rx.hstack(
            rx.button(_("Filters toepassen"), type="submit", id="apply-filters"),
            rx.button(_("KPI-tabel downloaden (CSV)"), type="button", on_click=DashboardState.download_csv,
                      id="download-csv", variant="outline"),
            margin_top="10px",
        ),
        on_submit=DashboardState.apply_filters,
        aria_label=_("Filters"),
    )


def _breakdown() -> rx.Component:
    return rx.vstack(
        rx.heading(_("Open en verlopen acties per organisatie"), as_="h2", size="4"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Organisatie"), _("Open"), _("Verlopen"))])),
            rx.table.body(rx.foreach(DashboardState.org_rows, lambda r: rx.table.row(
                rx.table.cell(r["organisation"]), rx.table.cell(r["open"]), rx.table.cell(r["overdue"])))),
            id="per-organisation",
        ),
        rx.heading(_("Caseload per medewerker (drukste 25)"), as_="h2", size="4"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Organisatie"), _("Medewerker"), _("Open"), _("Verlopen"), _("Personen"))])),
            rx.table.body(rx.foreach(DashboardState.worker_rows, lambda r: rx.table.row(
                rx.table.cell(r["organisation"]), rx.table.cell(r["worker"]), rx.table.cell(r["open"]),
                rx.table.cell(r["overdue"]), rx.table.cell(r["caseload"])))),
            id="per-worker",
        ),
        align="stretch", width="100%", margin_top="16px",
    )


def _drill_list() -> rx.Component:
    return rx.cond(
        DashboardState.drill_key != "",
        rx.box(
            rx.heading(_("Casussen achter: "), DashboardState.drill_label, as_="h2", size="4"),
            rx.cond(DashboardState.drill_error != "",
                    rx.text(DashboardState.drill_error, role="alert", color="#8a0016")),
            rx.cond(
                DashboardState.cases.length() > 0,
                rx.el.ul(rx.foreach(DashboardState.cases, lambda c: rx.el.li(
                    rx.link(c["name"], href=c["href"]), " · ", c["municipality"], " · ", c["detail"])),
                    id="drill-cases"),
                rx.cond(DashboardState.drill_error == "",
                        rx.text(_("Geen casussen die u mag inzien."), id="no-cases")),
            ),
            style={"border": "2px solid #1f3a5f", "borderRadius": "8px", "padding": "12px", "marginTop": "16px"},
            id="drill",
            role="region",
            aria_live="polite",
        ),
    )


def dashboard_page() -> rx.Component:
    return shell(
        rx.text(_("Stoplichten voor de hele keten die u mag zien. Rood en oranje eerst bespreken: "
                  "hoe helpen we elkaar om weer op groen te komen?"), size="2"),
        _filters(),
        rx.text(DashboardState.period_label, size="2", margin_top="8px", id="period-label"),
        rx.cond(
            DashboardState.loading,
            rx.hstack(rx.spinner(), rx.text(_("Cijfers worden berekend…")), id="dashboard-loading", role="status"),
            rx.fragment(
                _drill_list(),
                rx.grid(rx.foreach(DashboardState.kpis, _kpi_card), columns=rx.breakpoints(initial="1", md="2"),
                        spacing="3", width="100%", margin_top="12px", id="kpi-grid"),
                _breakdown(),
            ),
        ),
        title=_("Ketendashboard"),
    )

