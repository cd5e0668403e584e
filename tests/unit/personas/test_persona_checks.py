"""Each check on hand-built data: it fires where the flow fails the person, and stays quiet otherwise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from statushouders.personas import checks
from statushouders.policy import ORGANISATION_KINDS

DAY = date(2026, 9, 1)
LESSONS = {"domain": "inburgering", "what": "Taallessen Z-route, 3 ochtenden per week", "owner": "taalschool"}
CHILDCARE = {"domain": "gezin", "what": "Kinderopvang regelen als voorwaarde voor de lessen", "owner": "gemeente"}
TODDLER = {"name": "Hodan", "relationship": "child", "birth_date": date(2024, 11, 3)}
SCHOOLCHILD = {"name": "Abel", "relationship": "child", "birth_date": date(2019, 6, 10)}


def test_every_check_is_registered_with_a_one_line_summary_and_documented():
    docs = (Path(__file__).resolve().parents[3] / "docs" / "personas.md").read_text(encoding="utf-8")
    for check_id, c in {**checks.CHECKS, **{k: None for k in checks.RUNNER_CHECKS}}.items():
        assert f"`{check_id}`" in docs, check_id
        if c:
            assert c.summary and "\n" not in c.summary and isinstance(c.blocking, bool)
    assert checks.STATIC_CHECKS <= set(checks.CHECKS)


def test_findings_say_step_rule_and_fix():
    found = checks.pip_for_temporary_protection("temporary_protection", True)
    assert found.check == "pip_for_temporary_protection" and found.blocking and found.step == "PIP"
    assert found.rule and found.detail and found.fix


def test_letter_unreadable():
    assert checks.letter_unreadable("limited", "letter", "so", ["so"]).blocking
    assert checks.letter_unreadable("illiterate", "email", "prs", [])
    assert "leest geen Arabisch" in checks.letter_unreadable("literate", "letter", "ar", ["ku"]).detail
    assert checks.letter_unreadable("literate", "letter", "ar", ["ar"]) is None
    assert checks.letter_unreadable("illiterate", "phone", "prs", []) is None


def test_letter_catalog_incomplete_asks_the_catalog():
    complete = {"ar", "tr"}.__contains__
    assert "Tigrinya" in checks.letter_catalog_incomplete("tir", complete).detail
    assert checks.letter_catalog_incomplete("ar", complete) is None
    assert checks.letter_catalog_incomplete("nl", lambda code: False) is None


def test_mother_tongue_unsupported():
    assert checks.mother_tongue_unsupported("ln", "fr")  # Lingala: no chain letter language (uk now is one)
    assert checks.mother_tongue_unsupported("uk", "uk") is None
    assert checks.mother_tongue_unsupported("kmr", "ar") is None


def test_childcare_missing():
    found = checks.childcare_missing([TODDLER], [LESSONS], DAY)
    assert found.blocking and "Hodan" in found.detail
    assert checks.childcare_missing([TODDLER], [LESSONS, CHILDCARE], DAY) is None
    assert checks.childcare_missing([TODDLER], [LESSONS, {"domain": "gezin", "what": "VVE-plek aanvragen"}], DAY) is None
    info = {"domain": "gezin", "what": "Informatie over VVE en kinderopvangtoeslag", "kind": "informatie"}
    assert checks.childcare_missing([TODDLER], [LESSONS, info], DAY)  # telling is not arranging
    assert checks.childcare_missing([SCHOOLCHILD], [LESSONS], DAY) is None  # 7 years old
    assert checks.childcare_missing([TODDLER], [CHILDCARE], DAY) is None  # no lessons planned
    assert checks.childcare_missing([TODDLER], [LESSONS], date(2028, 11, 3)) is None  # turned 4


def test_leefgeld_below_the_household_norm():
    """Zarghuna's household (widow, four children) lives on € 1.371,62 in August: below its norm of € 1.525,00.
    The same amount is plenty for a single person; a negative leefgeld is always found."""
    M = checks.MonthMoney
    months = {"2026-08": M(Decimal("183.62"), Decimal("1371.62"), Decimal("1525.00")),
              "2026-09": M(Decimal("-12.00"), Decimal("400.00"), Decimal("385.00")),
              "2026-10": M(Decimal("612.62"), Decimal("1800.62"), Decimal("1525.00"))}
    found = checks.leefgeld_below_norm(months)
    assert found.blocking
    assert found.detail == ("Te weinig om van te leven in 2 van de 3 maanden: augustus 2026: € 1.371,62 om van te "
                            "leven, norm € 1.525,00; september 2026: € 400,00 om van te leven, norm € 385,00 "
                            "(leefgeld -€ 12,00).")
    assert checks.leefgeld_below_norm({"2026-08": M(Decimal("183.62"), Decimal("1371.62"), Decimal("385.00"))}) is None  # single
    assert checks.leefgeld_below_norm({"2026-10": M(Decimal("250.00"), Decimal("250.00"), Decimal("250.00"))}) is None


def test_guidance_inconsistent():
    assert "financien (score 2, L3)" in checks.guidance_inconsistent({"financien": "L3"}, {"financien": 2}).detail
    assert checks.guidance_inconsistent({"werk": "L1"}, {"werk": 4})
    assert checks.guidance_inconsistent({"werk": "L1"}, {"werk": 4}, {"werk": "BIG-registratie vraagt begeleiding"}) is None
    assert checks.guidance_inconsistent({"werk": "L2", "wonen": "L3"}, {"werk": 4, "wonen": 3}) is None


def test_reticent_without_check():
    plan = [{"domain": "financien", "what": "Uitleg toeslagen", "kind": "informatie"}]
    assert checks.reticent_without_check("reticent", {"financien": "L3"}, plan)
    plan.append({"domain": "financien", "what": "Controlemoment: toeslagen aangevraagd?", "kind": "controle"})
    assert checks.reticent_without_check("reticent", {"financien": "L3"}, plan) is None
    assert checks.reticent_without_check("assertive", {"financien": "L3"}, plan[:1]) is None


def test_action_without_owner_and_assertive_unowned_actions():
    plan = [LESSONS, {"domain": "werk", "what": "Diplomawaardering aanvragen", "owner": ""}]
    assert "Diplomawaardering" in checks.action_without_owner(plan).detail
    assert checks.action_without_owner([LESSONS]) is None
    own = [LESSONS, {"domain": "werk", "what": "Zelf BIG-registratie regelen", "owner": "persoon"}]
    assert checks.assertive_unowned_actions("assertive", own, ORGANISATION_KINDS)
    assert checks.assertive_unowned_actions("reticent", own, ORGANISATION_KINDS) is None
    assert checks.assertive_unowned_actions("assertive", [LESSONS], ORGANISATION_KINDS) is None


def test_pip_for_temporary_protection():
    assert checks.pip_for_temporary_protection("temporary_protection", True).blocking
    assert checks.pip_for_temporary_protection("temporary_protection", False) is None
    assert checks.pip_for_temporary_protection("asylum", True) is None


def test_b1_route_near_pension():
    born = date(1962, 7, 1)  # 67 on 2029-07-01
    assert checks.b1_route_near_pension(born, "b1", date(2026, 8, 10))
    assert checks.b1_route_near_pension(born, "z", date(2026, 8, 10)) is None
    assert checks.b1_route_near_pension(born, "b1", date(2026, 6, 1)) is None  # term ends before 67
    assert checks.b1_route_near_pension(born, "b1", date(2026, 6, 1), pension_age_years=66)


def test_household_change_not_in_plan():
    arrival = date(2026, 5, 20)
    assert checks.household_change_not_in_plan([arrival], [date(2026, 2, 1), date(2026, 7, 1)])
    assert checks.household_change_not_in_plan([arrival], [date(2026, 6, 3)]) is None


def test_norm_checks():
    assert checks.koppeling_norm_exceeded(date(2026, 5, 11), date(2026, 5, 29))
    assert checks.koppeling_norm_exceeded(date(2026, 5, 11), date(2026, 5, 25)) is None
    assert checks.koppeling_norm_exceeded(None, date(2026, 5, 25)) is None
    late_offer = checks.housing_norm_exceeded(date(2026, 2, 13), date(2026, 6, 15), date(2026, 6, 25), DAY)
    assert "woningaanbod op 15-06-2026" in late_offer.detail and "verhuizing" not in late_offer.detail
    late_move = checks.housing_norm_exceeded(date(2026, 2, 13), date(2026, 4, 1), None, DAY)
    assert "verhuizing nog niet gedaan" in late_move.detail
    assert checks.housing_norm_exceeded(date(2026, 2, 13), date(2026, 4, 1), date(2026, 4, 10), DAY) is None
    assert checks.housing_norm_exceeded(date(2026, 8, 1), None, None, DAY) is None  # offer not due yet
    assert checks.pip_norm_exceeded(date(2026, 2, 16), date(2026, 5, 1), DAY)
    assert "nog niet vastgesteld" in checks.pip_norm_exceeded(date(2026, 2, 16), None, DAY).detail
    assert checks.pip_norm_exceeded(date(2026, 2, 16), date(2026, 4, 20), DAY) is None


def test_ontzorgen_checks():
    assert checks.ontzorgen_declined_low_finance(False, 2, "wil zelf betalen")
    assert checks.ontzorgen_declined_low_finance(False, 2, coach_planned=True) is None
    assert checks.ontzorgen_declined_low_finance(False, 4) is None
    assert checks.ontzorgen_declined_low_finance(True, 1) is None
    end = date(2027, 2, 1)
    assert checks.ontzorgen_end_without_handback(end, [], date(2027, 2, 2)).blocking
    assert checks.ontzorgen_end_without_handback(end, ["energie 2027-01"], date(2027, 2, 2)) is None
    assert checks.ontzorgen_end_without_handback(end, [], date(2027, 1, 2)) is None  # not ended yet
    assert checks.ontzorgen_end_without_handback(None, [], date(2027, 2, 2)) is None


def test_letter_inconsistent_reads_the_printed_text():
    day = date(2026, 12, 2)
    paid = "Uw uitkering € 1.895,17\nHuur de Alliantie € -690,00\nUw leefgeld € 752,17\nU krijgt het geld\nop 4 december 2026."
    assert checks.letter_inconsistent([{"label": "Maandoverzicht", "date": day, "text": paid}]) is None
    wrong = "Uw leefgeld € -172,50\nWij maken uw leefgeld over. U krijgt het geld op 1 december 2026."
    found = checks.letter_inconsistent([{"label": "Maandoverzicht", "date": day, "text": wrong}])
    assert found.detail == ("Maandoverzicht van 02-12-2026: een negatief bedrag; "
                            "Maandoverzicht van 02-12-2026: uitbetaling op 1 december 2026.")


def test_attendance_risk_counts_lessons_only_when_there_are_lessons():
    job = {"on": date(2027, 3, 1), "hours": 38, "combine_planned": False}
    assert checks.attendance_risk([{**job, "lesson_hours": 0}], 40) is None  # paused, stopped or no duty
    found = checks.attendance_risk([{**job, "lesson_hours": 12}], 40)
    assert found.detail == ("Werk 38 uur per week vanaf 01-03-2027 + lessen 12 uur = 50 uur, meer dan 40 "
                            "(geen actie om werk en lessen te combineren).")
