"""``python -m statushouders letters ...``: batch, preview and start-up check."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .. import auth, db, languages
from ..models import User
from .contexts import LETTER_TYPES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="letters_command", required=True)
    batch = sub.add_parser("batch", help="een brieftype voor veel statushouders tegelijk")
    batch.add_argument("--type", required=True, choices=sorted(LETTER_TYPES), dest="letter_type")
    batch.add_argument("--month", help="maand JJJJ-MM (maandoverzicht)")
    batch.add_argument("--user", default="regisseur", help="gebruikersnaam van wie de brieven maakt")
    batch.add_argument("--person", type=int, action="append", help="alleen deze persoon-id (herhaalbaar)")
    batch.add_argument("--option", action="append", default=[], help="briefgegeven key=waarde, bv. date=2026-12-03")
    batch.add_argument("--workers", type=int, help="aantal processen (standaard: alle kernen)")
    batch.add_argument("--no-progress", action="store_true")
    preview = sub.add_parser("preview", help="voorbeeldbrief (testgegevens) als PDF, zonder database")
    preview.add_argument("--type", required=True, choices=sorted(LETTER_TYPES), dest="letter_type")
    preview.add_argument("--language", default="ti_ER")
    preview.add_argument("--out", default="brief.pdf")
    sub.add_parser("check", help="lettertypen en libharfbuzz-subset controleren")


def run(args) -> int:
    if args.letters_command == "check":
        from .render import check_startup

        warnings = check_startup()
        print("\n".join(warnings) if warnings else "Lettertypen aanwezig, libharfbuzz-subset gevonden.")
        return 1 if warnings else 0
    if args.letters_command == "preview":
        from .render import render_letter
        from .samples import sample

        from .render import LetterError

        try:
            language = languages.normalise(args.language)
            letter = render_letter(sample(args.letter_type, language))
        except (languages.UnknownLanguage, LetterError) as exc:
            print(f"Geen voorbeeldbrief gemaakt: {exc}", file=sys.stderr)
            return 2
        Path(args.out).write_bytes(letter.pdf)
        print(f"{args.out}: {len(letter.pdf)} bytes, sha256 {letter.sha256[:16]}, {len(letter.gaps)} hiaten")
        return 0
    return _batch(args)


def _batch(args) -> int:
    from sqlalchemy import select

    from . import batch

    options = {}
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep:
            print(f"--option '{item}': gebruik key=waarde.", file=sys.stderr)
            return 2
        options[key.strip()] = value.strip()
    if args.month:
        options["month"] = args.month
    db.migrate()
    with db.session_scope() as session:
        user = session.scalars(select(User).where(User.username == args.user, User.active.is_(True))).first()
        if user is None:
            print(f"Gebruiker '{args.user}' bestaat niet of is niet actief.", file=sys.stderr)
            return 2
        actor = auth.actor_for(user)
    report = batch.run(
        db.sessionmaker_for(), actor, args.letter_type, options, date.today(), args.person, args.workers,
        progress=not args.no_progress,
    )
    print(report.summary())
    return 0 if not report.failed else 1
