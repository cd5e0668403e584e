"""Fill a letters catalog from a plain list (one message per line, plural forms split by ' || ').

Used once to load the first-draft translations; afterwards edit the .po files directly.
Usage: python tools/fill_letter_translations.py <locale> <file>
Lines follow the order of translations/letters/letters.pot. Placeholders are checked.
"""

from __future__ import annotations

import re
import sys

from babel.messages.pofile import read_po, write_po

from statushouders.letters import catalog

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def main(locale: str, source: str) -> None:
    with catalog.POT_FILE.open("rb") as handle:
        ids = [m.id for m in read_po(handle) if m.id]
    lines = [line.rstrip("\n") for line in open(source, encoding="utf-8") if line.strip()]
    if len(lines) != len(ids):
        sys.exit(f"{locale}: {len(lines)} lines for {len(ids)} messages")
    path = catalog.po_path(locale)
    with path.open("rb") as handle:
        po = read_po(handle, locale=locale)
    nplurals = po.num_plurals
    for msgid, line in zip(ids, lines):
        forms = [part.strip() for part in line.split(" || ")]
        source_ids = msgid if isinstance(msgid, tuple) else (msgid,)
        wanted = set(PLACEHOLDER.findall(source_ids[-1]))
        for form in forms:
            got = set(PLACEHOLDER.findall(form))
            if not got <= wanted | {"num"} or (not isinstance(msgid, tuple) and got != wanted):
                sys.exit(f"{locale}: placeholders differ for {msgid!r}: {form!r}")
        message = po[msgid if isinstance(msgid, str) else msgid[0]]
        if isinstance(msgid, tuple):
            if len(forms) == 1:
                forms = forms * nplurals
            if len(forms) != nplurals:
                sys.exit(f"{locale}: {len(forms)} plural forms for {msgid!r}, need {nplurals}")
            message.string = tuple(forms)
        else:
            if len(forms) != 1:
                sys.exit(f"{locale}: unexpected plural for {msgid!r}")
            message.string = forms[0]
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, po, width=100)
    print(f"{locale}: {len(ids)} messages filled")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
