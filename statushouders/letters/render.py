"""Letter context -> bilingual HTML -> PDF with WeasyPrint, using only the vendored fonts.

One ``Renderer`` per worker process holds one ``FontConfiguration`` and one pre-parsed
stylesheet and always passes both to ``write_pdf`` (without the font configuration the
``@font-face`` fonts are silently dropped). A ``.notdef`` glyph (WeasyPrint logs it)
fails the letter with ``MissingGlyphs``: a letter in boxes is never produced.

Security (docs/letters.md, "Security"): templates escape every data text (data texts
are translated with ``t()``, never with ``_()``); WeasyPrint fetches only through
``LetterFetcher``, which serves the vendored font files and refuses everything else,
and a refused fetch fails the letter. The font configuration (``fonts.conf``) knows no
system font, and every produced PDF is checked to embed only the vendored families.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from babel.dates import format_date, get_day_names
from babel.numbers import format_currency, format_decimal
from jinja2.ext import _make_new_gettext, _make_new_ngettext
from markupsafe import Markup, escape

from .. import hours as hours_mod
from .. import languages
from ..catalogs import staff_text as _
from . import catalog
from .contexts import LetterBase

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
FONTS = HERE / "fonts"
STYLE = HERE / "style.css"
FONTCONFIG_FILE = HERE / "fonts.conf"  # no font folder, no system configuration

log = logging.getLogger(__name__)

FONT_FILES = {
    "Letter Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "Letter Naskh": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "Letter Ethiopic": ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
}
# Bidi control characters Babel puts in RTL currency strings; inside an explicit isolate they
# are not needed and some fonts have no glyph for them.
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"), None)


class LetterError(RuntimeError):
    """A letter could not be produced; the message says why, for staff, in the staff UI language."""


class MissingGlyphs(LetterError):
    """The vendored fonts lack a glyph for some text: the PDF would show boxes."""


class ForeignFont(LetterError):
    """The PDF would embed a font that is not one of the vendored fonts."""


class RefusedResource(LetterError):
    """The letter's HTML or CSS referred to a file or address outside the allow-list."""


# --- formatting per language -------------------------------------------------------------

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"
_RTL_RANGES = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


_ETHIOPIC_RANGES = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))


def _has_rtl(text: str) -> bool:
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _RTL_RANGES)


def script_class(text: str) -> str:
    """The CSS class that selects the vendored font for text in a non-Latin script."""
    if _has_rtl(text):
        return "script-arabic"
    if any(lo <= ord(ch) <= hi for ch in text for lo, hi in _ETHIOPIC_RANGES):
        return "script-ethiopic"
    return ""


def _nowrap(text) -> str:
    """Keep an IBAN, amount, phone or reference on one line without an extra element."""
    return str(text).translate(BIDI_MARKS).replace(" ", NBSP)


def _ltr(text) -> Markup:
    """Numbers, IBANs, phones, references: a left-to-right island that never wraps."""
    return Markup('<bdi class="ltr" dir="ltr">{}</bdi>').format(_nowrap(text))


# Long dates whose CLDR pattern ends in an abbreviation ("23 лютого 2027 р.") would give doubled
# punctuation before the sentence's own full stop: the same date without the year word.
LONG_DATE_PATTERNS = {"uk": "d MMMM y", "ru": "d MMMM y"}


