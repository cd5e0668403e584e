"""The persona report is one a municipal coordinator can read: Dutch titles and words instead of codes,
an outcome banner that agrees with the findings, the klantreis as a drawing, and personas side by side."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from statushouders.personas import checks, labels, report, runner, schema
from statushouders.personas.checks import Finding, MonthMoney
from statushouders.personas.runner import Journey, Step
from statushouders.ui import personas_state

TODAY = date(2026, 12, 1)


def _finding(check_id: str, blocking: bool, step: str = "budget") -> Finding:
    return Finding(check_id, blocking, step, "De regel.", "Wat er gebeurt.", "Wat te veranderen.")


def _journey(findings=(), expected=(), **fields) -> Journey:
    values = dict(persona_id="amina", name="Amina Warsame", title="Jonge moeder", letter_language="so", route="z",
                  levels={}, overall="L1", household_kind="single_parent")
    values.update(fields)
    journey = Journey(**values)
    journey.findings = list(findings)
    journey.expected = tuple(expected)
    journey.steps = values.get("steps") or [
        Step(date(2026, 5, 4), "Verblijfsvergunning", "IND"),
        Step(date(2026, 5, 18), "Inschrijving BRP en registratie", "Gemeente Hilversum"),
        Step(date(2026, 5, 18), "Uitnodiging brede intake", "Gemeente Hilversum", letters=[("intake_invitation", "so")]),
        Step(date(2026, 5, 19), "Uitkering en ontzorgen vastgelegd", "Gemeente Hilversum (financiën)"),
    ]
    return journey


BLOCKING = [_finding("letter_unreadable", True, "communicatie"), _finding("leefgeld_below_norm", True),
            _finding("ontzorgen_end_without_handback", True)]


class _VisibleText(HTMLParser):
    """The text a reader sees (tooltips included), without tag attributes and the stylesheet."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _body(html: str) -> str:
    return html[html.index("<body>"):]


def _banner(html: str) -> str:
    start = html.index('<p class="banner')
    return html[start:html.index("</p>", start)]


# --- words instead of codes ---------------------------------------------------------------------------


def test_every_check_has_a_dutch_title():
    ids = set(checks.CHECKS) | set(checks.RUNNER_CHECKS)
    missing = sorted(i for i in ids if not labels.CHECK_LABELS.get(i) or labels.CHECK_LABELS[i] == i)
    assert not missing, f"checks without a Dutch title in personas/labels.py: {missing}"


def test_values_in_dutch_words():
    assert labels.euro(Decimal("1234.56")) == "€ 1.234,56"
    assert labels.euro(Decimal("-12")) == "€ -12,00"
    assert labels.date_nl(date(2026, 5, 4)) == "04-05-2026"
    assert labels.month_nl("2026-07") == "juli 2026"
    assert [labels.days_label(n) for n in (1, 14)] == ["1 dag", "14 dagen"]
    assert labels.household_label("single_parent") == "Alleenstaande ouder"
    assert [labels.route_label(r) for r in ("b1", None)] == ["B1-route", "geen PIP"]
    assert labels.level_label("L1") == "L1 intensief"


def test_letter_language_shows_the_mapping_only_when_the_code_changes():
    assert labels.letter_language_label(_journey(letter_language="ar", language_input="ar_YE")) == "Arabisch (ar_YE → ar)"
    assert labels.letter_language_label(_journey(letter_language="so", language_input="so")) == "Somalisch"


def test_report_shows_titles_and_words_never_ids_or_codes():
    journey = _journey(BLOCKING, expected=["letter_unreadable"])
    journey.money = {"2026-07": MonthMoney(Decimal("1234.56"), Decimal("62.68"), Decimal("385"))}
    html = report.to_html([journey], TODAY)
    text = visible(html)
    for f in BLOCKING:
        assert f'data-check="{f.check}"' in html  # ids stay in attributes, for tests and tools
        assert f.check not in text
    assert "Brief onleesbaar voor de persoon" in text and "Te weinig om van te leven" in text
    assert "single_parent" not in text and "Huishouden: Alleenstaande ouder" in text
    assert "Leerroute: Z-route" in text and "Begeleiding: L1 intensief" in text and "Brieftaal: Somalisch" in text
    assert "€ 1.234,56" in text and "€ 62,68" in text and "juli 2026" in text
    assert "04-05-2026" in text and "2026-05-04" not in text and "01-12-2026" in text
    assert "Brief: Uitnodiging brede intake (Somalisch)" in text
    assert "(en)" not in text and "('s)" not in text


