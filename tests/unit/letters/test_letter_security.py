"""No file or request leaves the server through a letter; letters use only the vendored fonts.

Issue 14 (1): a plan action ``Extra les<link rel="attachment" href="../../../data/statushouders.db">``
attached the database to the plan letter, because ``{{ _(a.what) }}`` marked data safe and
WeasyPrint's default fetcher followed ``file:``, relative and ``http(s):`` references.
Issue 15: with a system font such as fonts-droid-fallback installed, missing glyphs were drawn
from it instead of failing the letter.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
import tempfile
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes
from pypdf import PdfReader
from sqlalchemy import select

from statushouders import register
from statushouders.config import ROOT
from statushouders.letters import archive, render, samples
from statushouders.letters.contexts import LETTER_TYPES
from statushouders.models import BudgetDeduction, FixedCost, Organisation, Payment, Person, Pip, PlanAction, User
from statushouders.personas import schema

from .helpers import body_text, pdf_text, squash

TODAY = date(2026, 11, 23)
SECRET = b"GEHEIM-BSN-111222333-wachtwoordhash"


# --- the outside world a letter must not reach ---------------------------------------------

class _Counter(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        self.server.hits.append(self.path)
        body = b"<p>intern</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    """An internal HTTP service on 127.0.0.1 that counts every request it gets."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    httpd.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def secret():
    """A file outside the allow-list standing in for the database (short path: fits in any column)."""
    folder = Path(tempfile.mkdtemp(prefix="l", dir="/tmp"))
    path = folder / "s.db"
    path.write_bytes(SECRET)
    yield path
    shutil.rmtree(folder)


@pytest.fixture
def outside(server, secret, monkeypatch):
    """Counts fetches: HTTP requests to the server and every URL the renderer's fetcher is asked for."""
    server.hits.clear()
    fetcher = render.renderer().fetcher
    asked: list[str] = []
    real = fetcher.fetch

    def recording(url, headers=None):
        asked.append(url)
        return real(url, headers)

    monkeypatch.setattr(fetcher, "fetch", recording)
    return {"server": server, "secret": secret, "asked": asked, "allowed": {p.as_uri() for p in render.allowed_resources()}}


def payloads(server, secret) -> dict[str, str]:
    url = f"http://127.0.0.1:{server.server_port}"
    relative = os.path.relpath(secret, render.TEMPLATES)  # ../../../.. like the reported attack
    return {
        "html": '<b>vet</b><script>alert(1)</script><a href="javascript:x">klik</a>',
        "attachment": f'Extra les<link rel="attachment" href="{relative}">',
        "attachment_file_uri": f'<link rel="attachment" href="{secret.as_uri()}" title="db">',
        "img_file": '<img src="file:///etc/passwd">',
        "css_url": f'<span style="background: url({url}/style)">x</span><style>@import url({url}/import);'
                   f' body {{ background: url({url}/body) }}</style>',
        "iframe": f'<iframe src="{url}/iframe"></iframe>',
        "object": f'<object data="{url}/object"></object><embed src="{secret.as_uri()}"><img src="{url}/img">',
    }


def attachments_of(pdf: bytes) -> list:
    """Everything that makes a PDF carry a file: /EmbeddedFiles names, file-attachment annotations."""
    reader = PdfReader(io.BytesIO(pdf))
    found = list(reader.attachments)
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("/EmbeddedFiles")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/FileAttachment" or "/FS" in annotation:
                found.append(str(annotation.get("/Subtype")))
    return found


def assert_nothing_left_the_server(pdf: bytes, outside: dict) -> None:
    assert attachments_of(pdf) == []
    assert SECRET not in pdf
    assert outside["server"].hits == [], "the letter made an HTTP request"
    assert [u for u in outside["asked"] if u not in outside["allowed"]] == []


