"""The learning route the PIP form proposes, from the facts of the intake (plans/norms.yaml)."""

from __future__ import annotations

from datetime import date

import pytest

from statushouders import plan_templates, route_advice
from statushouders.models import Person, Plan

NORMS = plan_templates.norms()
TERM_START = date(2026, 9, 1)


def _advise(birth: date, literacy: str = "literate", years: int | None = 12, goal: str = "",
            test: int | None = None):
    person = Person(birth_date=birth, literacy=literacy, education_years=years)
    return route_advice.advise(person, Plan(goal=goal, learnability_score=test), TERM_START, 36, NORMS)


def test_aow_age_before_the_route_ends_proposes_the_z_route():
    advice = _advise(date(1962, 7, 1))  # 67 on 01-07-2029, the route runs until 01-09-2029
    assert advice.route == "z"
    assert "01-07-2029" in advice.reason


def test_aow_age_after_the_route_ends_leaves_the_b1_route():
    assert _advise(date(1962, 10, 1)).route == "b1"  # 67 on 01-10-2029, a month after the route


@pytest.mark.parametrize("score, route", [(19, "z"), (20, "b1"), (36, "b1")])
def test_a_learnability_test_below_20_of_40_proposes_the_z_route(score, route):
    advice = _advise(date(1990, 1, 1), test=score)
    assert advice.route == route
    if route == "z":
        assert advice.reason == "leerbaarheidstoets 19 van 40, onder de grens van 20"


@pytest.mark.parametrize("literacy, years, route", [
    ("illiterate", 0, "z"), ("limited", 4, "z"), ("limited", 6, "b1"), ("literate", 0, "b1"),
])
def test_who_cannot_read_or_reads_little_after_little_school_gets_the_z_route(literacy, years, route):
    assert _advise(date(1990, 1, 1), literacy=literacy, years=years).route == route


def test_a_study_goal_below_28_proposes_the_onderwijsroute_and_from_28_the_b1_route():
    young = _advise(date(2007, 3, 14), literacy="limited", years=6, goal="study")  # Yonas, 19
    assert young.route == "onderwijs"
    assert young.reason == "doel is een opleiding en 19 jaar oud (jonger dan 28)"
    assert _advise(date(1998, 9, 1), goal="study").route == "b1"  # 28 on the term start
    assert _advise(date(2007, 3, 14), goal="work").route == "b1"
