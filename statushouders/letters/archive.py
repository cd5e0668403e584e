"""The letter archive: check access, build, store and hand out letters, each step audited.

Producing a letter is split in three so the web server never renders on its event loop:
``prepare`` (database: access check and context), render (in a worker process, see
``pool``), ``store`` (database: the PDF, its SHA-256, versions, who and when, plus an
audit entry). ``produce`` chains the three in-process for the CLI and tests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, config, languages, policy
from ..catalogs import staff_message
from ..catalogs import staff_text as _
from ..models import LetterRecord, Person
from ..policy import AccessDenied, Actor
from . import budget_sources, catalog, plan_sources, sources  # noqa: F401 (plan_sources, budget_sources register builders)
from .contexts import LETTER_TYPES, TYPE_LABELS_NL, LetterBase
from .render import RenderedLetter, render_letter


def _check(session: Session, actor: Actor, person_id: int, letter_type: str, today: date, what: str) -> Person:
    """Refuse unless the actor may open this file and handle this letter type.

    ``what`` (Dutch, marked with ``staff_message``) is the audit log's purpose and, translated, the refusal's verb.
    """
    if letter_type not in LETTER_TYPES:
        raise AccessDenied(_("Onbekend brieftype '{letter_type}'.").format(letter_type=letter_type))
    person = session.get(Person, person_id)
    if person is None or not policy.visible_groups(actor, person, session, today):
        audit.record_refusal(session, actor, "toegang geweigerd", what, person_id)
        raise AccessDenied(_("Dit dossier bestaat niet of u heeft er geen toegang toe."))
    if letter_type not in policy.letter_types(actor):
        audit.record_refusal(session, actor, "toegang geweigerd", what, person_id)
        raise AccessDenied(_("U mag als {role} ({organisation}) geen brief '{letter}' {what}.").format(
            role=_(actor.role_label), organisation=actor.organisation, letter=_(TYPE_LABELS_NL[letter_type]),
            what=_(what)))
    return person


def prepare(session: Session, actor: Actor, person_id: int, letter_type: str, options: dict | None,
            today: date) -> LetterBase:
    """Access check and the letter's context from the database (no rendering here)."""
    _check(session, actor, person_id, letter_type, today, staff_message("maken"))
    # The date and the reference are the system's, never taken from a submitted form.
    entered = {k: v for k, v in (options or {}).items() if k not in {"today", "reference"}}
    return sources.build(session, actor, letter_type, person_id, {**entered, "today": today})


def store(session: Session, actor: Actor, person_id: int, rendered: RenderedLetter, context: LetterBase,
          batch: str | None = None) -> LetterRecord:
    """Archive one rendered letter and log it as an export of the person's data."""
    if hashlib.sha256(rendered.pdf).hexdigest() != rendered.sha256:
        raise ValueError("PDF en hash horen niet bij elkaar.")
    record = LetterRecord(
        person_id=person_id,
        letter_type=rendered.letter_type,
        language=rendered.language,
        reference=context.reference,
        sha256=rendered.sha256,
        size=len(rendered.pdf),
        pdf=rendered.pdf,
        template_version=rendered.template_version,
        catalog_version=rendered.catalog_version,
        gaps=list(rendered.gaps),
        produced_at=datetime.now(timezone.utc),
        produced_by=actor.user_id,
        produced_by_name=actor.name,
        organisation=actor.organisation,
        batch=batch,
    )
    session.add(record)
    session.flush()
    gap_note = f", {len(rendered.gaps)} tekstdelen alleen in het Nederlands" if rendered.gaps else ""
    audit.record(
        session, actor, audit.EXPORT,
        f"brief gemaakt: {TYPE_LABELS_NL[rendered.letter_type]} ({rendered.language}), {context.reference}, "
        f"sha256 {rendered.sha256[:16]}{gap_note}",
        "brief aan statushouder", person_id,
    )
    return record


def produce(session: Session, actor: Actor, person_id: int, letter_type: str, options: dict | None,
            today: date, batch: str | None = None) -> LetterRecord:
    """Prepare, render in this process and store: for the CLI, batch workers and tests."""
    context = prepare(session, actor, person_id, letter_type, options, today)
    return store(session, actor, person_id, render_letter(context), context, batch)


@dataclass(frozen=True)
class LetterRow:
    letter_id: int
    letter_type: str
    label: str
    language: str
    language_name: str
    reference: str
    produced_at: str
    produced_by: str
    organisation: str
    sha256: str
    size_kb: str
    gaps: int