def printed(value: str, text: str, table_cell: bool = False) -> bool:
    """Whether ``value`` is in the extracted ``text`` as literal characters (both squashed).

    Text extraction reads a table line by line, so a long value that wraps in a table cell
    comes out interleaved with its neighbour cells' lines: for a table cell only, the
    value's characters must appear in order, from its own unique prefix, within a window.
    """
    value, text = squash(value), squash(text)
    if value in text or not table_cell:
        return value in text
    head = value[:6]
    start = text.find(head)
    while start != -1:
        at, end = start, min(len(text), start + 8 * len(value))
        for char in value:
            at = text.find(char, at, end)
            if at == -1:
                break
            at += 1
        else:
            return True
        start = text.find(head, start + 1)
    return False


def table_cells(context) -> set[str]:
    """The texts printed in a table (cost lines: kind label and payee)."""
    lines = tuple(getattr(context, "costs", ())) + tuple(getattr(context, "payments", ()))
    return {s for line in lines for s in strings_in(line)}


def strings_in(value) -> list[str]:
    """Every text in a letter context (recursively through nested dataclasses and tuples)."""
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) for s in strings_in(getattr(value, f.name))]
    if isinstance(value, str):
        return [value]
    if isinstance(value, (tuple, list)):
        return [s for item in value for s in strings_in(item)]
    return []


CODES = {"language", "route", "bring", "change_kind", "changes"}  # fixed codes mapped to own sentences


def poisoned(value, payload: str, counter: list[int]):
    """The context with every free text replaced by ``fNN <payload>`` (NN numbers the field)."""
    if dataclasses.is_dataclass(value):
        skip = CODES | ({"who"} if getattr(value, "by_person", False) else set())  # printed as "U zelf"
        if getattr(value, "change_kind", None) == "eerste":
            skip = skip | {"reason"}  # why a PIP changed: printed on a change letter only (tested there)
        if getattr(value, "declined", None) is False:
            skip = skip | {"alternative", "coach_offer", "coach"}  # printed on a declined ontzorgen only
        if hasattr(value, "by_person") and not value.by_person:
            skip = skip | {"with_whom"}  # the helper of the person's own part: only on the person's lines
        return dataclasses.replace(value, **{
            f.name: poisoned(getattr(value, f.name), payload, counter)
            for f in dataclasses.fields(value) if f.name not in skip})
    if isinstance(value, str):
        counter[0] += 1
        return f"f{counter[0]:02d} {payload}"
    if isinstance(value, tuple):
        return tuple(poisoned(item, payload, counter) for item in value)
    return value


# --- every letter type, every free-text field, every payload -------------------------------

@pytest.mark.parametrize("payload_name", [
    "html", "attachment", "attachment_file_uri", "img_file", "css_url", "iframe", "object"])
@pytest.mark.parametrize("letter_type", list(LETTER_TYPES))
def test_every_text_field_of_every_letter_prints_markup_as_text_and_fetches_nothing(letter_type, payload_name, outside):
    payload = payloads(outside["server"], outside["secret"])[payload_name]
    context = poisoned(samples.sample(letter_type, "ar"), payload, [0])
    letter = render.render_letter(context)
    assert_nothing_left_the_server(letter.pdf, outside)
    html = render.build_html(context).html.replace("\u00a0", " ")  # numbers, phones: no-break spaces
    assert payload not in html  # the markup never reaches the HTML as markup, in either part
    dutch = html.split('<section class="part translation', 1)[0]
    values = [v for v in strings_in(context) if payload in v]
    assert [v for v in values if str(render.escape(v)) not in dutch] == [], f"{letter_type}: not in the original"
    text, cells = body_text(letter.pdf), table_cells(context)
    unprinted = [v for v in values if not printed(v, text, v in cells)]
    assert unprinted == [], f"{letter_type}: not printed as text"  # each poisoned field, literally


# --- through the real sources: what partners and staff type ends up in the letter as text ---

LETTER_OPTIONS = {
    "intake_invitation": {"date": "2026-12-03", "time": "10:00", "place": "<iframe src=file:///etc/passwd>"},
    "progress_talk": {"date": "2027-02-23", "time": "14:30", "place": "<img src=file:///etc/passwd>",
                      "topics": "<object data=file:///etc/passwd></object>\n<b>Geld</b>"},
    "school_enrolment": {"date": "2027-01-05", "time": "09:00", "weekdays": "ma,wo", "hours": "12"},
}


