"""A persona's answers as the forms of the real code paths take them (for the flow runner).

The runner must drive the same functions as the app, so it fills the same forms staff fill in.
These adapters turn a ``Persona`` into those plain form dicts (all values strings, Dutch
amount notation), without importing the plan or budget modules (only the level proposal). The shapes mirror, as of
this branch: ``plans.save_intake_details`` / ``plans.save_assessment`` and
``budget.service.save_benefit`` / ``add_fixed_cost`` / ``add_deduction`` / ``add_allowance``
/ ``save_arrangement`` (see ``budget/demo.py``). Check them when those branches merge.
"""

from __future__ import annotations

from decimal import Decimal

from ..plan_templates import suggested_level
from .schema import Persona

CORE_COSTS = ("rent", "energy", "water", "health_insurance")


def amount_nl(amount: Decimal) -> str:
    """650.5 -> '650,50' (the forms take Dutch notation)."""
    return f"{amount:.2f}".replace(".", ",")


DIPLOMA_WORDS = ("bachelor", "master", "diploma", "opleiding", "universiteit", "afgerond", "mbo", "hbo")
STUDY_WORDS = ("opleiding", "studeren", "mbo", "hbo", "universiteit", "school", "monteur", "leren voor")


def intake_details_form(persona: Persona) -> dict:
    """Interpreter, BRP registration date, whether family is still abroad (reunification actions), and
    the facts a professional asks at the intake: diplomas, previous occupation, goal, health shared.

    Diplomas, occupation and goal are read from the persona's education and goals the way a
    professional would summarise them (words like "bachelor" or "afgerond" mean diplomas).
    """
    registered = persona.residence.registered_on
    abroad = any(m.arrives_on and m.arrives_on > registered for m in persona.household)
    edu = persona.education
    history = " ".join(edu.history).lower()
    diplomas = "lost" if "kwijt" in history else "present" if any(w in history for w in DIPLOMA_WORDS) else "none"
    work_goals = " ".join(g.nl.lower() for g in persona.goals if g.domain == "werk")
    goal = "" if not work_goals else "study" if any(w in work_goals for w in STUDY_WORDS) else "work"
    return {
        "interpreter_present": "on" if persona.languages.interpreter_needed else "",
        "interpreter_language": persona.languages.letter if persona.languages.interpreter_needed else "",
        "brp_date": registered.isoformat(),
        "family_reunification": "on" if abroad else "",
        "diplomas": diplomas,
        "occupation": edu.work[0] if edu.work else "",
        "goal": goal,
        "health_shared": "on" if persona.functional_limitations else "",
        "learnability_score": "" if edu.learnability_score is None else str(edu.learnability_score),
    }


def assessment_forms(persona: Persona) -> list[dict]:
    """One form per scored life domain: score, the level the product proposes for it, relevance, situation,
    own goals. Never the persona's ``expected`` levels: the run decides, the expectation is compared after."""
    forms = []
    for domain, score in persona.self_reliance.items():
        notes = persona.domain_notes.get(domain, {})
        goals = [f"{g.nl} ({g.own})" for g in persona.goals if g.domain == domain]
        forms.append({
            "domain": domain,
            "score": str(score),
            "level": suggested_level(score),  # the professional takes the product's proposal
            "level_reason": "",
            "relevance": notes.get("relevance") or f"Besproken in de brede intake (zelfredzaamheid {score}).",
            "situation": notes.get("situation", ""),
            "goals": "; ".join(goals),
        })
    return forms


INFORMAL_DEBT_MONTHS = 10  # the coach agrees to repay friends in 10 monthly parts
COACH_OFFER = "Elke maand samen het budget en de rekeningen doornemen; hulp bij automatische betalingen en toeslagen."


def budget_forms(persona: Persona) -> dict | None:
    """Benefit, fixed costs, deductions, allowances and the ontzorgen arrangement; None without a budget."""
    b = persona.budget
    if b is None:
        return None
    benefit = {"benefit_start": b.benefit_start.isoformat(), "household_kind": b.household_kind}
    if b.supplement:
        benefit["supplement"] = amount_nl(b.supplement)
    arrangement = {"ontzorgen_months": str(b.ontzorgen.months or 6),  # not wanted: the period, paid via coaching
                   "ontzorgen_reason": b.ontzorgen.reason}
    if not b.ontzorgen.wanted:  # declined: the tailored alternative and what the coach offers
        arrangement["alternative"] = b.ontzorgen.reason
        arrangement["coach_offer"] = COACH_OFFER if b.coach else ""
    for category in CORE_COSTS:
        arrangement[f"mode_{category}"] = "direct" if b.ontzorgen.wanted else "coaching"
        if not b.ontzorgen.wanted:
            arrangement[f"reason_{category}"] = b.ontzorgen.reason
        if category in b.ontzorgen.hand_back:
            arrangement[f"hand_back_{category}"] = b.ontzorgen.hand_back[category]
    lines = []  # what the budget coach records: money sent to family, repaying friends
    if b.remittances:
        lines.append({"line_kind": "remittance", "line_amount": amount_nl(b.remittances), "line_label": "Geld naar familie"})
    if b.informal_debts:
        monthly = (b.informal_debts / INFORMAL_DEBT_MONTHS).quantize(Decimal("0.01"))
        lines.append({"line_kind": "informal_debt", "line_amount": amount_nl(monthly),
                      "line_months": str(INFORMAL_DEBT_MONTHS), "line_label": "Aflossing vrienden"})
    if b.other_income:
        lines.append({"line_kind": "other_income", "line_amount": amount_nl(b.other_income), "line_label": "Ander inkomen"})
    return {
        "lines": lines,
        "benefit": benefit,
        "costs": [{"category": c.category, "creditor_name": c.creditor, "creditor_iban": c.iban,
                   "amount": amount_nl(c.amount), "day_of_month": str(c.day_of_month), "reference": c.reference,
                   "label": ""} for c in b.fixed_costs],
        "deductions": [{"deduction_label": d.label, "deduction_amount": amount_nl(d.amount),
                        "deduction_months": str(d.months)} for d in b.deductions],
        "allowances": [{"allowance_kind": a.kind, "allowance_amount": amount_nl(a.amount),
                        "allowance_expected": a.expected_on.isoformat()} for a in b.allowances],
        "arrangement": arrangement,
        "coach": b.coach,
    }
