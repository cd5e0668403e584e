"""State of the letters page: produce a letter (rendered in a worker process), list, download."""

from __future__ import annotations

import dataclasses
import logging

import reflex as rx

from .. import db
from ..letters import archive, pool, sources
from ..letters.render import LetterError
from ..policy import AccessDenied
from ..validation import id_or_zero
from .auth_state import LOGIN_PAGE, AuthState
from .i18n import _

log = logging.getLogger(__name__)


class LettersState(AuthState):
    """One person's letters: the form to make one, the archive list and the translation gaps."""

    person_id: int = 0
    title: str = ""
    language: str = ""
    language_name: str = ""
    type_options: list[list[str]] = []
    unavailable: list[str] = []
    rows: list[dict] = []
    gaps: list[dict] = []
    person_gap: str = ""
    reader_warning: str = ""
    denied: str = ""
    errors: dict[str, str] = {}
    notice: str = ""
    selected_type: str = ""
    busy: bool = False

    async def _load(self, actor):
        try:
            data = await db.call(archive.page, actor, self.person_id, self.today())
        except AccessDenied as exc:
            log.warning("letters page refused: person %s, url %r, actor %s: %s",
                        self.person_id, str(self.router.url), actor.name, exc)
            self.denied, self.rows, self.title = str(exc), [], ""
            return
        self.denied = ""
        self.title = data.display_name
        self.language, self.language_name = data.language, data.language_name
        self.reader_warning = data.reader_warning
        self.type_options = [[t, label if ok else f"{label} ({_('nog niet beschikbaar')})"] for t, label, ok in data.types]
        self.unavailable = [t for t, _label, ok in data.types if not ok]
        self.rows = [dataclasses.asdict(row) for row in data.rows]
        gaps = archive.translation_gaps()
        self.gaps = [
            {
                "language": g.language_name, "code": g.language, "percent": f"{g.percent}%", "fuzzy": str(g.fuzzy),
                "missing": str(g.missing), "reviewed": _("ja") if g.reviewed else _("nee (eerste versie)"),
            }
            for g in gaps
        ]
        mine = next((g for g in gaps if g.language == data.language), None)
        if mine is None or data.language == "nl":
            self.person_gap = ""
        elif mine.missing:
            self.person_gap = _(
                "Let op: {missing} tekstdelen zijn nog niet vertaald in het {language}. "
                "Die delen staan in de brief in het Nederlands, gemarkeerd met NL."
            ).format(missing=mine.missing, language=data.language_name)
        elif not mine.reviewed:
            self.person_gap = _(
                "De vertaling in het {language} is compleet, maar nog niet nagekeken door een moedertaalspreker."
            ).format(language=data.language_name)
        else:
            self.person_gap = ""

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.person_id = self.person_id_from_url()
        self.errors, self.notice, self.busy = {}, "", False
        pool.prestart()  # warm the render worker while staff fill in the form
        await self._load(actor)

    @rx.event
    def choose_type(self, value: str):
        self.selected_type = value
        self.errors = {}

    @rx.event
    async def produce(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            yield rx.redirect(LOGIN_PAGE)
            return
        letter_type = str(form.get("letter_type", ""))
        if not letter_type:
            self.errors, self.notice = {"letter_type": _("Kies een soort brief.")}, ""
            return
        options = {k: str(v) for k, v in form.items() if k != "letter_type"}
        self.busy, self.errors, self.notice = True, {}, ""
        yield
        try:
            context = await db.call(archive.prepare, actor, self.person_id, letter_type, options, self.today())
            rendered = await pool.render_async(context)  # a worker process, not the event loop
            record = await db.call(archive.store, actor, self.person_id, rendered, context)
        except sources.OptionErrors as exc:
            self.errors = exc.errors
        except sources.NotAvailable as exc:
            self.errors = {"letter_type": str(exc)}
        except (AccessDenied, LetterError) as exc:
            self.errors = {"form": str(exc)}
        else:
            gap_note = _(" Let op: {n} tekstdelen staan alleen in het Nederlands.").format(n=len(rendered.gaps)) if rendered.gaps else ""
            self.notice = _("Brief {reference} gemaakt en bewaard.").format(reference=record.reference) + gap_note
            await self._load(actor)
        finally:
            self.busy = False

    @rx.event
    async def download(self, letter_id: int):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            name, data = await db.call(archive.fetch, actor, id_or_zero(letter_id), self.today())
        except (AccessDenied, ValueError) as exc:
            self.errors = {"list": str(exc)}
            return
        return rx.download(data=data, filename=name, mime_type="application/pdf")
