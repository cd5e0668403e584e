"""The overall guidance level (derived, or chosen with a reason) and the one named case owner."""

from datetime import date

import pytest

from statushouders import auth, case_owner, overall_level, plans, register
from statushouders.models import User
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors

TODAY = date(2026, 11, 23)  # a Monday


def _plan_with(session, chain, make_form, levels: dict[str, tuple[int, str]]):
    actor = chain["regisseur"]
    person = register.register(session, actor, make_form(), [], TODAY)
    register.link_partner(session, actor, person.id, chain["orgs"]["taalschool"].id, TODAY)
    plans.schedule_intake(session, actor, person.id, f"{TODAY.isoformat()}T10:00", "Stadhuis", TODAY)
    for domain, (score, level) in levels.items():
        plans.save_assessment(session, actor, person.id, {
            "domain": domain, "score": str(score), "level": level, "relevance": "besproken",
            "level_reason": "professioneel oordeel"}, TODAY)
    return person


@pytest.mark.parametrize("levels, expected", [
    (["L1", "L1", "L1", "L1", "L1"], "L1"),  # Zarghuna
    (["L3", "L3", "L3", "L1"], "L3"),  # one domain needs the hand, three only information
    (["L1", "L3"], "L1"),  # half need L1
    (["L2", "L3", "L3"], "L3"),
    (["L1", "L2", "L3"], "L2"),
    ([], ""),
])
def test_the_overall_level_is_the_most_intensive_that_half_of_the_domains_need(levels, expected):
    assert overall_level.derive(levels) == expected


def test_the_regisseur_sets_another_overall_level_only_with_a_reason(session, chain, make_form):
    person = _plan_with(session, chain, make_form, {"werk": (4, "L3"), "inburgering": (5, "L3"), "financien": (1, "L1")})
    view = plans.load_plan(session, chain["regisseur"], person.id, TODAY)
    assert (view.overall_level, view.overall_label, view.overall_chosen) == ("L3", "L3 informatie", False)
    assert "minstens de helft" in view.overall_explanation
    with pytest.raises(FormErrors) as refused:
        overall_level.set_overall(session, chain["regisseur"], person.id, "L2", "", TODAY)
    assert refused.value.errors["overall_reason"] == (
        "Afgeleid uit de leefgebieden is L3 informatie; u kiest L2 coaching. Leg uit waarom.")
    overall_level.set_overall(session, chain["regisseur"], person.id, "L2", "schulden vragen wekelijks contact", TODAY)
    view = plans.load_plan(session, chain["regisseur"], person.id, TODAY)
    assert (view.overall_level, view.overall_chosen) == ("L2", True)
    assert view.overall_explanation == (
        "gekozen door de regisseur (afgeleid was L3 informatie): schulden vragen wekelijks contact")
    assert any("overall niveau: L3 → L2 (schulden vragen wekelijks contact)" in h["what"] for h in view.history)
    # The file shows it too, for the partners who open it.
    assert case_owner.file_line(session, person.id) == ("Regisseur", "L2 coaching")
    # Back to derived: the empty choice.
    overall_level.set_overall(session, chain["regisseur"], person.id, "", "", TODAY)
    assert plans.load_plan(session, chain["regisseur"], person.id, TODAY).overall_level == "L3"


def test_only_the_regisseur_sets_the_overall_level(session, chain, make_form):
    person = _plan_with(session, chain, make_form, {"werk": (4, "L3")})
    with pytest.raises(AccessDenied):
        overall_level.set_overall(session, chain["taalschool"], person.id, "L1", "wil meer hulp", TODAY)
    with pytest.raises(AccessDenied):
        overall_level.set_overall(session, chain["utrecht"], person.id, "L1", "wil meer hulp", TODAY)


def _colleague(session, chain, org="gemeente", role="regisseur", active=True) -> User:
    user = User(username=f"collega-{org}-{role}-{active}", full_name="Rutger Kok", password_hash=auth.hash_password("x" * 12),
                organisation=chain["orgs"][org], role=role, active=active)
    session.add(user)
    session.flush()
    return user


def test_the_case_owner_is_who_planned_the_intake_and_the_regie_can_be_handed_over(session, chain, make_form):
    person = _plan_with(session, chain, make_form, {"werk": (4, "L3")})
    view = plans.load_plan(session, chain["regisseur"], person.id, TODAY)
    assert view.case_owner == "Regisseur"
    colleague = _colleague(session, chain)
    options = plans.load_plan(session, chain["regisseur"], person.id, TODAY).case_owner_options
    assert [str(colleague.id), "Rutger Kok"] in options and ["" , ""] not in options
    assert case_owner.hand_over(session, chain["regisseur"], person.id, str(colleague.id), TODAY) == "Rutger Kok"
    view = plans.load_plan(session, chain["regisseur"], person.id, TODAY)
    assert view.case_owner == "Rutger Kok"
    assert any(h["what"] == "casusregisseur: Regisseur → Rutger Kok" for h in view.history)
    # Partners see who directs, on the plan and the file.
    assert plans.load_plan(session, chain["taalschool"], person.id, TODAY).case_owner == "Rutger Kok"


def test_the_regie_goes_only_to_an_active_regisseur_of_the_persons_municipality(session, chain, make_form):
    person = _plan_with(session, chain, make_form, {"werk": (4, "L3")})
    for user in (_colleague(session, chain, role="financien"), _colleague(session, chain, active=False),
                 _colleague(session, chain, org="gemeente_other")):
        with pytest.raises(FormErrors) as refused:
            case_owner.hand_over(session, chain["regisseur"], person.id, str(user.id), TODAY)
        assert refused.value.errors["case_owner"] == "Kies een actieve regisseur van de gemeente Hilversum."
    with pytest.raises(FormErrors):
        case_owner.hand_over(session, chain["regisseur"], person.id, "1 OR 1=1", TODAY)
    with pytest.raises(AccessDenied):
        case_owner.hand_over(session, chain["vwn"], person.id, str(_colleague(session, chain).id), TODAY)


def test_open_actions_without_a_named_worker_are_a_warning_on_the_plan(session, chain, make_form):
    person = _plan_with(session, chain, make_form, {"werk": (4, "L3"), "inburgering": (2, "L1")})
    plans.generate_draft(session, chain["regisseur"], person.id, TODAY)
    view = plans.load_plan(session, chain["regisseur"], person.id, TODAY)
    count = sum(1 for a in view.actions if a["status"] != "klaar")
    assert f"{count} open actie(s) hebben nog geen medewerker" in " ".join(view.warnings)
