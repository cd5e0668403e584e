"""Pages: the own account (second factor) and the beheerder's account management."""

from __future__ import annotations

import reflex as rx

from .accounts_state import AccountState, AdminState
from .components import INPUT_STYLE, notice, shell, text_field
from .i18n import _
from .register_pages import recovery_codes_view


def account_page() -> rx.Component:
    s = AccountState
    return shell(
        rx.heading(_("Tweestapsverificatie"), as_="h2", size="5"),
        rx.cond(
            s.two_factor_on,
            rx.text(_("Aan. Ongebruikte herstelcodes: "), s.unused_codes.to(str), id="two-factor-status"),
            rx.text(_("Uit."), id="two-factor-status"),
        ),
        rx.cond(s.two_factor_required,
                rx.text(_("Voor uw rol is tweestapsverificatie verplicht."), size="2"),
                rx.text(_("Voor uw rol is tweestapsverificatie niet verplicht, maar wel aan te raden."), size="2")),
        rx.cond(
            s.new_codes.length() > 0,
            recovery_codes_view(s.new_codes, AccountState.codes_seen),
            rx.cond(
                s.setup_qr != "",
                rx.form(
                    rx.vstack(
                        rx.image(src=s.setup_qr, alt=_("QR-code voor de authenticator-app"), id="setup-qr",
                                 width="220px", height="220px"),
                        rx.text(_("Of typ deze sleutel in de app:"), size="2"),
                        rx.code(s.setup_secret_text, id="setup-secret"),
                        text_field("setup_code", _("Code uit de app"), auto_complete="one-time-code"),
                        rx.cond(s.setup_error != "", rx.text(s.setup_error, id="setup_code-error", role="alert",
                                                             color="#b00020", size="2")),
                        rx.button(_("Bevestigen"), type="submit", id="setup-submit"),
                        align="start",
                    ),
                    on_submit=AccountState.confirm_setup,
                ),
                rx.button(rx.cond(s.two_factor_on, _("Opnieuw instellen (nieuwe app of codes)"),
                                  _("Tweestapsverificatie instellen")),
                          on_click=AccountState.begin_setup, id="setup-begin"),
            ),
        ),
        title=_("Mijn account"),
    )


def _err(key) -> rx.Component:
    return rx.cond(AdminState.errors.contains(key),
                   rx.text(AdminState.errors[key], color="#b00020", role="alert", size="2", id=key + "-error"))


def _role_select(name: str, id_: str, value=None) -> rx.Component:
    options = [rx.el.option(_("— kies —"), value="")]
    props = {"default_value": value} if value is not None else {}
    return rx.el.select(
        *options,
        rx.foreach(AdminState.role_options, lambda o: rx.el.option(o[1], value=o[0])),
        name=name, id=id_, style=INPUT_STYLE, **props,
    )


def _row(row) -> rx.Component:
    uid = row["user_id"].to(str)
    return rx.table.row(
        rx.table.cell(row["username"]),
        rx.table.cell(
            rx.form(
                rx.hstack(
                    rx.el.input(type="hidden", name="user_id", value=uid),
                    rx.vstack(
                        rx.el.label(_("Naam"), html_for="name-" + uid, style={"fontSize": "12px"}),
                        rx.el.input(name="full_name", id="name-" + uid, default_value=row["full_name"],
                                    style=INPUT_STYLE, aria_describedby=uid + "-full_name-error"),
                        _err(uid + "-full_name"),
                        spacing="1",
                    ),
                    rx.vstack(
                        rx.el.label(_("Rol"), html_for="role-" + uid, style={"fontSize": "12px"}),
                        _role_select("role", "role-" + uid, row["role"]),
                        _err(uid + "-role"),
                        spacing="1",
                    ),
                    rx.button(_("Opslaan"), type="submit", id="save-" + uid, size="1"),
                    align="end",
                ),
                on_submit=AdminState.save,
            )
        ),
        rx.table.cell(rx.cond(row["active"], _("actief"), _("uitgeschakeld")), id="status-" + uid),
        rx.table.cell(rx.cond(row["sso"], _("single sign-on"),
                              rx.cond(row["second_factor"], _("TOTP aan"),
                                      rx.cond(row["required"], _("TOTP verplicht, nog niet ingesteld"),
                                              _("alleen wachtwoord"))))),
        rx.table.cell(
            rx.vstack(
                rx.cond(row["active"],
                        rx.button(_("Uitschakelen"), color_scheme="red", variant="soft", size="1",
                                  id="disable-" + uid, on_click=AdminState.set_active(row["user_id"], False)),
                        rx.button(_("Inschakelen"), variant="soft", size="1", id="enable-" + uid,
                                  on_click=AdminState.set_active(row["user_id"], True))),
                rx.cond(row["second_factor"],
                        rx.button(_("Tweede factor terugzetten"), variant="soft", size="1", id="reset-" + uid,
                                  on_click=AdminState.reset_second_factor(row["user_id"]))),
                _err(uid + "-account"),
                spacing="1",
            )
        ),
    )


def admin_page() -> rx.Component:
    e = AdminState.errors
    return shell(
        rx.cond(AdminState.refused != "", notice(AdminState.refused, tone="error", id="admin-refused")),
        rx.cond(AdminState.message != "", notice(AdminState.message, tone="success", id="admin-message")),
        rx.cond(
            AdminState.rows.length() > 0,
            rx.vstack(
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                        _("Gebruikersnaam"), _("Naam en rol"), _("Status"), _("Inloggen"), _("Acties"))])),
                    rx.table.body(rx.foreach(AdminState.rows, _row)),
                    id="accounts-table",
                ),
                rx.heading(_("Nieuw account"), as_="h2", size="5", margin_top="24px"),
                rx.form(
                    rx.grid(
                        text_field("username", _("Gebruikersnaam"), e, auto_complete="off"),
                        text_field("full_name", _("Naam"), e),
                        rx.vstack(rx.el.label(_("Rol"), html_for="new-role", style={"fontWeight": "600"}),
                                  _role_select("role", "new-role"), _err("role"), spacing="1", align="stretch"),
                        text_field("password", _("Eerste wachtwoord (minstens 12 tekens)"), e, type_="password",
                                   auto_complete="new-password"),
                        columns="2", spacing="4", width="100%",
                    ),
                    rx.button(_("Account aanmaken"), type="submit", id="add-account", margin_top="12px"),
                    on_submit=AdminState.add,
                    reset_on_submit=False,
                    key=AdminState.form_key,
                ),
                align="stretch",
                width="100%",
            ),
        ),
        title=_("Accountbeheer"),
    )
