"""Shared building blocks for staff pages: the page shell and accessible form fields."""

from __future__ import annotations

import reflex as rx

from ..validation import MAX_LENGTH
from .auth_state import AuthState
from .i18n import _


def limit_props(name: str, props: dict) -> dict:
    """``max_length`` from ``validation.MAX_LENGTH`` for a free-text control (the server enforces the same)."""
    if "max_length" not in props and name in MAX_LENGTH:
        return {**props, "max_length": MAX_LENGTH[name]}
    return props


def error_for(errors, key: str) -> rx.Component:
    """The field's message, announced to screen readers, right under the field."""
    return rx.cond(
        errors.contains(key),
        rx.text(errors[key], id=f"{key}-error", role="alert", color="#b00020", size="2"),
    )


def field_props(key: str, errors=None, hint: bool = False) -> dict:
    """ARIA for a control: described by its error message (``<key>-error``, shown right under it) and
    hint, and ``aria-invalid`` while the field has an error, so screen readers say what is wrong where."""
    described = f"{key}-error {key}-hint" if hint else f"{key}-error"
    props = {"aria_describedby": described}
    if errors is not None:
        props["aria_invalid"] = rx.cond(errors.contains(key), "true", "false")
    return props


def labelled(key: str, label: str, control: rx.Component, errors=None, hint: str = "") -> rx.Component:
    """A label, the control, an optional hint and the field's error message."""
    parts = [rx.el.label(label, html_for=key, style={"fontWeight": "600"}), control]
    if hint:
        parts.append(rx.text(hint, size="1", color="#555", id=f"{key}-hint"))
    if errors is not None:
        parts.append(error_for(errors, key))
    return rx.vstack(*parts, spacing="1", align="stretch", width="100%")


TONES = {  # text and background pairs with a contrast ratio well above 4.5:1
    "info": ("#0b3a6e", "#e6f0fb"),
    "success": ("#0f5223", "#e3f4e8"),
    "warning": ("#5c3b00", "#fff4d6"),
    "error": ("#8a0016", "#fde8eb"),
}


def notice(*content, tone: str = "info", **props) -> rx.Component:
    """A message box readable for everyone (Radix callouts' soft colours fail WCAG contrast)."""
    color, background = TONES[tone]
    return rx.box(
        *content,
        role="alert" if tone == "error" else "status",
        style={"color": color, "background": background, "border": f"1px solid {color}",
               "borderRadius": "6px", "padding": "10px 12px", "width": "100%"},
        **props,
    )


INPUT_STYLE = {
    "padding": "6px 8px",
    "border": "1px solid #767676",
    "borderRadius": "4px",
    "width": "100%",
    "fontSize": "16px",
    "background": "white",
    "color": "#111",
}


def text_field(field: str, label: str, errors=None, type_: str = "text", hint: str = "", **props) -> rx.Component:
    """A labelled input; ``props`` may carry a React ``key`` (remount with new default values)."""
    if type_ in ("text", "tel", "email", "search"):
        props = limit_props(field, props)
    control = rx.el.input(id=field, name=field, type=type_, style=INPUT_STYLE, **field_props(field, errors, bool(hint)),
                          **props)
    return labelled(field, label, control, errors, hint)


def select_field(
    field: str, label: str, options: list[tuple[str, str]], errors=None, empty: str = "", name: str = "", **props
) -> rx.Component:
    items = [rx.el.option(empty or _("— kies —"), value="")]
    items += [rx.el.option(text, value=value) for value, text in options]
    control = rx.el.select(*items, id=field, name=name or field, style=INPUT_STYLE, **field_props(field, errors),
                           **props)
    return labelled(field, label, control, errors)


def checkbox_field(key: str, label: str, errors=None, **props) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.el.input(type="checkbox", id=key, name=key, **field_props(key, errors), **props),
            rx.el.label(label, html_for=key),
            align="center",
        ),
        error_for(errors, key) if errors is not None else rx.fragment(),
        spacing="1",
    )


def nav_link(text: str, href: str) -> rx.Component:
    return rx.link(text, href=href, color="white", weight="medium", underline="always")


def shell(*content: rx.Component, title: str) -> rx.Component:
    """Every signed-in page: header with who is signed in, navigation, logout, then the content."""
    return rx.box(
        rx.el.header(
            rx.hstack(
                rx.heading(_("Eén plan"), size="5", as_="p", color="white"),
                rx.el.nav(
                    rx.hstack(
                        nav_link(_("Vandaag"), "/vandaag"),
                        nav_link(_("Statushouders"), "/personen"),
                        rx.cond(AuthState.can_register, nav_link(_("Nieuwe statushouder"), "/personen/nieuw")),
                        nav_link(_("Mijn acties"), "/acties"),
                        nav_link(_("Ketendashboard"), "/dashboard"),
                        rx.cond(AuthState.is_financien, nav_link(_("Betaalruns"), "/betaalruns")),
                        rx.cond(AuthState.can_run_personas, nav_link(_("Persona's"), "/personas")),
                        rx.cond(AuthState.can_read_audit, nav_link(_("Toegangslog"), "/toegangslog")),
                        rx.cond(AuthState.can_manage_accounts, nav_link(_("Accountbeheer"), "/beheer")),
                        rx.cond(AuthState.can_manage_accounts, nav_link(_("Uitgaande berichten"), "/outbox")),
                        nav_link(_("Mijn account"), "/account"),
                        spacing="4",
                    ),
                    aria_label=_("Hoofdmenu"),
                ),
                rx.spacer(),
                rx.text(
                    AuthState.user_name, " · ", AuthState.organisation, " · ", AuthState.role_label,
                    color="white", size="2", id="whoami",
                ),
                rx.button(_("Uitloggen"), on_click=AuthState.logout, id="logout", color_scheme="gray", variant="surface"),
                align="center",
                spacing="4",
                wrap="wrap",
            ),
            style={"background": "#1f3a5f", "padding": "12px 24px"},
        ),
        rx.el.main(
            rx.heading(title, size="7", as_="h1", margin_bottom="16px"),
            *content,
            style={"padding": "24px", "maxWidth": "1100px", "margin": "0 auto"},
        ),
        lang="nl",
    )
