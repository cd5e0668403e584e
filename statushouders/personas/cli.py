"""``python -m statushouders personas validate [DIR]``: check every persona file, print a table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from . import checks, schema


def table(personas: list[schema.Persona]) -> list[str]:
    """One line per persona: who, status, letter language, route, overall level, household, events, findings."""
    rows = [("persona", "naam", "status", "brieftaal", "route", "niveau", "gezin", "gebeurt.", "bevindingen (uit bestand)")]
    for p in personas:
        found = [f.check + ("!" if f.blocking else "") for f in checks.static_findings(p)]
        rows.append((
            p.id, p.display_name, p.residence.status, p.expected.letter_language, p.expected.route or "-",
            p.expected.overall or "-", str(len(p.household)), str(len(p.events)), ", ".join(found) or "-",
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)) + "  " + r[-1] for r in rows]


def validate(directory: str | Path = schema.PERSONAS_DIR, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the personas table and every error; 0 when all files are valid, 1 otherwise."""
    out, err = out or sys.stdout, err or sys.stderr
    files = schema.persona_files(directory)
    if not files:
        print(f"Geen persona's gevonden in {schema.display_path(Path(directory))} (*.yaml).", file=err)
        return 1
    personas, problems = schema.validate_all(directory)
    if personas:
        print("\n".join(table(personas)), file=out)
    print(f"\n{len(personas)} van {len(files)} persona's geldig ('!' = blokkerende bevinding).", file=out)
    for problem in problems:
        print(str(problem), file=err)
    return 1 if problems else 0


def summary(journeys) -> list[str]:
    """The persona x findings table: '!' blocking, '*' blocking and not expected for this persona."""
    rows = [("persona", "route", "brieftaal", "brieven", "min. leefgeld", "uitkomst", "bevindingen")]
    for j in journeys:
        marks = [f.check + ("*" if f.blocking and f.check not in j.expected else "!" if f.blocking else "")
                 for f in j.findings]
        low = min(m.leefgeld for m in j.money.values()) if j.money else None
        outcome = "OK" if j.ok else "FOUT"
        if j.missing:
            outcome += " (mist: " + ",".join(j.missing) + ")"
        rows.append((j.persona_id, j.route or "-", j.letter_language, str(len(j.letters)),
                     "-" if low is None else f"{low:.2f}", outcome, ", ".join(marks) or "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)) + "  " + r[-1] for r in rows]


def run(persona_id: str = "", directory: str | Path = schema.PERSONAS_DIR, html_dir: str = "", pdf_dir: str = "",
        out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the chain flow for one persona or all; exit 1 on a blocking finding the persona does not expect."""
    from . import report, runner

    out, err = out or sys.stdout, err or sys.stderr
    try:
        journeys = runner.run_all(directory, persona_id or None)
    except (schema.PersonaError, runner.RunnerError) as exc:
        print(str(exc), file=err)
        return 2
    print("\n".join(summary(journeys)), file=out)
    for path in report.write(journeys, html_dir or None, pdf_dir or None):
        print(f"Rapport: {path}", file=out)
    failed = [j for j in journeys if not j.ok]
    print(f"\n{len(journeys)} persona's gedraaid in {sum(j.seconds for j in journeys):.1f} s; "
          f"{len(failed)} met onverwachte blokkerende bevindingen ('!' = blokkerend, '*' = blokkerend en niet verwacht).",
          file=out)
    return 1 if failed else 0
