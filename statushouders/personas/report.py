"""The klantreis report: one or more personas' journeys and findings as HTML (Jinja2) and PDF (WeasyPrint).

Written for a municipal coordinator: Dutch titles instead of check ids, words instead of codes
(``labels``), an outcome banner that agrees with the findings, the klantreis as an inline SVG (every
step with its date, the waiting time before it and the findings at the step they concern) and, for
more than one journey, a matrix of which check fails for whom.

The PDF reuses the letters' vendored Noto fonts (``letters.render.font_face_css`` with one
``FontConfiguration``), so names in the person's own script (Ge'ez, Arabic) render without boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..catalogs import staff_message
from ..letters import render as letter_render
from ..letters.contexts import TYPE_LABELS_NL
from . import labels
from .checks import Finding
from .labels import Translate, dutch
from .runner import Journey, Step

HERE = Path(__file__).resolve().parent

# --- the klantreis as SVG ---------------------------------------------------------------------------

WIDTH = 720
X_DATE, X_WAIT, X_LINE, X_TEXT = 8, 178, 192, 206  # date | waiting time | the line | step, letters, findings
TOP, STEP_ROW, NOTE_ROW = 48, 22, 16
STEP_CHARS, NOTE_CHARS = 80, 96  # what fits right of the line at 11 and 10 px
COLOURS = {"error": "#b71c1c", "warning": "#8a5a00", "letter": "#1565c0", "step": "#555", "text": "#222"}
FONT = "Letter Sans, Noto Sans, DejaVu Sans, sans-serif"

# Where a finding shows on the klantreis: the first step (in this order of label beginnings) it concerns,
# by check id, else by the finding's step; a finding without such a step is listed below the last step.
CHECK_STEPS: dict[str, tuple[str, ...]] = {
    "household_change_not_in_plan": ("Gezin komt aan",),
    "lessons_stopped": ("Stopt met de lessen",),
    "attendance_risk": ("Vindt werk",),
    "call_me_unanswered": ("Bel mij",),
    "callback_wrong_language": ("Teruggebeld", "Bel mij"),
    "ontzorgen_declined_without_letter": ("Uitkering en ontzorgen",),
}
AREA_STEPS: dict[str, tuple[str, ...]] = {
    "verblijf": ("Koppeling aan gemeente", "Verblijfsvergunning"),
    "wonen": ("Woningaanbod", "Verhuizing naar de gemeente", "Koppeling aan gemeente"),
    "intake": ("Brede intake",),
    "plan": ("Plan van aanpak", "Brede intake"),
    "PIP": ("PIP versie", "Geen PIP"),
    "inburgering": ("Stopt met de lessen", "Lessen gepauzeerd", "PIP versie"),
    "budget": ("Uitkering en ontzorgen", "Betaalrun"),
    "eigen omgeving": ("Bel mij",),
}
LETTER_AREAS = {"brieven", "communicatie"}  # shown at the first step that sent a letter


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 0)].rstrip() + "…"


def _anchor(finding: Finding, steps: Sequence[Step]) -> int | None:
    """The index of the step a finding concerns, or None."""
    if finding.check not in CHECK_STEPS and finding.step in LETTER_AREAS:
        return next((i for i, s in enumerate(steps) if s.letters), None)
    for prefix in CHECK_STEPS.get(finding.check) or AREA_STEPS.get(finding.step, ()):
        found = next((i for i, s in enumerate(steps) if s.step.startswith(prefix)), None)
        if found is not None:
            return found
    return None


def findings_by_step(journey: Journey) -> dict[int | None, list[Finding]]:
    """The journey's findings per step index (None: no step of the klantreis is theirs)."""
    placed: dict[int | None, list[Finding]] = {}
    for f in journey.findings:
        placed.setdefault(_anchor(f, journey.steps), []).append(f)
    return placed


def _tone(findings: Sequence[Finding]) -> str:
    if any(f.blocking for f in findings):
        return "error"
    return "warning" if findings else ""


