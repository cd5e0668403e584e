"""Every persona file runs through the real chain flow on a scratch database (adding a file adds its test).

Asserted per persona: the guidance levels the intake recorded (where the file expects any), the PIP route, the language of every
letter, leefgeld per month, the household norm after the events and exactly the expected findings.
"""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from statushouders import plan_templates
from statushouders.personas import checks, cli, report, runner, schema

FILES = schema.persona_files()


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_persona_flow_outcome(path: Path, journeys):
    persona = schema.load(path)
    j = journeys[persona.id]
    exp = persona.expected
    assert j.differences == []  # the product decided as the coordinator expects (levels, overall, route, ...)
    assert {d: j.levels[d] for d in exp.guidance} == exp.guidance  # only the domains the file names: optional
    if exp.overall:
        assert j.overall == exp.overall  # derived from those levels (overall_level.derive)
    assert j.route == exp.route
    assert j.letter_language == exp.letter_language
    assert j.letters, "the flow produces letters"
    assert {lang for _, lang in j.letters} == {exp.letter_language}
    assert ("pip_summary", exp.letter_language) in j.letters if exp.pip else all(t != "pip_summary" for t, _ in j.letters)
    if exp.household_kind and persona.budget:
        assert j.household_kind == exp.household_kind
    if persona.budget:
        assert j.money and all(isinstance(v, Decimal) for m in j.money.values() for v in m)
        low = [month for month, m in j.money.items() if m.short]
        assert bool(low) == ("leefgeld_below_norm" in exp.findings)
        assert j.transferred or j.unpaid, "a real payment run paid this person, or the approver was blocked"
    assert sorted(j.found_ids) == sorted(exp.findings)
    assert j.ok and not j.missing


def test_yonas_leefgeld_is_200_after_fixed_costs(journeys):
    yonas = journeys["yonas"]
    august = yonas.money["2026-08"]
    # the youth norm is € 200,00; after his own costs and what he sends home he lives on € 60,00
    assert (august.leefgeld, august.available, august.norm) == (Decimal("200.00"), Decimal("60.00"), Decimal("200.00"))
    assert any(s.step.startswith("Betaalrun") for s in yonas.steps)


def test_rania_family_arrival_adds_a_pip_version_and_the_couple_norm(journeys):
    rania = journeys["rania"]
    assert [kind for _, _, kind in rania.pip_versions] == ["eerste", "huishouden"]
    assert rania.household_kind == "couple"
    assert "household_change_not_in_plan" not in rania.found_ids


def test_amina_second_child_pauses_lessons_extends_the_pip_and_raises_the_leefgeld_norm(journeys):
    amina = journeys["amina"]
    assert [kind for _, _, kind in amina.pip_versions][-1] == "huishouden"
    birth = next(s for s in amina.steps if s.step == "Kind geboren")
    assert "Huishouden: Sagal Warsame (kind, geboren 2027-01-04) erbij" in birth.detail
    assert "Lessen gepauzeerd van 2027-01-04 tot en met 2027-04-26" in birth.detail
    assert "Termijn 4 maanden langer" in birth.detail
    assert "Budget: leefgeldnorm vanaf 01-2027: € 385,00 → € 495,00 per maand" in birth.detail
    assert ("pip_summary", "so") in birth.letters  # the PIP change letter, in Somali


def test_olena_gets_no_pip(journeys):
    olena = journeys["olena"]
    assert olena.pip_versions == [] and olena.route is None
    assert any(s.step == "Geen PIP" for s in olena.steps)


class _Tripwire:
    """An ``expected`` block that fails the test when the run reads any of it."""

    def __getattr__(self, name):
        raise AssertionError(f"the runner read expected.{name} while deciding")


def _decisions(j: runner.Journey) -> tuple:
    return (j.levels, j.overall, j.route, j.letter_language, j.household_kind, j.letters, j.pip_versions,
            {m: (v.leefgeld, v.available, v.norm) for m, v in j.money.items()}, j.transferred, j.unpaid,
            [(s.on, s.step, s.detail) for s in j.steps], sorted(j.found_ids))


@pytest.mark.parametrize("name", ["khaled", "yonas", "rania"])
def test_the_runner_decides_the_same_without_the_expected_block_and_never_reads_it(name, journeys):
    """Khaled (Z-route: learnability test 14), Yonas (onderwijsroute: a study goal at 19), Rania (B1, L3)."""
    persona = schema.load(schema.PERSONAS_DIR / f"{name}.yaml")
    blind = runner.decide(dataclasses.replace(persona, expected=_Tripwire()))
    assert _decisions(blind) == _decisions(journeys[name])
    assert blind.route == {"khaled": "z", "yonas": "onderwijs", "rania": "b1"}[name]


