"""The statushouder's own view: sign in with a code, then plan, letters, money, contacts and access log.

Every text is a message of the ``ownview`` catalog, looked up at run time in the chosen language;
the page sets ``lang`` and ``dir`` itself (Radix Themes is LTR at its root) and works at 360 px.
"""

from __future__ import annotations

import reflex as rx

from .components import INPUT_STYLE, notice
from ..own_view import N_, PART_OF_DAY_WORDS
from .own_state import OwnState

LANGUAGE_BUTTON_STYLE = {
    "padding": "6px 10px",
    "border": "1px solid #767676",
    "borderRadius": "16px",
    "fontSize": "16px",
    "minHeight": "36px",
    "cursor": "pointer",
}


def t(message: str):
    """A message in the person's language (extracted with keyword ``t``)."""
    return OwnState.t[message]


def ltr(value) -> rx.Component:
    """Numbers, phone numbers, codes and dates stay left-to-right inside right-to-left text."""
    return rx.el.bdi(value, dir="ltr", style={"whiteSpace": "nowrap"})


def _language_picker() -> rx.Component:
    """One button per language, named in its own words and language.

    Choosing is a deliberate press: a select that switched on every arrow key would change
    the whole page while the person is still looking (WCAG 3.2.2).
    """
    return rx.el.nav(
        rx.el.span(t("Taal"), id="language-label", style={"fontWeight": "600"}),
        rx.flex(
            rx.foreach(OwnState.language_choices, lambda c: rx.el.button(
                c[1],
                type="button",
                id="language-" + c[0],
                lang=c[2],
                aria_pressed=rx.cond(OwnState.locale == c[0], "true", "false"),
                on_click=OwnState.choose_language(c[0]),
                style=LANGUAGE_BUTTON_STYLE | {
                    "background": rx.cond(OwnState.locale == c[0], "#1f3a5f", "#fff"),
                    "color": rx.cond(OwnState.locale == c[0], "#fff", "#111"),
                },
            )),
            wrap="wrap",
            gap="6px",
        ),
        aria_labelledby="language-label",
        style={"display": "flex", "flexDirection": "column", "gap": "4px", "width": "100%"},
    )


def _page(*content: rx.Component) -> rx.Component:
    return rx.box(
        rx.el.main(*content, style={"maxWidth": "720px", "margin": "0 auto", "padding": "16px"}),
        dir=OwnState.direction,
        lang=OwnState.html_lang,
        id="own-page",
        style={"minHeight": "100vh", "background": "#f7f7f5", "color": "#111"},
    )


def sign_in_page() -> rx.Component:
    return _page(
        rx.heading(t("Mijn plan"), as_="h1", size="7", margin_bottom="12px"),
        rx.form(
            rx.vstack(
                _language_picker(),
                rx.text(t("Log in met de code die u van de gemeente kreeg.")),
                rx.el.label(t("Code"), html_for="code", style={"fontWeight": "600"}),
                rx.el.input(id="code", name="code", auto_complete="one-time-code", dir="ltr",
                            default_value=rx.State.router.url.query_parameters.get("code", ""),
                            aria_describedby="code-error", aria_invalid=rx.cond(OwnState.code_error != "", "true", "false"),
                            style=INPUT_STYLE),
                rx.cond(OwnState.code_error != "",
                        rx.text(OwnState.code_error, id="code-error", role="alert", color="#b00020")),
                rx.button(t("Inloggen"), type="submit", id="code-submit", size="3"),
                spacing="3",
                align="stretch",
            ),
            on_submit=OwnState.sign_in,
        ),
    )


def _card(title: str, summary: str, *body: rx.Component, id_: str) -> rx.Component:
    """One section with a short A2 summary first, for people who read little."""
    return rx.card(
        rx.heading(t(title), as_="h2", size="5"),
        rx.text(t(summary), color="#333", margin_bottom="8px"),
        *body,
        id=id_,
        width="100%",
    )


