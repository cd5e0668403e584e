"""The learning route the product proposes at the PIP, from the intake's facts (the regisseur decides).

The rule, in order (the ages and years are norms in ``plans/norms.yaml``):
1. Z-route when the person reaches the AOW age (``pension_age_years``) within the route's
   duration: an exam route they will not need to finish.
2. Z-route when the learnability test (leerbaarheidstoets, 0-40) scored below
   ``z_route_learnability_below``: B1 within the term is not feasible.
3. Z-route when the person cannot read or write, or reads little after at most
   ``z_route_max_school_years`` years of school: literacy first, self-reliance as the goal.
4. Onderwijsroute when the goal named at the intake is a study and the person is younger than
   ``onderwijsroute_max_age`` at the start of the term.
5. Otherwise the B1-route.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .catalogs import staff_text as _
from .models import Person, Plan


@dataclass(frozen=True)
class RouteAdvice:
    route: str  # pip.ROUTES key
    reason: str  # why, in the staff's words


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _birthday(birth: date, age: int) -> date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # 29 February
        return date(birth.year + age, 3, 1)


def advise(person: Person, plan: Plan | None, term_start: date, duration_months: int, norms: dict) -> RouteAdvice:
    """The proposed route for a PIP that starts on ``term_start`` and runs ``duration_months``."""
    from .pip import add_months

    pension = _birthday(person.birth_date, norms["pension_age_years"])
    if pension <= add_months(term_start, duration_months):
        return RouteAdvice("z", _("bereikt de AOW-leeftijd op {day}, binnen de duur van de leerroute").format(
            day=pension.strftime("%d-%m-%Y")))
    test = plan.learnability_score if plan is not None else None
    if test is not None and test < norms["z_route_learnability_below"]:
        return RouteAdvice("z", _("leerbaarheidstoets {score} van 40, onder de grens van {limit}").format(
            score=test, limit=norms["z_route_learnability_below"]))
    years = person.education_years if person.education_years is not None else 0
    if person.literacy == "illiterate":
        return RouteAdvice("z", _("kan niet lezen of schrijven: eerst alfabetisering, zelfredzaamheid als doel"))
    if person.literacy == "limited" and years <= norms["z_route_max_school_years"]:
        return RouteAdvice("z", _("leest en schrijft beperkt na {years} jaar school: eerst alfabetisering").format(
            years=years))
    age = _age_on(person.birth_date, term_start)
    if plan is not None and plan.goal == "study" and age < norms["onderwijsroute_max_age"]:
        return RouteAdvice("onderwijs", _("doel is een opleiding en {age} jaar oud (jonger dan {limit})").format(
            age=age, limit=norms["onderwijsroute_max_age"]))
    return RouteAdvice("b1", _("geen reden voor de Z-route of de onderwijsroute"))