def _fits(column, text: str) -> str:
    length = getattr(column.type, "length", None)
    return text if length is None or len(text) <= length else text[:length]


def _poison_database(session, db_payloads: list[str]) -> None:
    """Every free text a letter can print, in the database, set to one of the payloads."""
    columns = {
        Person: ("given_names", "family_name", "name_own_script", "address"),
        Organisation: ("address", "phone", "phone_hours", "email"),
        User: ("full_name",),
        PlanAction: ("what", "own_part"),
        Pip: ("preconditions", "guidance", "monitoring", "vve"),
        FixedCost: ("label", "creditor_name"),
        BudgetDeduction: ("label",),
        Payment: ("creditor_name",),
    }
    n = 0
    for model, names in columns.items():
        for row in session.scalars(select(model)):
            for name in names:
                n += 1
                payload = db_payloads[n % len(db_payloads)]
                setattr(row, name, _fits(getattr(model, name), f"{n}{payload}"))
    session.flush()


def test_what_a_partner_types_in_the_plan_reaches_every_letter_only_as_text(session, outside, demo, pay_demo_month):
    """The reported attack, end to end, then every letter type from the poisoned database."""
    users, _people = demo
    zarghuna = session.scalars(select(Person).where(Person.given_names == "Zarghuna")).one()
    relative = os.path.relpath(outside["secret"], render.TEMPLATES)
    attack = f'Extra les<link rel="attachment" href="{relative}">'
    from statushouders import plans

    school = session.scalars(select(Organisation).where(Organisation.kind == "taalschool")).one()
    plans.add_action(session, users["taalschool"], zarghuna.id, {
        "domain": "inburgering", "what": attack, "own_part": '<img src="file:///etc/passwd">',
        "owner_id": str(school.id), "due_date": "2026-11-24", "kind": "begeleid"}, TODAY)
    record = archive.produce(session, users["regisseur"], zarghuna.id, "plan_summary", {}, TODAY)
    assert_nothing_left_the_server(record.pdf, outside)
    # the person's letter prints the person's own part of the action, the staff document the action itself
    assert squash('<img src="file:///etc/passwd">') in squash(pdf_text(record.pdf))
    full = archive.produce(session, users["regisseur"], zarghuna.id, "plan_full", {}, TODAY)
    assert_nothing_left_the_server(full.pdf, outside)
    assert squash(attack) in squash(pdf_text(full.pdf))
    # the person's own view and staff download hand out the same, clean bytes
    assert archive.fetch(session, users["regisseur"], record.id, TODAY)[1] == record.pdf

    pay_demo_month("2026-12", TODAY)  # an approved month for the payment overview
    register.register(session, users["regisseur"],  # temporary protection: the letter on why there is no PIP
                      *schema.registration_args(schema.load(ROOT / "personas" / "olena.yaml")))
    port = outside["server"].server_port
    _poison_database(session, [
        f"<link rel=attachment href={outside['secret']}>", "<img src=file:///etc/passwd>",
        f"<img src=http://127.0.0.1:{port}/>", f'<i style="background:url(http://127.0.0.1:{port}/)">',
        f"<object data=http://127.0.0.1:{port}/>", "<iframe src=/etc/passwd>", "<b>",
    ])
    produced = set()
    for person in session.scalars(select(Person).order_by(Person.id)):
        for letter_type in LETTER_TYPES:
            if letter_type in produced:
                continue
            try:
                context = archive.prepare(session, users["regisseur"], person.id, letter_type,
                                          LETTER_OPTIONS.get(letter_type, {}), TODAY)
            except Exception:  # this person has no plan / PIP / budget for this letter
                continue
            letter = render.render_letter(context)
            assert_nothing_left_the_server(letter.pdf, outside)
            text, cells = body_text(letter.pdf), table_cells(context)
            marked = [s for s in strings_in(context) if "<" in s]
            assert marked, f"{letter_type}: no poisoned text reached the context"
            assert [v for v in marked if not printed(v, text, v in cells)] == [], f"{letter_type}: not printed as text"
            produced.add(letter_type)
    assert produced == set(LETTER_TYPES)