def _text(x: float, y: float, content: str, size: int = 10, fill: str = COLOURS["text"], extra: str = "") -> str:
    return f'<text x="{x}" y="{y}" font-size="{size}" fill="{fill}"{extra}>{escape(content)}</text>'


def _legend(journey: Journey, translate: Translate) -> list[str]:
    first, last = min(s.on for s in journey.steps), max(s.on for s in journey.steps)
    parts = [_text(X_DATE, 16, translate(staff_message("Van {first} tot {last} ({days})")).format(
        first=labels.date_nl(first), last=labels.date_nl(last),
        days=labels.days_label((last - first).days, translate)), size=11, extra=' font-weight="bold"')]
    x = X_DATE
    for colour, word in (("step", staff_message("stap")), ("letter", staff_message("stap met brief")),
                         ("error", staff_message("blokkerende bevinding")),
                         ("warning", staff_message("niet-blokkerende bevinding"))):
        word = translate(word)
        parts.append(f'<circle cx="{x + 4}" cy="31" r="4" fill="{COLOURS[colour]}"/>')
        parts.append(_text(x + 12, 35, word))
        x += 12 + len(word) * 6 + 18
    return parts


def _finding_note(f: Finding, y: float, journey: Journey, translate: Translate) -> str:
    tone = _tone([f])
    state = translate(staff_message("blokkerend") if f.blocking else staff_message("niet blokkerend"))
    if f.check in journey.expected:
        state += ", " + translate(staff_message("verwacht"))
    text = _clip(f"{labels.check_label(f.check)} ({state})", NOTE_CHARS)
    return (f'<rect x="{X_TEXT}" y="{y - 8}" width="8" height="8" fill="{COLOURS[tone]}"/>'
            + _text(X_TEXT + 13, y, text, fill=COLOURS[tone], extra=' font-weight="bold"'))


def letters_text(letters: Sequence[tuple[str, str]], translate: Translate = dutch) -> str:
    """``Brief: Samenvatting plan (Somalisch)``: every letter of a step with its language in words."""
    names = ", ".join(f"{TYPE_LABELS_NL.get(t, t)} ({labels.language_name(lang)})" for t, lang in letters)
    one, many = staff_message("Brief: {letters}"), staff_message("Brieven: {letters}")
    return translate(one if len(letters) == 1 else many).format(letters=names)


def _step(step: Step, y: float, journey: Journey, findings: Sequence[Finding],
          translate: Translate) -> tuple[list[str], float]:
    """One step's row (date, dot, label and partner) and its notes (letters, findings); the y below them."""
    tone = _tone(findings)
    dot = COLOURS[tone] if tone else COLOURS["letter" if step.letters else "step"]
    title = " · ".join(filter(None, [labels.date_nl(step.on), step.step, step.partner, step.detail]))
    label = _clip(step.step, STEP_CHARS)
    partner = _clip(step.partner, STEP_CHARS - len(label) - 3)
    text_y = y + 15
    parts = [f"<g><title>{escape(title)}</title>",
             _text(X_DATE, text_y, labels.date_nl(step.on), size=11),
             f'<circle cx="{X_LINE}" cy="{text_y - 4}" r="5" fill="{dot}" stroke="white" stroke-width="1.5"/>',
             f'<text x="{X_TEXT}" y="{text_y}" font-size="11" fill="{COLOURS[tone] if tone else COLOURS["text"]}">'
             f'<tspan font-weight="bold">{escape(label)}</tspan>'
             + (f'<tspan fill="{COLOURS["step"]}"> · {escape(partner)}</tspan>' if partner else "") + "</text>", "</g>"]
    y += STEP_ROW
    if step.letters:
        parts.append(_text(X_TEXT, y + 11, _clip(letters_text(step.letters, translate), NOTE_CHARS),
                           fill=COLOURS["letter"]))
        y += NOTE_ROW
    for f in findings:
        parts.append(_finding_note(f, y + 11, journey, translate))
        y += NOTE_ROW
    return parts, y