class Formatter:
    """Dates, amounts and names for one language, isolated from the text's direction.

    In a right-to-left part every IBAN, amount, phone, reference and Dutch name is a
    ``<bdi>`` island (LTR for numbers, auto for names). In a left-to-right part numbers
    need no island, only non-breaking spaces; names get one only when they are in an
    RTL script. Fewer elements make the layout markedly faster (see docs/letters.md).
    """

    def __init__(self, locale: str):
        self.locale = locale
        self.babel = languages.babel_locale(locale)
        self.rtl = languages.is_rtl(locale)
        self._dir = "rtl" if self.rtl else "ltr"

    def ltr(self, text) -> Markup:
        if self.rtl:
            return _ltr(text)
        return Markup(escape(_nowrap(text)))

    def name(self, text) -> Markup:
        """Names, places, Dutch data lines: isolated with their own direction (may wrap)."""
        if not text:
            return Markup("")
        text = str(text)
        script = script_class(text)
        if self.rtl or script == "script-arabic":
            return Markup('<bdi dir="auto" class="{}">{}</bdi>').format(script, text)
        if script:
            return Markup('<span class="{}">{}</span>').format(script, text)
        return Markup(escape(text))

    def names(self, items) -> Markup:
        return Markup("، " if self.rtl else ", ").join(self.name(i) for i in items)

    def date(self, value: date | datetime) -> Markup:
        """Long date in the locale's own words (never Tigrinya's ambiguous M/d/yy), Latin digits.

        """
        if isinstance(value, datetime):
            value = value.date()
        # No-break spaces keep it on one line; in RTL text the date's words already run in
        # the text's own direction, so no extra isolate element is needed.
        pattern = LONG_DATE_PATTERNS.get(self.locale, "long")
        return Markup(escape(_nowrap(format_date(value, pattern, locale=self.babel))))

    def month(self, value: date) -> Markup:
        return Markup(escape(_nowrap(format_date(value, "LLLL y", locale=self.babel))))

    def time(self, value: datetime) -> Markup:
        return self.ltr(value.strftime("%H:%M"))

    def money(self, amount: Decimal) -> Markup:
        """Euro amount in the locale's pattern but with Latin digits, as one LTR island."""
        return self.ltr(format_currency(Decimal(amount), "EUR", locale=self.babel, numbering_system="latn"))

    def num(self, value: int) -> Markup:
        return self.ltr(format_decimal(value, locale=self.babel, numbering_system="latn"))

    def hours(self, text) -> Markup | None:
        """Phone or opening hours (``ma-vr 9.00-17.00``) in this locale's day names and times; None if
        the stored text is no weekday range with times (the template then prints it as a Dutch gap)."""
        parsed = hours_mod.parse(str(text or ""))
        if parsed is None:
            return None
        parts = hours_mod.format_parts(parsed, self.babel)
        start, end = self.ltr(parts.start), self.ltr(parts.end)
        pattern = escape(parts.pattern).replace("{0}", "\x00").replace("{1}", "\x01")
        return Markup(escape(parts.days)) + Markup(" ") + Markup(str(pattern).replace("\x00", str(start)).replace(
            "\x01", str(end)))

    def weekdays(self, days) -> Markup:
        names = get_day_names("wide", locale=self.babel)
        sep = "، " if self.rtl else ", "
        return Markup(sep).join(Markup(escape(names[d])) for d in days)


# --- HTML --------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.policies["ext.i18n.trimmed"] = True
    return env


