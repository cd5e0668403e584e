"""The klantreis report: one persona's journey and findings as HTML (Jinja2) and PDF (WeasyPrint).

The PDF reuses the letters' vendored Noto fonts (``letters.render.font_face_css`` with one
``FontConfiguration``), so names in the person's own script (Ge'ez, Arabic) render without boxes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import languages
from ..letters import render as letter_render
from ..letters.contexts import TYPE_LABELS_NL
from .runner import Journey

HERE = Path(__file__).resolve().parent
STEP_WIDTH = 640


def euro(amount) -> str:
    """Euros as the persona findings write them (``€ -12,00``)."""
    return f"€ {amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _lang(code: str) -> str:
    try:
        return languages.get(code).name_nl
    except languages.UnknownLanguage:
        return code


def _script(text: str) -> Markup:
    """Text in its own script wrapped in a span with the letters' font class."""
    cls = letter_render.script_class(text or "")
    escaped = Markup.escape(text or "")
    return Markup(f'<bdi class="{cls}">{escaped}</bdi>') if cls else escaped


def timeline_svg(journey: Journey) -> Markup:
    """A simple inline SVG: the steps as dots on a time line, findings' steps in red, leefgeld bars below."""
    if not journey.steps:
        return Markup("")
    first, last = journey.steps[0].on, max(s.on for s in journey.steps)
    span = max((last - first).days, 1)
    x = lambda d: 20 + (d - first).days * (STEP_WIDTH - 40) / span  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{STEP_WIDTH}" height="150" role="img" '
             f'aria-label="Tijdlijn van {Markup.escape(journey.name)}">',
             f'<line x1="20" y1="40" x2="{STEP_WIDTH - 20}" y2="40" stroke="#555" stroke-width="2"/>']
    for i, s in enumerate(journey.steps):
        cx = x(s.on)
        colour = "#1565c0" if s.letters else "#555"
        parts.append(f'<circle cx="{cx:.1f}" cy="40" r="5" fill="{colour}"><title>{s.on.isoformat()} '
                     f'{Markup.escape(s.step)}</title></circle>')
    parts.append(f'<text x="20" y="20" font-size="10">{first.isoformat()}</text>')
    parts.append(f'<text x="{STEP_WIDTH - 20}" y="20" font-size="10" text-anchor="end">{last.isoformat()}</text>')
    if journey.money:
        values = [(month, m.available, m.short) for month, m in journey.money.items()]
        top = max([abs(v) for _, v, _low in values] + [1])
        bar = (STEP_WIDTH - 40) / len(values)
        for i, (month, amount, low) in enumerate(values):
            h = float(abs(amount)) / float(top) * 50
            colour = "#c62828" if low else "#2e7d32"
            y = 120 - h if amount >= 0 else 120
            parts.append(f'<rect x="{20 + i * bar + 2:.1f}" y="{y:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" '
                         f'fill="{colour}"><title>{month}: {euro(amount)}</title></rect>')
        parts.append(f'<line x1="20" y1="120" x2="{STEP_WIDTH - 20}" y2="120" stroke="#999"/>')
        parts.append('<text x="20" y="142" font-size="10">om van te leven per maand (rood: onder de norm voor dit huishouden)</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(euro=euro, lang=_lang, script=_script)
    return env


def to_html(journeys: list[Journey], today: date | None = None, for_pdf: bool = False) -> str:
    """The report page for one or more journeys (self-contained HTML)."""
    return _environment().get_template("report.html.j2").render(
        journeys=journeys, today=today or date.today(), letter_labels=TYPE_LABELS_NL, svg=timeline_svg,
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
