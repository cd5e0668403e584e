"""Open "call me" requests where staff work: on *Mijn acties* (all persons) and on a person's file.

The rules are in ``statushouders.callbacks``; this formats its rows and renders one table for both pages.
"""

from __future__ import annotations

from datetime import datetime, timezone

import reflex as rx

from .. import callbacks, config, db
from ..policy import AccessDenied, Actor
from ..validation import parse_id
from .i18n import _

OUTCOME_BUTTONS = {callbacks.REACHED: _("Bereikt"), callbacks.RETRY: _("Niet bereikt, later opnieuw"),
                   callbacks.NOT_REACHED: _("Niet bereikt, afsluiten")}
PART_OF_DAY_LABELS = {"": _("geen voorkeur"), callbacks.MORNING: _("ochtend"), callbacks.AFTERNOON: _("middag")}


# The handled row and its button disappear: keyboard focus goes to the message, not to the end of the page.
FOCUS_MESSAGE = "(document.getElementById('callback-notice') || document.getElementById('callback-error'))?.focus()"


def _local(at: datetime) -> str:
    return config.local_time(at)


async def load(actor: Actor, today, person_id: int | None = None) -> list[dict[str, str]]:
    """The open requests this actor calls back, as table rows; none for a role that does not call back."""
    if not callbacks.may_handle(actor):
        return []
    rows = await db.call(callbacks.open_for_staff, actor, today, person_id)
    return [
        {
            "id": str(r.request_id),
            "person_id": str(r.person_id),
            "person_name": r.person_name,
            "phone": r.phone,
            "language": r.language + (_(", tolk nodig") if r.interpreter_needed else "")
            + (" " + _("(vroeg in het {language})").format(language=r.asked_in) if r.asked_in else ""),
            "part_of_day": PART_OF_DAY_LABELS.get(r.part_of_day, r.part_of_day),
            "requested_at": _local(r.requested_at),
            "case_owner": (_("casusregisseur: u") if r.mine else _("casusregisseur: {name}").format(name=r.case_owner)
                           if r.case_owner else ""),
            "attempts": (_("{n} poging(en) zonder gehoor, laatste {when}").format(
                n=r.attempts, when=_local(r.last_attempt_at)) if r.attempts else ""),
        }
        for r in rows
    ]


async def handle(actor: Actor, request_id: str, outcome: str = callbacks.REACHED) -> tuple[str, str]:
    """Record one call's outcome: (notice, error) for the page."""
    ident = parse_id(request_id)
    if ident is None:
        return "", _("Dit terugbelverzoek bestaat niet (meer) voor uw organisatie.")
    try:
        done = await db.call(callbacks.record_outcome, actor, ident, str(outcome), datetime.now(timezone.utc))
    except (AccessDenied, ValueError) as exc:
        return "", str(exc)
    if done.already:
        return _("Dit terugbelverzoek was al afgehandeld door {who} op {when}.").format(
            who=done.handled_by, when=_local(done.handled_at)), ""
    if done.outcome == callbacks.RETRY:
        return _("Niet bereikt (poging {n}): het verzoek blijft open om opnieuw te bellen.").format(n=done.attempts), ""
    if done.outcome == callbacks.NOT_REACHED:
        return _("Niet bereikt na {n} poging(en): het verzoek is afgesloten.").format(n=done.attempts), ""
    return _("Terugbelverzoek afgehandeld: bereikt."), ""


def callback_table(state, with_person: bool = True) -> rx.Component:
    """The open requests of ``state.callbacks`` with one button per outcome; ``state.handle_callback`` records it."""

    def row(r) -> rx.Component:
        cells = [rx.table.cell(rx.link(r["person_name"], href="/dossier?id=" + r["person_id"], dir="auto"),
                               rx.cond(r["case_owner"] != "", rx.text(r["case_owner"], size="1", color="#555")))] \
            if with_person else []
        return rx.table.row(
            *cells,
            rx.table.cell(rx.link(rx.el.bdi(r["phone"], dir="ltr"), href="tel:" + r["phone"])),
            rx.table.cell(r["language"]),
            rx.table.cell(r["part_of_day"]),
            rx.table.cell(r["requested_at"], rx.cond(r["attempts"] != "", rx.text(r["attempts"], size="1"))),
            rx.table.cell(rx.hstack(*[
                rx.button(label, size="1", variant="soft" if outcome == callbacks.REACHED else "outline",
                          on_click=state.handle_callback(r["id"], outcome), id=f"{outcome}-callback-" + r["id"],
                          aria_label=label + ": " + r["person_name"])  # starts with the visible text
                for outcome, label in OUTCOME_BUTTONS.items()], spacing="1", wrap="wrap")),
            class_name="callback-row",
        )

    headers = ([_("Statushouder")] if with_person else []) + [
        _("Telefoon"), _("Taal"), _("Voorkeur"), _("Gevraagd op"), ""]
    return rx.card(
        rx.heading(_("Terugbelverzoeken"), as_="h2", size="4"),
        rx.text(_("De statushouder vroeg in de eigen omgeving om teruggebeld te worden. Bel in de taal van de "
                  "persoon, met een tolk als dat nodig is."), size="2"),
        rx.cond(state.callback_notice != "",
                rx.text(state.callback_notice, role="status", color="#0f5223", id="callback-notice", tab_index=-1)),
        rx.cond(state.callback_error != "",
                rx.text(state.callback_error, role="alert", color="#b00020", id="callback-error", tab_index=-1)),
        rx.cond(
            state.callbacks.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.foreach(state.callbacks, row)),
                id="callbacks-table",
            ),
            rx.text(_("Geen open terugbelverzoeken."), id="no-callbacks"),
        ),
        width="100%",
        id="callbacks",
    )
