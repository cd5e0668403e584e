"""The letters page (/brieven?id=N): make a letter, see and download the archive, see translation gaps."""

from __future__ import annotations

import reflex as rx

from .components import INPUT_STYLE, error_for, labelled, shell, text_field
from .i18n import _
from .letters_state import LettersState

ERR = LettersState.errors
WITH_APPOINTMENT = ["intake_invitation", "progress_talk", "school_enrolment"]


def _type_select() -> rx.Component:
    control = rx.el.select(
        rx.el.option(_("— kies —"), value=""),
        rx.foreach(LettersState.type_options, lambda o: rx.el.option(o[1], value=o[0])),
        id="letter_type", name="letter_type", style=INPUT_STYLE, aria_describedby="letter_type-error",
        on_change=LettersState.choose_type,
    )
    return labelled("letter_type", _("Soort brief"), control, ERR)


def _appointment_fields() -> rx.Component:
    t = LettersState.selected_type
    return rx.vstack(
        rx.cond(
            (t == "intake_invitation") | (t == "progress_talk") | (t == "school_enrolment"),
            rx.hstack(
                text_field("date", _("Datum (afspraak of eerste les)"), ERR, type_="date"),
                text_field("time", _("Tijd"), ERR, type_="time"),
                width="100%",
            ),
        ),
        rx.cond(
            (t == "intake_invitation") | (t == "progress_talk"),
            text_field("place", _("Plaats (leeg: adres van uw organisatie)"), ERR),
        ),
        rx.cond(
            t == "progress_talk",
            labelled("topics", _("Onderwerpen (één per regel, Nederlands)"),
                     rx.el.textarea(id="topics", name="topics", rows="3", style=INPUT_STYLE), ERR),
        ),
        rx.cond(
            t == "school_enrolment",
            rx.hstack(
                text_field("weekdays", _("Lesdagen"), ERR, hint=_("bijvoorbeeld: ma, wo, do")),
                text_field("hours", _("Lesuren per week"), ERR, type_="number", min="1", max="40"),
                width="100%",
            ),
        ),
        width="100%",
        spacing="3",
    )


def _produce_card() -> rx.Component:
    return rx.card(
        rx.heading(_("Brief maken"), as_="h2", size="4"),
        rx.text(
            _("Elke brief is één PDF: eerst de Nederlandse brief (officieel), daarna dezelfde tekst in de brieftaal: "),
            rx.text.strong(LettersState.language_name), ".",
            size="2",
        ),
        rx.cond(LettersState.reader_warning != "",
                rx.callout(LettersState.reader_warning, color_scheme="red", role="alert", id="reader-warning")),
        rx.cond(LettersState.person_gap != "",
                rx.callout(LettersState.person_gap, color_scheme="amber", role="status", id="person-gap")),
        rx.form(
            rx.vstack(
                _type_select(),
                _appointment_fields(),
                rx.button(
                    rx.cond(LettersState.busy, _("Bezig met maken…"), _("Brief maken")),
                    type="submit", id="produce", disabled=LettersState.busy,
                ),
                spacing="3",
                align="stretch",
            ),
            on_submit=LettersState.produce,
        ),
        width="100%",
    )


def _letters_table() -> rx.Component:
    return rx.card(
        rx.heading(_("Gemaakte brieven"), as_="h2", size="4"),
        error_for(ERR, "list"),
        rx.cond(
            LettersState.rows.length() == 0,
            rx.text(_("Nog geen brieven."), id="no-letters"),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                    _("Gemaakt op"), _("Soort"), _("Taal"), _("Kenmerk"), _("Door"), _("Alleen NL"), _("SHA-256"), "")])),
                rx.table.body(
                    rx.foreach(
                        LettersState.rows,
                        lambda r: rx.table.row(
                            rx.table.cell(r["produced_at"]),
                            rx.table.cell(r["label"]),
                            rx.table.cell(r["language_name"]),
                            rx.table.cell(r["reference"]),
                            rx.table.cell(r["produced_by"], " (", r["organisation"], ")"),
                            rx.table.cell(r["gaps"]),
                            rx.table.cell(rx.el.code(r["sha256"].to(str)[:12])),
                            rx.table.cell(rx.button(_("Download"), size="1", variant="soft",
                                                    on_click=LettersState.download(r["letter_id"]))),
                        ),
                    )
                ),
                id="letters-table",
            ),
        ),
        width="100%",
    )


def _gaps_card() -> rx.Component:
    return rx.card(
        rx.heading(_("Vertalingen van de brieven"), as_="h2", size="4"),
        rx.text(_("Ontbrekende of onzekere (fuzzy) teksten komen in de brief in het Nederlands, gemarkeerd met NL."),
                size="2"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Taal"), _("Vertaald"), _("Fuzzy"), _("Ontbreekt"), _("Nagekeken door moedertaalspreker"))])),
            rx.table.body(
                rx.foreach(
                    LettersState.gaps,
                    lambda g: rx.table.row(*[rx.table.cell(g[k]) for k in ("language", "percent", "fuzzy", "missing", "reviewed")]),
                )
            ),
            id="translation-gaps",
            size="1",
        ),
        width="100%",
    )


def letters_page() -> rx.Component:
    return shell(
        rx.cond(
            LettersState.denied != "",
            rx.callout(LettersState.denied, color_scheme="red", role="alert", id="denied"),
            rx.vstack(
                rx.heading(LettersState.title, as_="h2", size="6", dir="auto", id="letters-title"),
                rx.link(_("Terug naar het dossier"), href="/dossier?id=" + LettersState.person_id.to_string()),
                rx.cond(LettersState.notice != "", rx.callout(LettersState.notice, color_scheme="green", role="status", id="notice")),
                rx.cond(ERR.contains("form"), rx.callout(ERR["form"], color_scheme="red", role="alert", id="form-error")),
                _produce_card(),
                _letters_table(),
                _gaps_card(),
                spacing="4",
                width="100%",
            ),
        ),
        title=_("Brieven"),
    )