def test_a_decision_that_differs_from_the_expectation_is_reported_and_fails_the_run():
    """Yonas expected on the B1-route: the product proposes the onderwijsroute (a study goal at 19)."""
    yonas = schema.load(schema.PERSONAS_DIR / "yonas.yaml")
    expected = dataclasses.replace(yonas.expected, route="b1", guidance={**yonas.expected.guidance, "werk": "L2"})
    journey = runner.run_persona(dataclasses.replace(yonas, expected=expected))
    assert journey.route == "onderwijs"
    assert "Leerroute: Onderwijsroute, verwacht B1-route" in journey.differences
    assert "Begeleiding Werk en opleiding: L1, verwacht L2" in journey.differences
    assert not journey.ok


def _reticent_on_information(persona: schema.Persona) -> schema.Persona:
    """Saba, but self-reliant in daily life and social contacts (L3, information only)."""
    scores = {**persona.self_reliance, "dagelijks": 4, "sociaal": 4}
    guidance = {**persona.expected.guidance, "dagelijks": "L3", "sociaal": "L3"}
    expected = dataclasses.replace(persona.expected, guidance=guidance)
    return dataclasses.replace(persona, self_reliance=scores, expected=expected)


def test_fixed_templates_give_a_reticent_person_on_l3_a_check_moment():
    """The gap the runner found: L3 sociaal/dagelijks had only information, no check moment.
    Now an L3 plan has one check moment that goes through every L3 domain."""
    saba = _reticent_on_information(schema.load(schema.PERSONAS_DIR / "saba.yaml"))
    journey = runner.run_persona(saba)
    assert "reticent_without_check" not in journey.found_ids


def test_without_the_plan_check_moment_the_check_still_fires(monkeypatch):
    real = plan_templates.expand

    def without_check(levels, facts):
        return [a for a in real(levels, facts) if a.template is not plan_templates.L3_CHECK
                and a.template.ref != plan_templates.L3_CHECK.ref]

    monkeypatch.setattr("statushouders.plans.expand", without_check)
    saba = _reticent_on_information(schema.load(schema.PERSONAS_DIR / "saba.yaml"))
    journey = runner.run_persona(saba)
    finding = next(f for f in journey.findings if f.check == "reticent_without_check")
    assert "dagelijks" in finding.detail and "sociaal" in finding.detail


def test_report_html_and_pdf_show_findings_and_own_script(journeys, tmp_path):
    yonas = journeys["yonas"]
    html = report.to_html([yonas])
    assert "Klantreis: Yonas" in html and "ዮናስ" in html and "leefgeld_below_norm" in html and "<svg" in html
    paths = report.write([yonas], tmp_path / "html", tmp_path / "pdf")
    pdf = (tmp_path / "pdf" / "yonas.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(paths) == 2
    from pypdf import PdfReader
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "pdf" / "yonas.pdf").pages)
    assert "Klantreis" in text and "Woning later dan de norm" in text  # the check's Dutch title, not its id


def test_cli_run_one_persona_prints_the_table_and_exits_0(capsys, tmp_path):
    code = cli.run("olena", html_dir=str(tmp_path))
    out = capsys.readouterr().out
    assert code == 0
    assert "olena" in out and "OK" in out and (tmp_path / "olena.html").exists()
    html = (tmp_path / "olena.html").read_text(encoding="utf-8")
    assert "Tijdelijke bescherming: geen PIP, wel hulp" in html  # the letter that says why there is no PIP


def test_cli_exits_1_on_an_unexpected_blocking_finding(capsys, tmp_path):
    text = (schema.PERSONAS_DIR / "yonas.yaml").read_text(encoding="utf-8")
    text = text.replace("    - leefgeld_below_norm", "")
    (tmp_path / "yonas.yaml").write_text(text, encoding="utf-8")
    assert cli.run("", directory=tmp_path) == 1
    assert "leefgeld_below_norm*" in capsys.readouterr().out


def test_cli_unknown_persona(capsys):
    assert cli.run("nobody") == 2
    assert "nobody" in capsys.readouterr().err


def test_every_runner_check_is_documented():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "personas.md").read_text(encoding="utf-8")
    for cid in [*checks.CHECKS, *checks.RUNNER_CHECKS]:
        assert f"`{cid}`" in doc


def test_who_reads_little_asks_to_be_called_and_the_regisseur_calls_back(journeys):
    for pid in ("yonas", "zarghuna", "amina", "saba"):  # reads little, or prefers the phone
        labels = [s.step for s in journeys[pid].steps]
        assert "Bel mij: uitleg over het plan gevraagd" in labels and "Teruggebeld" in labels, pid
    called = next(s for s in journeys["zarghuna"].steps if s.step == "Teruggebeld")
    assert called.detail == "In het Dari, met tolk"
    assert not any(s.step == "Teruggebeld" for s in journeys["olena"].steps)  # reads well, prefers e-mail


def test_a_call_me_request_the_regisseur_does_not_see_is_a_blocking_finding(monkeypatch):
    monkeypatch.setattr("statushouders.callbacks.open_for_staff", lambda session, actor, today: [])
    journey = runner.run_persona(schema.load(schema.PERSONAS_DIR / "yonas.yaml"))
    finding = next(f for f in journey.findings if f.check == "call_me_unanswered")
    assert finding.blocking and "terugbellijst" in finding.detail
    assert not journey.ok