# --- the outcome banner agrees with the findings ------------------------------------------------------


def test_blocking_findings_give_a_red_banner_with_the_count_never_the_green_one():
    html = report.to_html([_journey(BLOCKING, expected=["letter_unreadable", "leefgeld_below_norm"])], TODAY)
    banner = _banner(html)
    assert "tone-error" in banner and "3 blokkerende bevindingen (waarvan 1 onverwacht)" in banner
    assert "Geen bevindingen" not in html and "tone-success" not in _body(html)


def test_blocking_findings_all_expected_say_so_and_stay_red():
    journey = _journey(BLOCKING, expected=[f.check for f in BLOCKING])
    banner = _banner(report.to_html([journey], TODAY))
    assert "tone-error" in banner and "3 blokkerende bevindingen, alle verwacht voor deze persona" in banner
    one = _journey(BLOCKING[:1], expected=["letter_unreadable"])
    assert labels.outcome(one) == labels.Outcome("error", "1 blokkerende bevinding, verwacht voor deze persona")


def test_only_unexpected_blocking_and_other_findings_in_one_sentence():
    journey = _journey([BLOCKING[0], _finding("housing_norm_exceeded", False, "wonen")])
    assert labels.outcome(journey) == labels.Outcome(
        "error", "1 onverwachte blokkerende bevinding; 1 niet-blokkerende bevinding")


def test_only_other_findings_give_an_amber_banner():
    journey = _journey([_finding("housing_norm_exceeded", False, "wonen"), _finding("koppeling_norm_exceeded", False,
                                                                                   "verblijf")])
    banner = _banner(report.to_html([journey], TODAY))
    assert "tone-warning" in banner and "2 niet-blokkerende bevindingen" in banner


def test_no_findings_say_so_in_green():
    html = report.to_html([_journey()], TODAY)
    banner = _banner(html)
    assert "tone-success" in banner and "Geen bevindingen" in banner
    assert "Geen bevindingen: de keten werkt voor deze persona." in visible(html)


def test_differences_and_missing_findings_are_shown_and_the_banner_is_not_green():
    journey = _journey(expected=["childcare_missing"])
    journey.differences = ["Leerroute: B1-route, verwacht Z-route"]
    html = report.to_html([journey], TODAY)
    text = visible(html)
    assert "Wijkt af van de verwachting Leerroute: B1-route, verwacht Z-route" in text
    assert "Verwacht maar niet gevonden Geen kinderopvang tijdens de lessen" in text
    assert _banner(html).startswith('<p class="banner tone-warning">')
    assert labels.outcome(journey).text == ("Geen bevindingen; 1 afwijking van de verwachting; "
                                            "1 verwachte bevinding niet gevonden")


# --- the klantreis drawing --------------------------------------------------------------------------


def test_klantreis_svg_has_every_step_its_waiting_times_and_the_findings_at_their_step():
    journey = _journey(BLOCKING[1:], expected=["leefgeld_below_norm"])
    svg = str(report.timeline_svg(journey))
    assert svg.startswith("<svg") and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for step in journey.steps:
        assert f">{step.step}</tspan>" in svg and labels.date_nl(step.on) in svg
    assert ">14 dagen</text>" in svg and ">1 dag</text>" in svg  # between the steps, none between same-day steps
    assert svg.count(" dag") == 3  # 14 dagen, 1 dag and the span in the heading
    assert "Van 04-05-2026 tot 19-05-2026 (15 dagen)" in svg
    budget_step = svg.index(">Uitkering en ontzorgen vastgelegd<")
    assert svg.index("Te weinig om van te leven (blokkerend, verwacht)") > budget_step
    assert "Ontzorgen stopt zonder teruggaveplan (blokkerend)" in svg
    assert 'fill="#b71c1c"><tspan font-weight="bold">Uitkering en ontzorgen vastgelegd' in svg  # the step in red


def test_klantreis_svg_escapes_every_text_and_lists_findings_without_a_step():
    steps = [Step(date(2026, 1, 1), "<script>alert(1)</script>", "A & B", detail='"x"')]
    svg = str(report.timeline_svg(_journey([_finding("payment_twice", True, "elders")], steps=steps)))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B" in svg
    assert "Bevindingen zonder eigen stap in de klantreis:" in svg and "Vaste last dubbel betaald (blokkerend)" in svg