def _call_me(contact) -> rx.Component:
    """"Call me" at this partner, with an optional part of the day; the answer is announced right here."""
    when_id = "call-when-" + contact["id"]
    return rx.form(
        rx.el.input(type="hidden", name="organisation", value=contact["id"]),
        rx.hstack(
            rx.vstack(
                rx.el.label(t("Wanneer kunnen wij u bellen?"), html_for=when_id, style={"fontWeight": "600"}),
                rx.el.select(
                    *[rx.el.option(t(word), value=key) for key, word in PART_OF_DAY_WORDS.items()],
                    id=when_id, name="part_of_day", style={**INPUT_STYLE, "width": "auto"},
                ),
                spacing="1",
            ),
            rx.button(rx.icon("phone", aria_hidden="true"), t("Bel mij"), type="submit", size="3",
                      id="call-me-" + contact["id"], class_name="call-me",
                      aria_label=t("Bel mij") + ": " + contact["organisation"]),
            align="end",
            wrap="wrap",
        ),
        rx.cond(contact["requested"] != "", rx.text(contact["requested_text"], size="2", color="#333")),
        rx.box(
            rx.cond(OwnState.call_notice_for == contact["id"], rx.text(OwnState.call_notice, weight="bold")),
            role="status", id="call-status-" + contact["id"], style={"color": "#0f5223"},
        ),
        on_submit=OwnState.call_me,
        margin_top="6px",
    )


def _contact(contact) -> rx.Component:
    return rx.box(
        rx.text(contact["organisation"], weight="bold"),
        rx.text(contact["kind"]),
        rx.hstack(
            rx.link(ltr(contact["phone"]), href="tel:" + contact["phone"]),
            rx.text(" · ", ltr(contact["phone_hours"])),
            wrap="wrap",
        ),
        _call_me(contact),
        padding_y="6px",
        border_bottom="1px solid #ddd",
        class_name="own-contact",
    )


def _consent(consent) -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.text(consent["organisation"], weight="bold"),
            rx.text(consent["purpose"], " · ", t("sinds"), " ", consent["given_on"]),
        ),
        rx.spacer(),
        rx.button(t("Toestemming intrekken"), on_click=OwnState.withdraw(consent["id"]), color_scheme="red",
                  variant="soft", aria_label=t("Toestemming intrekken") + ": " + consent["organisation"]),
        wrap="wrap",
        width="100%",
        padding_y="6px",
    )


def _access(line) -> rx.Component:
    return rx.el.tr(
        rx.el.td(line["day"]),
        rx.el.td(line["organisation"]),
        rx.el.td(line["role"]),
    )


def _action(item) -> rx.Component:
    return rx.box(
        rx.text(item["domain"], size="2", color="#555"),
        rx.text(item["what"], weight="bold"),
        rx.text(t("Wie helpt"), ": ", item["owner"]),
        rx.cond(item["own_part"] != "", rx.text(t("Wat ik zelf doe"), ": ", item["own_part"])),
        rx.text(t("Klaar vóór"), ": ", ltr(item["due"]), " · ", item["status"]),
        padding_y="8px",
        border_bottom="1px solid #ddd",
    )


def _appointment(item) -> rx.Component:
    return rx.text(item["kind"], ": ", ltr(item["when"]), " · ", item["where"])


def _letter(item) -> rx.Component:
    return rx.hstack(
        rx.text(item["title"], " · ", ltr(item["date"])),
        rx.spacer(),
        rx.button(t("Downloaden"), on_click=OwnState.download(item["id"]), variant="soft",
                  aria_label=t("Downloaden") + ": " + item["title"]),
        width="100%",
        wrap="wrap",
    )


def _money_line(item) -> rx.Component:
    return rx.el.tr(rx.el.td(item["label"], " ", item["creditor"],
                             rx.cond(item["paid_on"] != "",
                                     rx.el.div(t("Betaald op"), " ", ltr(item["paid_on"]), class_name="paid-on",
                                               style={"color": "#1a6b2f", "fontSize": "0.9em"}))),
                    rx.el.td(ltr(item["amount"]), style={"textAlign": "end"}))


