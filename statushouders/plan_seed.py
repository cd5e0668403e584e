"""Demo data for the joint intake: Yonas and Rania have an intake scheduled, Zarghuna an active plan.

The personas from the domain brief: Yonas (self-reliance 2, L1) and Rania (4, L3) are
meant to be taken through the intake in the running app; Zarghuna's finished L1 plan
fills "my actions" for every partner from the start.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import auth, pip, plans
from .models import Organisation, Person, User


# The demo runs on whatever day it is seeded; on a weekend the intakes are outside working hours.
DEMO_REASON = "demo: afspraak op verzoek van de persoon"


def _org(session: Session, name: str) -> Organisation:
    return session.scalars(select(Organisation).where(Organisation.name == name)).one()


def _person(session: Session, given: str) -> Person | None:
    return session.scalars(select(Person).where(Person.given_names == given)).first()


def seed_plans(session: Session, today: date) -> None:
    """Schedule the demo intakes; does nothing for personas that are missing."""
    regisseur = auth.actor_for(session.scalars(select(User).where(User.username == "regisseur")).one())
    invite_all = ["COA Amersfoort", "VluchtelingenWerk Gooi", "Taalschool De Brug", "Budgetcoaching Gooi"]
    tomorrow = (today + timedelta(days=1)).isoformat()

    yonas = _person(session, "Yonas")
    if yonas is not None:
        plans.schedule_intake(session, regisseur, yonas.id, f"{tomorrow}T10:00", "AZC Amersfoort (spreekkamer 2)", today,
                              reason=DEMO_REASON)
        for name in invite_all:
            plans.invite(session, regisseur, yonas.id, _org(session, name).id, today)
        plans.save_intake_details(session, regisseur, yonas.id, {"interpreter_present": "on", "interpreter_language": "tir"}, today)

    rania = _person(session, "Rania")
    if rania is not None:
        plans.schedule_intake(session, regisseur, rania.id, f"{tomorrow}T14:00", "Stadhuis Hilversum", today,
                              reason=DEMO_REASON)
        for name in ["VluchtelingenWerk Gooi", "Taalschool De Brug"]:
            plans.invite(session, regisseur, rania.id, _org(session, name).id, today)
        brp = rania.move_date.isoformat() if rania.move_date and rania.move_date <= today else ""
        plans.save_intake_details(session, regisseur, rania.id, {"brp_date": brp, "family_reunification": "on"}, today)

    zarghuna = _person(session, "Zarghuna")
    if zarghuna is not None:
        _zarghuna(session, regisseur, zarghuna, today, invite_all)


def _zarghuna(session: Session, regisseur, person: Person, today: date, invite_all: list[str]) -> None:
    """A held L1 intake with a PIP (Z-route) and an agreed, active plan."""
    plans.schedule_intake(session, regisseur, person.id, f"{today.isoformat()}T09:00", "Stadhuis Hilversum", today,
                          reason=DEMO_REASON)
    for name in invite_all:
        plans.invite(session, regisseur, person.id, _org(session, name).id, today)
        plans.set_presence(session, regisseur, person.id, _org(session, name).id, True, today)
    plans.save_intake_details(session, regisseur, person.id, {"interpreter_present": "on", "interpreter_language": "prs"}, today)
    plans.mark_intake_held(session, regisseur, person.id, today)
    domains = {
        "inburgering": (1, "Kan niet lezen of schrijven; wil Nederlands leren om met de school te praten.",
                        "Met de juf van mijn kinderen kunnen praten."),
        "financien": (1, "Geen ervaring met bank of rekeningen.", "Geen schulden krijgen."),
        "gezin": (2, "Vier kinderen (6-16); de jongste heeft opvang nodig tijdens de lessen.",
                  "Dat mijn kinderen goed naar school gaan."),
        "gezondheid": (2, "Moet op vaste tijden eten en medicijnen nemen.", "Een vaste huisarts."),
        "dagelijks": (1, "Leest geen brieven; belt liever.", "Weten welke post belangrijk is."),
    }
    for domain, (score, situation, goals) in domains.items():
        plans.save_assessment(session, regisseur, person.id, {
            "domain": domain, "score": str(score), "situation": situation, "goals": goals,
            "relevance": "besproken tijdens de brede intake",
        }, today)
    pip.decide_pip(session, regisseur, person.id, {
        "route": "z", "duration_months": "36", "preconditions": "Kinderopvang voor de jongste tijdens de lessen",
        "guidance": "VluchtelingenWerk 12 maanden; wekelijks contact", "map_intensity": "n.v.t. (Z-route)",
        "pvt_intensity": "met tolk Dari", "ontzorgen": "huur, energie, zorgverzekering", "ontzorgen_months": "12",
        "monitoring": "elke 3 maanden een voortgangsgesprek met tolk", "vve": "VVE-informatie gegeven",
    }, today)
    plans.generate_draft(session, regisseur, person.id, today)
    plans.agree(session, regisseur, person.id, "Afspraken samengevat met tolk Dari; teruggevraagd (teach-back).", today)
