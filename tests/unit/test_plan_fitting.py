"""Generation per persona: every action's stated facts hold, each child has its own age-fitting actions,
an L3 plan is at most about a third of an L1 plan for the same household (issue 16)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from statushouders import plan_templates as t, plans, register
from statushouders.models import Plan, PlanAction
from statushouders.personas import forms, schema

PERSONAS = sorted(p.stem for p in schema.PERSONAS_DIR.glob("*.yaml"))


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _run(session, chain, persona, levels=None):
    """Register the persona, hold the intake 14 days after registration, generate the plan."""
    actor = chain["regisseur"]
    form, household, registered = schema.registration_args(persona)
    person = register.register(session, actor, form, household, registered)
    intake = registered + timedelta(days=14)
    while intake.isoweekday() > 5:  # a working day
        intake += timedelta(days=1)
    plans.schedule_intake(session, actor, person.id, f"{intake.isoformat()}T10:00", "Stadhuis", registered)
    plans.save_intake_details(session, actor, person.id, forms.intake_details_form(persona), intake)
    for f in forms.assessment_forms(persona):
        if levels:
            f = {**f, "level": levels, "level_reason": "vergelijking L1/L3"}
        plans.save_assessment(session, actor, person.id, f, intake)
    plans.generate_draft(session, actor, person.id, intake)
    plan = session.scalars(select(Plan).where(Plan.person_id == person.id)).one()
    return person, intake, list(session.scalars(select(PlanAction).where(PlanAction.plan_id == plan.id)))


def _templates_by_ref():
    refs = {a.ref: a for actions in t.load_templates().values() for a in actions}
    refs[t.L3_CHECK.ref] = t.L3_CHECK
    return refs


def _facts_from_yaml(persona, intake):
    """The facts as the test reads them from the persona file itself (not through plans.facts_for)."""
    kids = tuple(t.Child(m.name, m.name.split()[0], _age(m.birth_date, intake)) for m in persona.members_on(intake)
                 if m.relationship == "child")
    details = forms.intake_details_form(persona)
    return kids, t.Facts(
        children=kids, has_family_abroad=bool(details["family_reunification"]),
        not_moved=not (persona.residence.move_date and persona.residence.move_date <= persona.residence.registered_on),
        integration_duty=persona.residence.status != "temporary_protection" and persona.residence.integration_duty,
        literacy=persona.languages.literacy, diplomas=details["diplomas"], occupation=details["occupation"],
        health_profession=t.is_health_profession(details["occupation"]), goal=details["goal"],
        health_shared=bool(persona.functional_limitations),
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_no_action_whose_stated_facts_do_not_hold(session, chain, name):
    persona = schema.load(schema.PERSONAS_DIR / f"{name}.yaml")
    person, intake, actions = _run(session, chain, persona)
    kids, facts = _facts_from_yaml(persona, intake)
    refs = _templates_by_ref()
    assert actions
    for action in actions:
        ref, _, child = action.template.partition("#")
        template = refs[ref]
        assert all(facts.holds(c) for c in template.requires), (name, action.what, template.requires)
        assert action.reason, action.what
        if template.per_child:
            member = next(m for m in person.household if f"m{m.id}" == child)
            age = _age(member.birth_date, intake)
            low, high = template.per_child
            assert low <= age <= high and action.subject == f"{member.name.split()[0]} ({age} jaar)"
    # each child of school or pre-school age on an L1/L2 gezin domain has its own action
    if persona.expected.guidance.get("gezin") in ("L1", "L2"):
        named = {a.subject.split(" (")[0] for a in actions if a.domain == "gezin"}
        assert named == {k.name for k in kids}, (name, named)


def test_zarghuna_each_child_named_and_nothing_irrelevant(session, chain):
    persona = schema.load(schema.PERSONAS_DIR / "zarghuna.yaml")
    _person, intake, actions = _run(session, chain, persona)
    assert intake == date(2026, 4, 6)
    gezin = sorted((a.subject, a.what) for a in actions if a.domain == "gezin")
    assert gezin == [
        ("Farid (8 jaar)", "Samen aanmelden op een basisschool en de eerste schooldag voorbereiden (leerplicht)"),
        ("Javid (15 jaar)", "Samen aanmelden bij een internationale schakelklas (ISK) of middelbare school"),
        ("Mariam (6 jaar)", "Samen aanmelden op een basisschool en de eerste schooldag voorbereiden (leerplicht)"),
        ("Nadia (11 jaar)", "Samen aanmelden op een basisschool en de eerste schooldag voorbereiden (leerplicht)"),
    ]
    whats = [a.what for a in actions]
    assert not any("opvang" in w.lower() for w in whats)  # the youngest is 6: at school during lessons
    assert not any("BIG" in w or "IDW" in w or "Diplomawaardering" in w for w in whats)  # no diplomas
    assert any(w.startswith("Alfabetisering eerst") for w in whats)  # cannot read or write
    assert not any("gezinshereniging" in w.lower() for w in whats)  # nobody abroad
    assert len(actions) <= 40, len(actions)


@pytest.mark.parametrize("name", ["zarghuna", "rania", "mehmet", "yonas"])
def test_l3_plan_is_at_most_about_a_third_of_l1_for_the_same_household(session, chain, name):
    persona = schema.load(schema.PERSONAS_DIR / f"{name}.yaml")
    _p, _d, l1 = _run(session, chain, persona, levels="L1")
    other = persona.__class__(**{**persona.__dict__, "identity": persona.identity.__class__(
        **{**persona.identity.__dict__, "v_number": "2199999999", "bsn": "", "family_name": "Vergelijking", "birth_date": date(1990, 1, 1)})})
    _p, _d, l3 = _run(session, chain, other, levels="L3")
    assert 3 * len(l3) <= len(l1) + 3, (name, len(l3), len(l1))
    assert sum(a.kind == "controle" for a in l3) == 1