@lru_cache(maxsize=1)
def template_version() -> str:
    """Short hash over every template and the stylesheet: which letter text produced a PDF."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES.glob("*.j2")) + [STYLE]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _gettext_vars(tracker: catalog.GapTracker) -> dict:
    """``_``/``gettext``/``ngettext`` for the templates' own literal messages (their result is
    marked safe, so data must never pass through them) and ``t`` for data texts (escaped)."""
    return {
        "gettext": _make_new_gettext(tracker.gettext),
        "_": _make_new_gettext(tracker.gettext),
        "ngettext": _make_new_ngettext(tracker.ngettext),
        "t": tracker.data_text,
    }


def _lang_tag(locale: str) -> str:
    return locale.replace("_", "-")


@dataclass
class LetterHtml:
    html: str
    gaps: list[str] = field(default_factory=list)  # Dutch msgids shown in Dutch in the translation
    locale: str = "nl"


def fallback_locale(locale: str) -> str | None:
    """The language a letter is translated into when ``locale`` has no catalog at all: English.

    Never silent: the letter then says so in Dutch and English (``page.html.j2``). None when
    the language has its own catalog (or is Dutch)."""
    if locale in ("nl", "en") or catalog.translations(locale) is not None:
        return None
    return "en"


def page_label(text: str) -> str:
    """'Pagina %(page)s van %(pages)s' (in one language) as a CSS ``content`` value with the page counters."""
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", text):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def _css_string(text: str) -> str:
    """A CSS string literal: every character outside plain letters, digits and spaces hex-escaped."""
    return '"' + "".join(ch if (ch.isalnum() or ch == " ") and ord(ch) < 0x80 else f"\\{ord(ch):x} "
                         for ch in text) + '"'


# The page label: a catalog message (in _head.html.j2) turned into the CSS of the page margin boxes.
PAGE_LABEL = "Pagina %(page)s van %(pages)s"
FONT_OF_SCRIPT_CSS = {"arabic": '"Letter Naskh", "Letter Sans"', "ethiopic": '"Letter Ethiopic", "Letter Sans"'}


def page_css(translated_label: str | None, script: str) -> Markup:
    """Page numbers in both parts: Dutch pages 'Pagina x van y'; translated pages Dutch · own language.

    Only catalog text reaches this CSS, and every character but ASCII letters, digits and spaces is
    hex-escaped, so nothing can leave the string literal."""
    rules = ["@page { @bottom-center { content: " + page_label(PAGE_LABEL) + "; } }"]
    if translated_label:
        font = FONT_OF_SCRIPT_CSS.get(script, '"Letter Sans"')
        rules.append("@page translation { @bottom-center { content: " + page_label(PAGE_LABEL) + ' "  \\b7  " '
                     + page_label(translated_label) + "; font-family: " + font + "; } }")
    return Markup("\n".join(rules))


def build_html(context: LetterBase) -> LetterHtml:
    """The letter's HTML: Dutch body, then the body in the letter language (with gaps marked).

    A staff document (``staff_only``) is Dutch only. A language without any catalog is
    translated into English and the letter says why, in Dutch and English."""
    env = environment()
    locale = languages.normalise(context.language)
    wanted = locale
    if getattr(context, "staff_only", False):
        locale = wanted = "nl"
    fallback = fallback_locale(locale)
    if fallback:
        locale = fallback
    body = env.get_template(f"{context.letter_type}.html.j2")
    nl_tracker = catalog.GapTracker("nl")
    nl_fmt = Formatter("nl")
    dutch_body = body.render(c=context, f=nl_fmt, **_gettext_vars(nl_tracker))
    wanted_lang = languages.LANGUAGES[wanted]
    values = {
        "script_class": script_class,
        "c": context,
        "dutch_body": Markup(dutch_body),
        "nl_date": nl_fmt.date(context.letter_date),
        "translated": locale != "nl",
        "lang": languages.LANGUAGES[locale],
        "lang_tag": _lang_tag(locale),
        "direction": "rtl" if languages.is_rtl(locale) else "ltr",
        "title": f"{context.letter_type} {context.reference}",
        "fallback_from": wanted_lang if fallback else None,
        "fallback_english_name": languages.babel_locale(wanted).get_display_name("en") if fallback else "",
        "staff_only": getattr(context, "staff_only", False),
    }
    gaps: list[str] = []
    values["page_css"] = page_css(None, "latin")
    if locale != "nl":
        tracker = catalog.GapTracker(locale)
        fmt = Formatter(locale)
        variables = {"c": context, "f": fmt, **_gettext_vars(tracker)}
        values["translated_body"] = Markup(body.render(**variables))
        values["f_name"] = fmt.name
        head = env.get_template("_head.html.j2").make_module(variables)
        values.update(
            head_title=head.title, head_official=head.official, head_gap=head.gap,
            head_date=head.date_line, head_reference=head.reference_line,
        )
        label = None if PAGE_LABEL in tracker.gaps else str(head.page_label)
        values["page_css"] = page_css(label, languages.LANGUAGES[locale].script)
        gaps = list(tracker.gaps)
        values["gaps"] = gaps
    html = env.get_template("page.html.j2").render(**values)
    return LetterHtml(html, gaps, locale)


# --- PDF ---------------------------------------------------------------------------------

def harfbuzz_subset_available() -> bool:
    """WeasyPrint subsets fonts ~10x faster with libharfbuzz-subset0; without it letters are slow."""
    from weasyprint.text import ffi

    return getattr(ffi, "harfbuzz_subset", None) is not None


def check_startup() -> list[str]:
    """Warnings for operators: slow font subsetting, missing vendored fonts."""
    warnings = []
    if not harfbuzz_subset_available():
        warnings.append("libharfbuzz-subset0 ontbreekt: brieven maken is ca. 10x trager (apt-get install libharfbuzz-subset0).")
    for regular, bold in FONT_FILES.values():
        for name in (regular, bold):
            if not (FONTS / name).exists():
                warnings.append(f"Lettertype ontbreekt: {FONTS / name}")
    for message in warnings:
        log.warning(message)
    return warnings


def font_face_css() -> str:
    rules = []
    for family, (regular, bold) in FONT_FILES.items():
        for weight, name in (("400", regular), ("700", bold)):
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
                f'src: url("{(FONTS / name).as_uri()}"); }}'
            )
    return "\n".join(rules)


def allowed_resources() -> frozenset[Path]:
    """The only files WeasyPrint may read while drawing a letter: the vendored font files.

    The templates need nothing else (the stylesheet is passed as a string, there are no
    images). Add a file here only when a template really uses it.
    """
    return frozenset((FONTS / name).resolve() for pair in FONT_FILES.values() for name in pair)


def vendored_font_names() -> frozenset[str]:
    """Family names the PDF may embed: those of the ``@font-face`` rules (spaces as in Pango)."""
    return frozenset(FONT_FILES)


def _short(url: str, limit: int = 100) -> str:
    return url if len(url) <= limit else url[:limit] + "…"


def _make_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LetterFetcher(URLFetcher):
        """WeasyPrint's only way to the outside: serves the allow-listed files, refuses the rest.

        No ``http(s)``, no ``data:``, no other file, whatever the HTML or CSS asks for. Every
        request is recorded (``seen``) and every refusal too (``refused``, per thread); with
        ``fail_on_errors`` WeasyPrint stops at the first refusal instead of only logging it,
        and ``Renderer.pdf`` fails the letter when anything was refused either way.
        """

        def __init__(self, allowed: frozenset[Path] | None = None):
            super().__init__(fail_on_errors=True, allow_redirects=False, allowed_protocols=("file",))
            self.allowed = allowed if allowed is not None else allowed_resources()
            self.local = threading.local()

        def _record(self, name: str, url: str) -> None:
            target = getattr(self.local, name, None)
            if target is not None:
                target.append(url)

        def start(self) -> None:
            self.local.seen, self.local.refused = [], []

        def stop(self) -> tuple[list[str], list[str]]:
            seen, refused = getattr(self.local, "seen", None) or [], getattr(self.local, "refused", None) or []
            self.local.seen = self.local.refused = None
            return list(seen), list(refused)

        def path_for(self, url: str) -> Path | None:
            """The allow-listed file a URL names, or None."""
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost") or parts.query:
                return None
            try:
                path = Path(unquote(parts.path)).resolve()
            except (OSError, RuntimeError, ValueError):
                return None
            return path if path in self.allowed else None

        def fetch(self, url, headers=None):
            self._record("seen", url)
            path = self.path_for(url)
            if path is None:
                self._record("refused", url)
                log.warning("Brief: bron geweigerd: %s", _short(url))
                raise PermissionError(f"refused by the letter URL fetcher: {_short(url)}")
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": "font/ttf"})

    return LetterFetcher


def letter_fetcher(allowed: frozenset[Path] | None = None):
    """A new ``LetterFetcher`` (the class needs WeasyPrint, which is imported lazily)."""
    return _make_fetcher_class()(allowed)


def refused_error(urls: list[str]) -> RefusedResource:
    return RefusedResource(_("Brief niet gemaakt: de tekst verwijst naar een bestand of internetadres buiten de "
                             "lettertypen van de brief. Haal dat uit de tekst. {urls}").format(
        urls="; ".join(_short(u) for u in urls[:3])))


_FONTCONFIG_LOCK = threading.Lock()


def vendored_font_config():
    """A FontConfiguration that knows no system font: only what ``@font-face`` adds to it.

    Fontconfig reads ``FONTCONFIG_FILE`` when a configuration is loaded, so it is set
    (under a lock, then restored) just while WeasyPrint loads this one; ``fonts.conf``
    lists no font folder and includes no system configuration. A glyph the vendored fonts
    lack is then drawn as ``.notdef`` (MissingGlyphs) instead of from a system font, on
    every machine. ``Renderer.pdf`` checks the embedded fonts as a second line.
    """
    from weasyprint.text.fonts import FontConfiguration

    with _FONTCONFIG_LOCK:
        previous = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
        try:
            return FontConfiguration()
        finally:
            if previous is None:
                os.environ.pop("FONTCONFIG_FILE", None)
            else:
                os.environ["FONTCONFIG_FILE"] = previous


def system_font_count(font_config) -> int:
    """How many fonts the configuration knows besides the ``@font-face`` ones (must be 0)."""
    from weasyprint.text.ffi import ffi, fontconfig

    # ``_config`` stays valid: the Pango font map holds a reference to it.
    fonts = fontconfig.FcConfigGetFonts(font_config._config, 0)  # FcSetSystem
    return 0 if fonts == ffi.NULL else fonts.nfont


class _GlyphWatch(logging.Handler):
    """Collects WeasyPrint's ``.notdef`` warnings while one letter is drawn."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        missing = getattr(self.local, "missing", None)
        if missing is not None and ".notdef" in str(record.msg):
            missing.append(record.getMessage())