def list_letters(session: Session, actor: Actor, person_id: int, today: date) -> list[LetterRow]:
    """The person's archived letters of the types this actor handles, newest first (logged)."""
    person = session.get(Person, person_id)
    if person is None or not policy.visible_groups(actor, person, session, today):
        audit.record_refusal(session, actor, "toegang geweigerd", "brievenlijst", person_id)
        raise AccessDenied(_("Dit dossier bestaat niet of u heeft er geen toegang toe."))
    types = policy.letter_types(actor)
    rows = session.execute(
        select(LetterRecord.id, LetterRecord.letter_type, LetterRecord.language, LetterRecord.reference,
               LetterRecord.produced_at, LetterRecord.produced_by_name, LetterRecord.organisation,
               LetterRecord.sha256, LetterRecord.size, LetterRecord.gaps)
        .where(LetterRecord.person_id == person_id, LetterRecord.letter_type.in_(types))
        .order_by(LetterRecord.id.desc())
    ).all()
    audit.record(session, actor, audit.READ, "brievenlijst bekeken", "brieven aan statushouder", person_id)
    return [
        LetterRow(
            r.id, r.letter_type, TYPE_LABELS_NL[r.letter_type], r.language, languages.get(r.language).name_nl,
            r.reference, _local(r.produced_at), r.produced_by_name, r.organisation, r.sha256,
            f"{r.size / 1024:.0f} kB", len(r.gaps or []),
        )
        for r in rows
    ]


def _local(moment: datetime) -> str:
    return config.local_time(moment)


def fetch(session: Session, actor: Actor, letter_id: int, today: date) -> tuple[str, bytes]:
    """(file name, PDF bytes) of an archived letter; checks access and the stored hash, logs it."""
    record = session.get(LetterRecord, letter_id)
    if record is None:
        raise AccessDenied(_("Deze brief bestaat niet of u heeft er geen toegang toe."))
    _check(session, actor, record.person_id, record.letter_type, today, staff_message("downloaden"))
    if hashlib.sha256(record.pdf).hexdigest() != record.sha256:
        raise ValueError(_("Brief {reference} is beschadigd: de hash klopt niet meer.").format(reference=record.reference))
    audit.record(session, actor, audit.EXPORT, f"brief gedownload: {record.reference}", "brief opnieuw geleverd",
                 record.person_id)
    return f"{record.reference}-{record.letter_type}-{record.language}.pdf", record.pdf


@dataclass(frozen=True)
class Gap:
    language: str
    language_name: str
    percent: int
    fuzzy: int
    missing: int
    reviewed: bool
    messages: list[str]


def translation_gaps() -> list[Gap]:
    """Per language: how complete the letter catalog is, for the staff UI (no person data)."""
    return [
        Gap(s.locale, languages.LANGUAGES[s.locale].name_nl, int(s.percent), s.fuzzy, len(s.missing),
            s.reviewed, s.missing[:10])
        for s in catalog.report()
    ]


@dataclass(frozen=True)
class LetterPage:
    """What the letters page shows of one person: name, letter language, allowed types, letters."""

    display_name: str
    language: str
    language_name: str
    types: list[tuple[str, str, bool]]  # (type, Dutch label, source available)
    rows: list[LetterRow]
    reader_warning: str = ""  # the person cannot read: propose the call-back / interpreter route


def page(session: Session, actor: Actor, person_id: int, today: date) -> LetterPage:
    """The person's letters page for this actor (the list read is logged by ``list_letters``)."""
    from ..register import display_name

    rows = list_letters(session, actor, person_id, today)
    person = session.get(Person, person_id)
    language = languages.normalise(person.letter_language or "nl")
    allowed = policy.letter_types(actor)
    types = [(t, TYPE_LABELS_NL[t], sources.available(t)) for t in LETTER_TYPES if t in allowed]
    return LetterPage(display_name(person), language, languages.LANGUAGES[language].name_nl, types, rows,
                      reader_warning(person))


def reader_warning(person: Person) -> str:
    """A warning for staff when a letter alone cannot reach the person (literacy recorded at registration)."""
    if person.literacy == "illiterate":
        return _("Let op: deze persoon kan niet lezen of schrijven. Een brief alleen is niet genoeg: bel de persoon "
                 "met een tolk (terugbelverzoek) en leg de brief mondeling uit. Stuur de brief als bewijs mee.")
    if person.literacy == "limited":
        return _("Deze persoon leest beperkt. Houd de brief kort en bespreek hem ook mondeling, zo nodig met een tolk.")
    return ""