# --- the fetcher itself ------------------------------------------------------------------

def test_the_fetcher_serves_the_vendored_fonts_and_refuses_everything_else(server, secret):
    server.hits.clear()
    fetcher = render.letter_fetcher()
    font = render.FONTS / "NotoSans-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read() == font.read_bytes()
    assert fetcher.fetch((ROOT / "assets" / "fonts" / font.name).as_uri()).read() == font.read_bytes()  # same file
    refused = [
        "file:///etc/passwd",
        secret.as_uri(),
        (render.TEMPLATES / "../../../data/statushouders.db").as_uri(),
        (render.TEMPLATES / "../fonts/../../../data/x").as_uri(),
        (render.TEMPLATES / "page.html.j2").as_uri(),
        font.as_uri() + "?x=1",
        "file://evil.example/" + str(font),
        f"http://127.0.0.1:{server.server_port}/",
        f"https://127.0.0.1:{server.server_port}/",
        "data:text/plain,hallo",
        "data:font/ttf;base64,AAEAAA==",
        "ftp://127.0.0.1/x",
    ]
    for url in refused:
        with pytest.raises(PermissionError):
            fetcher.fetch(url)
    assert server.hits == []


@pytest.mark.parametrize("html", [
    '<link rel="attachment" href="{relative}">',
    '<link rel="attachment" href="{secret_uri}">',
    '<img src="file:///etc/passwd">',
    '<img src="../../../data/statushouders.db">',
    '<img src="{url}/img">',
    '<p style="background: url({url}/style)">x</p>',
    '<style>@import url({url}/import);</style><p>x</p>',
    '<style>@font-face {{ font-family: X; src: url({secret_uri}); }} p {{ font-family: X }}</style><p>x</p>',
    '<object data="{url}/object"></object>',
    '<embed src="{secret_uri}">',
    '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">',
])
def test_a_refused_fetch_fails_the_letter_with_a_clear_message(html, server, secret):
    """Markup that did reach WeasyPrint (a template mistake) still cannot read or fetch anything."""
    server.hits.clear()
    html = html.format(relative=os.path.relpath(secret, render.TEMPLATES), secret_uri=secret.as_uri(),
                       url=f"http://127.0.0.1:{server.server_port}")
    with pytest.raises(render.RefusedResource, match="Brief niet gemaakt: de tekst verwijst naar een bestand"):
        render.renderer().pdf(f"<p>Extra les</p>{html}")
    assert server.hits == []
    render.renderer().pdf("<p>Daarna werkt de renderer gewoon verder.</p>")


def test_the_refusals_are_staff_messages_with_an_english_translation(monkeypatch):
    from statushouders import catalogs

    catalogs.compile_all()
    catalogs.staff_translations.cache_clear()
    monkeypatch.setenv("STATUSHOUDERS_UI_LANGUAGE", "en")
    assert "outside the letter's fonts" in str(render.refused_error(["file:///etc/passwd"]))
    with pytest.raises(render.RefusedResource, match="file:///etc/passwd"):
        render.renderer().pdf('<img src="file:///etc/passwd">')


# --- templates: data never passes through gettext ----------------------------------------

GETTEXT_NAMES = {"_": 1, "gettext": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}


def _jinja_templates() -> list[Path]:
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "*.j2", "*.jinja", "*.jinja2", "*.html"],
                            capture_output=True, text=True, check=True).stdout.split()
    found = {ROOT / name for name in listed} | set(ROOT.glob("statushouders/**/*.j2"))
    return sorted(p for p in found if p.suffix != ".html" or "{{" in p.read_text(encoding="utf-8"))