class Renderer:
    """Per-process PDF writer: one FontConfiguration and one parsed stylesheet, reused for every letter."""

    def __init__(self):
        from weasyprint import CSS

        check_startup()
        self.fetcher = letter_fetcher()
        self.font_config = vendored_font_config()
        if system_font_count(self.font_config):
            log.warning("Brieven: fontconfig negeert %s; de controle op ingesloten lettertypen blijft gelden.",
                        FONTCONFIG_FILE)
        self.fetcher.start()
        self.stylesheet = CSS(string=font_face_css() + "\n" + STYLE.read_text(encoding="utf-8"),
                              font_config=self.font_config, url_fetcher=self.fetcher)
        _seen, refused = self.fetcher.stop()
        if refused:
            raise refused_error(refused)
        self._watch = _GlyphWatch()
        wlog = logging.getLogger("weasyprint")
        wlog.addHandler(self._watch)
        if wlog.level == logging.NOTSET or wlog.level > logging.WARNING:
            wlog.setLevel(logging.WARNING)

    def pdf(self, html: str) -> bytes:
        """Render HTML to PDF bytes.

        Raises RefusedResource when the HTML asked for anything outside the fetcher's
        allow-list, MissingGlyphs when any glyph fell back to ``.notdef`` and ForeignFont
        when the PDF would embed a font that is not vendored.
        """
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        self._watch.local.missing = []
        self.fetcher.start()
        fonts: list[tuple[str, str]] = []
        data, fatal = b"", None
        try:
            # A relative reference still reaches the fetcher (and is refused) thanks to the base URL.
            document = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=self.fetcher).render(
                stylesheets=[self.stylesheet], font_config=self.font_config)
            data = document.write_pdf()
            fonts = [(font.family, font.name.decode("latin-1").lstrip("/")) for font in document.fonts.values()]
        except FatalURLFetchingError as exc:  # WeasyPrint stopped at a fetch that failed
            fatal = exc
        finally:
            missing = list(self._watch.local.missing)
            self._watch.local.missing = None
            _seen, refused = self.fetcher.stop()
        if refused:
            raise refused_error(refused)
        if fatal is not None:
            raise LetterError(_("Brief niet gemaakt: een lettertype van de brief kon niet gelezen worden. {error}").format(
                error=fatal.__cause__ or fatal))
        if missing:
            raise MissingGlyphs(_("Brief niet gemaakt: de lettertypen missen tekens, de PDF zou vakjes tonen. {glyphs}").format(
                glyphs="; ".join(missing[:5])))
        foreign = sorted({name for family, name in fonts if family not in vendored_font_names()})
        if foreign:
            raise ForeignFont(_("Brief niet gemaakt: de PDF zou een lettertype bevatten dat niet bij de brieven hoort. "
                                "{fonts}").format(fonts="; ".join(foreign[:5])))
        return data


_renderer: Renderer | None = None


def renderer() -> Renderer:
    """This process's renderer, created once."""
    global _renderer
    if _renderer is None:
        _renderer = Renderer()
        atexit.register(_drop_renderer)
    return _renderer


def _drop_renderer() -> None:
    """Free the font configuration while its C libraries are still loaded (not at teardown)."""
    global _renderer
    _renderer = None


@dataclass
class RenderedLetter:
    pdf: bytes
    sha256: str
    letter_type: str
    language: str
    gaps: list[str]
    template_version: str
    catalog_version: str


def render_letter(context: LetterBase) -> RenderedLetter:
    """One bilingual letter as PDF with everything the archive records about it."""
    letter = build_html(context)
    data = renderer().pdf(letter.html)
    return RenderedLetter(
        pdf=data,
        sha256=hashlib.sha256(data).hexdigest(),
        letter_type=context.letter_type,
        language=letter.locale,
        gaps=letter.gaps,
        template_version=template_version(),
        catalog_version=catalog.catalog_version(letter.locale),
    )