def _empty_or(items, render, empty: str) -> rx.Component:
    return rx.cond(items.length() > 0, rx.foreach(items, render), rx.text(t(empty), color="#555"))


def own_page() -> rx.Component:
    return _page(
        rx.hstack(
            rx.heading(t("Mijn plan"), as_="h1", size="7"),
            rx.spacer(),
            rx.button(t("Uitloggen"), on_click=OwnState.sign_out, id="own-logout", variant="surface"),
            width="100%",
            align="center",
        ),
        rx.text(OwnState.name, " ", rx.el.bdi(OwnState.name_own_script), size="4", id="own-name"),
        _language_picker(),
        rx.cond(OwnState.untranslated > 0,
                notice(t("Sommige teksten zijn nog niet vertaald. Die staan in het Nederlands."),
                           tone="warning", id="untranslated")),
        rx.cond(OwnState.notice != "", notice(OwnState.notice, tone="success", id="own-notice", tab_index=-1)),
        rx.cond(~OwnState.reads, notice(
            t("Kunt u niet goed lezen? Bel ons. Wij leggen alles uit in uw taal."), id="call-us")),
        rx.vstack(
            _card(N_("Mijn plan per onderwerp"), N_("Dit zijn de afspraken uit uw plan: wie doet wat, en wanneer."),
                  _empty_or(OwnState.plan, _action, N_("Er is nog geen plan.")), id_="own-plan"),
            _card(N_("Mijn afspraken"), N_("Hier staan uw volgende afspraken."),
                  _empty_or(OwnState.appointments, _appointment, N_("Er zijn geen afspraken gepland.")),
                  id_="own-appointments"),
            _card(N_("Mijn brieven"), N_("Hier staan alle brieven die u kreeg. U kunt ze opnieuw downloaden."),
                  _empty_or(OwnState.letters, _letter, N_("U heeft nog geen brieven.")), id_="own-letters"),
            _card(N_("Mijn geld deze maand"), N_("Zo is uw geld deze maand verdeeld."),
                  rx.cond(OwnState.money.length() > 0,
                          rx.el.table(rx.el.tbody(rx.foreach(OwnState.money, _money_line)), style={"width": "100%"}),
                          rx.text(t(N_("Er zijn nog geen gegevens over uw geld.")), color="#555")),
                  rx.cond(OwnState.next_payment != "",
                          rx.text(t("Volgende betaling"), ": ", ltr(OwnState.next_payment), margin_top="8px")),
                  id_="own-money"),
            _card(N_("Mijn contactpersonen"), N_("Deze organisaties helpen u. Bel ze als u een vraag heeft."),
                  rx.text(t("Of druk op ‘Bel mij’. Dan belt de organisatie u, in uw taal."), color="#333",
                          margin_bottom="8px"),
                  rx.foreach(OwnState.contacts, _contact), id_="own-contacts"),
            _card(N_("Mijn toestemmingen"), N_("U heeft deze organisaties toestemming gegeven. U mag dat altijd stoppen."),
                  rx.cond(OwnState.consents.length() > 0, rx.foreach(OwnState.consents, _consent),
                          rx.text(t("U heeft geen toestemmingen gegeven."))),
                  id_="own-consents"),
            _card(N_("Wie heeft mijn dossier bekeken"), N_("Hier ziet u welke organisatie uw gegevens heeft bekeken en wanneer."),
                  rx.el.table(
                      rx.el.thead(rx.el.tr(rx.el.th(t("Datum")), rx.el.th(t("Organisatie")), rx.el.th(t("Functie")))),
                      rx.el.tbody(rx.foreach(OwnState.accesses, _access)),
                      style={"width": "100%", "textAlign": "start"},
                  ),
                  id_="own-accesses"),
            spacing="4",
            width="100%",
            margin_top="16px",
        ),
    )