def gettext_calls_with_data(source: str) -> list[str]:
    """``_(x)``/``gettext(x)``/``ngettext(x, y, n)`` whose message arguments are not literal strings."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    problems = []
    for call in env.parse(source).find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in GETTEXT_NAMES:
            literal = GETTEXT_NAMES[call.node.name]
            args = call.args[:literal]
            if len(args) < literal or not all(isinstance(a, nodes.Const) and isinstance(a.value, str) for a in args):
                problems.append(f"line {call.lineno}: {call.node.name}(...) with a non-literal message")
    return problems


def test_the_scan_finds_data_passed_through_gettext():
    assert gettext_calls_with_data("{{ _(a.what) }}")
    assert gettext_calls_with_data("{{ gettext(name) }}")
    assert gettext_calls_with_data('{{ ngettext("één", plural, n) }}')
    assert gettext_calls_with_data("{{ _('Hallo ' ~ name) }}")
    assert not gettext_calls_with_data('{{ _("Beste %(name)s,", name=f.name(c.recipient.name)) }} {{ t(a.what) }}')
    assert not gettext_calls_with_data('{% trans %}Hallo {{ name }}{% endtrans %}')


def test_no_template_passes_data_through_gettext():
    templates = _jinja_templates()
    assert any(p.name == "plan_summary.html.j2" for p in templates)
    problems = {str(p.relative_to(ROOT)): found for p in templates
                if (found := gettext_calls_with_data(p.read_text(encoding="utf-8")))}
    assert problems == {}


def test_data_texts_are_escaped_and_their_translations_too():
    from statushouders.letters import catalog

    text, _source = catalog.plan_template_texts()[0]
    tracker = catalog.GapTracker("ar")
    assert tracker.data_text(text) == render.Markup.escape(tracker._catalog[text])
    assert str(catalog.GapTracker("nl").data_text("<b>x</b>")) == "&lt;b&gt;x&lt;/b&gt;"
    gap = catalog.GapTracker("ar")
    marked = gap.data_text("<link rel=attachment>")
    assert "&lt;link rel=attachment&gt;" in marked and 'class="gap"' in marked
    assert gap.gaps == ["<link rel=attachment>"]
    tracker._catalog = {**tracker._catalog, "Nieuwe les": "<img src=x>"}  # a translation with markup
    assert str(tracker.data_text("Nieuwe les")) == "&lt;img src=x&gt;"


# --- fonts: the vendored ones only, on every machine ---------------------------------------

def _embedded_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            names.add(str(ref.get_object().get("/BaseFont")).lstrip("/").split("+", 1)[-1])
    return names


def _system_fonts_cover(char: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True)
    return bool(out.stdout.strip())


def test_text_in_an_unmarked_script_is_drawn_with_a_vendored_font_not_a_system_one():
    """Arabic outside a script-arabic element: Pango falls back, but only among the vendored fonts."""
    names = _embedded_names(render.renderer().pdf("<p>Naam: مرحبا Yonas</p>"))
    assert names and all(name.startswith("Letter-") for name in names), names


def test_the_renderer_knows_no_system_font():
    assert render.system_font_count(render.renderer().font_config) == 0


def test_a_font_that_is_not_vendored_fails_the_letter(monkeypatch):
    """Second line: should fontconfig ever see system fonts again, the embedded-font check refuses the PDF."""
    if not _system_fonts_cover("山"):
        pytest.skip("no system font with CJK glyphs (CI installs fonts-droid-fallback)")
    from weasyprint.text.fonts import FontConfiguration

    monkeypatch.setattr(render, "vendored_font_config", FontConfiguration)  # the machine's fonts
    leaky = render.Renderer()
    with pytest.raises(render.ForeignFont, match="lettertype .*niet bij de brieven hoort"):
        leaky.pdf("<p>Naam: 山田</p>")


def test_every_sample_letter_embeds_only_the_vendored_fonts():
    from statushouders import languages

    from .helpers import rendered

    for letter_type in LETTER_TYPES:
        for language in languages.LANGUAGES:
            names = _embedded_names(rendered(letter_type, language).pdf)
            assert names and all(name.startswith("Letter-") for name in names), (letter_type, language, names)