def test_klantreis_svg_scales_to_forty_steps_without_overlapping_rows():
    steps = [Step(date(2026, 1, 1 + i % 28), f"Stap {i}", "Gemeente") for i in range(40)]
    svg = str(report.timeline_svg(_journey(steps=steps)))
    rows = [float(part.split('"')[0]) for part in svg.split('<text x="8" y="')[2:]]  # the dates' baselines
    assert len(rows) == 40 and all(b - a >= report.STEP_ROW for a, b in zip(rows, rows[1:]))


# --- personas side by side ----------------------------------------------------------------------------


def _two() -> list[Journey]:
    hassan = _journey([_finding("ontzorgen_declined_low_finance", False), _finding("leefgeld_below_norm", True)],
                      expected=["leefgeld_below_norm", "childcare_missing"], persona_id="hassan",
                      name="Hassan Al-Masri", household_kind="single")
    return [_journey(BLOCKING), hassan]


def test_report_of_several_personas_starts_with_the_matrix_of_checks_per_persona():
    html = report.to_html(_two(), TODAY)
    matrix = html[html.index('<table class="matrix">'):html.index("</table>")]
    text = visible(matrix)
    assert "Amina Warsame" in text and "Hassan Al-Masri" in text
    assert "Te weinig om van te leven" in text and "Geen kinderopvang tijdens de lessen" in text
    hassan = visible(matrix[matrix.index('<tr data-persona="hassan">'):])
    assert hassan.startswith("Hassan Al-Masri 1 blokkerende bevinding, verwacht voor deze persona; "
                             "1 niet-blokkerende bevinding; 1 verwachte bevinding niet gevonden")
    assert "blokkerend verwacht" in hassan and "niet blokkerend" in hassan and "verwacht, niet gevonden" in hassan
    assert "—" in hassan  # letter_unreadable: not found for Hassan
    assert "<table class=\"matrix\">" not in report.to_html(_two()[:1], TODAY)


def test_matrix_cells_per_check():
    m = labels.matrix(_two())
    ids = [c for c, _label in m.checks]
    assert ids == ["letter_unreadable", "childcare_missing", "leefgeld_below_norm", "ontzorgen_declined_low_finance",
                   "ontzorgen_end_without_handback"]
    hassan = dict(zip(ids, m.rows[1][2]))
    assert hassan["letter_unreadable"] == labels.Cell("none", "—")
    assert hassan["childcare_missing"] == labels.Cell("warning", "verwacht, niet gevonden")
    assert hassan["leefgeld_below_norm"] == labels.Cell("error", "blokkerend", "verwacht")
    assert hassan["ontzorgen_declined_low_finance"] == labels.Cell("warning", "niet blokkerend")


# --- the app page shows the same --------------------------------------------------------------------------


def test_page_view_has_the_banner_titles_and_the_matrix():
    journeys = _two()
    journeys[0].language_input = "so_SO"
    view = personas_state._view(journeys[0])
    assert (view.tone, view.outcome) == ("error", "3 onverwachte blokkerende bevindingen")
    assert view.facts.startswith("Brieftaal: Somalisch (so_SO → so) · Leerroute: Z-route · Begeleiding: L1 intensief · "
                                 "Huishouden: Alleenstaande ouder · doorgerekend in ")
    assert [f.label for f in view.findings] == ["Brief onleesbaar voor de persoon", "Te weinig om van te leven",
                                                "Ontzorgen stopt zonder teruggaveplan"]
    assert view.steps[0].on == "04-05-2026" and "<svg" in view.svg
    checks_, rows = personas_state._matrix(journeys)
    assert [r.name for r in rows] == ["Amina Warsame", "Hassan Al-Masri"] and "Te weinig om van te leven" in checks_
    assert personas_state._matrix(journeys[:1]) == ([], [])


# --- end to end: a real persona run ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def amina() -> Journey:
    return runner.run_persona(schema.load(schema.PERSONAS_DIR / "amina.yaml"))


def test_real_amina_report_reads_as_a_coordinator_report(amina):
    html = report.to_html([amina], TODAY)
    text = visible(html)
    blocking = [f for f in amina.findings if f.blocking]
    assert blocking, "amina's file describes blocking gaps in the chain"
    assert labels.counted(len(blocking), "{count} blokkerende bevinding", "{count} blokkerende bevindingen") in _banner(html)
    assert "tone-error" in _banner(html) and "tone-success" not in _body(html)
    for f in amina.findings:
        assert labels.check_label(f.check) in text and f.check not in text
    assert amina.household_kind not in text and labels.household_label(amina.household_kind) in text
    svg = str(report.timeline_svg(amina))
    for step in amina.steps:
        assert f'<tspan font-weight="bold">{escape(step.step[:40])}' in svg
    assert " dagen</text>" in svg