def timeline_svg(journey: Journey, translate: Translate = dutch) -> Markup:
    """The klantreis as a vertical line: per step its date, the waiting time since the step before, the
    step and partner, its letters and the findings it concerns (red: blocking, amber: not blocking)."""
    if not journey.steps:
        return Markup("")
    placed = findings_by_step(journey)
    parts: list[str] = _legend(journey, translate)
    y, dots = TOP, []
    for i, step in enumerate(journey.steps):
        dot_y = y + 11
        if dots and (wait := (step.on - journey.steps[i - 1].on).days) > 0:
            parts.append(_text(X_WAIT, (dots[-1] + dot_y) / 2 + 3.5, labels.days_label(wait, translate),
                               fill=COLOURS["step"], extra=' text-anchor="end" font-style="italic"'))
        dots.append(dot_y)
        rows, y = _step(step, y, journey, placed.get(i, []), translate)
        parts += rows
    if placed.get(None):
        parts.append(_text(X_TEXT, y + 15, translate(staff_message("Bevindingen zonder eigen stap in de klantreis:")),
                           size=11, extra=' font-weight="bold"'))
        y += STEP_ROW
        for f in placed[None]:
            parts.append(_finding_note(f, y + 11, journey, translate))
            y += NOTE_ROW
    line = f'<line x1="{X_LINE}" y1="{dots[0]}" x2="{X_LINE}" y2="{dots[-1]}" stroke="#999" stroke-width="2"/>'
    height = int(y + 8)
    label = translate(staff_message("Klantreis van {name}")).format(name=journey.name)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="klantreis" viewBox="0 0 {WIDTH} {height}" '
        f'style="width:100%;max-width:{WIDTH}px;height:auto" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT}">{line}{"".join(parts)}</svg>')


# --- HTML and PDF ------------------------------------------------------------------------------------


def _script(text: str) -> Markup:
    """Text in its own script wrapped in a span with the letters' font class."""
    cls = letter_render.script_class(text or "")
    escaped = escape(text or "")
    return Markup(f'<bdi class="{cls}">{escaped}</bdi>') if cls else escaped


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(euro=labels.euro, date_nl=labels.date_nl, month_nl=labels.month_nl,
                       check_label=labels.check_label, area=labels.area_label, household=labels.household_label,
                       route=labels.route_label, level=labels.level_label, letters=letters_text, script=_script)
    return env


def to_html(journeys: list[Journey], today: date | None = None, for_pdf: bool = False) -> str:
    """The report page for one or more journeys (self-contained HTML); with more than one, the matrix first."""
    return _environment().get_template("report.html.j2").render(
        journeys=journeys, today=today or date.today(), svg=timeline_svg, outcome=labels.outcome,
        language=labels.letter_language_label, matrix=labels.matrix(journeys) if len(journeys) > 1 else None,
        font_css=Markup(letter_render.font_face_css()) if for_pdf else "",
    )


_PDF: dict = {}


def to_pdf(journeys: list[Journey], today: date | None = None) -> bytes:
    """The same report as PDF, with the letters' vendored fonts (one FontConfiguration per process)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = _PDF.setdefault("fonts", FontConfiguration())
    return HTML(string=to_html(journeys, today, for_pdf=True), base_url=str(HERE)).write_pdf(font_config=font_config)


def write(journeys: list[Journey], html_dir: str | Path | None = None, pdf_dir: str | Path | None = None) -> list[Path]:
    """One report file per journey (``<id>.html`` / ``<id>.pdf``) in the given folders."""
    written = []
    for folder, suffix, make in ((html_dir, "html", lambda j: to_html([j]).encode("utf-8")),
                                 (pdf_dir, "pdf", lambda j: to_pdf([j]))):
        if not folder:
            continue
        Path(folder).mkdir(parents=True, exist_ok=True)
        for j in journeys:
            path = Path(folder) / f"{j.persona_id}.{suffix}"
            path.write_bytes(make(j))
            written.append(path)
    return written
