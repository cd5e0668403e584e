"""Plan templates: every domain and level expands into visibly different plans; bad files are named."""

from datetime import date, timedelta

import pytest

from statushouders import plan_templates as t
from statushouders.milestones import check_due, due_from, milestone_dates

KIDS = (t.Child("m1", "Mariam", 1), t.Child("m2", "Farid", 3), t.Child("m3", "Nadia", 8), t.Child("m4", "Javid", 15))
ALL = t.Facts(children=KIDS, has_family_abroad=True, not_moved=True, integration_duty=True, literacy="illiterate",
              diplomas="present", occupation="verpleegkundige", health_profession=True, goal="work",
              health_shared=True)


@pytest.mark.parametrize("domain", list(t.DOMAINS))
@pytest.mark.parametrize("level", list(t.LEVELS))
def test_each_domain_and_level_gives_its_own_actions(domain, level):
    actions = t.expand({domain: level}, ALL)
    assert actions, f"{domain} {level} gives no actions"
    assert {a.domain for a in actions} == {domain}
    assert {a.level for a in actions} == {level}
    assert all(a.what and a.owner_kind in t.ORGANISATION_KINDS for a in actions)


@pytest.mark.parametrize("domain", list(t.DOMAINS))
def test_l1_is_accompanied_and_l3_is_information_and_checkpoints(domain):
    l1 = t.expand({domain: "L1"}, ALL)
    l3 = t.expand({domain: "L3"}, ALL)
    assert {a.kind for a in l1} == {"begeleid"}
    assert {a.kind for a in l3} <= {"informatie", "controle"}
    assert "informatie" in {a.kind for a in l3}
    assert len(l1) >= len(l3)


def test_whole_plan_l3_is_at_most_a_third_of_l1_with_one_check_moment():
    every = {d: "L1" for d in t.DOMAINS}
    l1 = t.expand(every, ALL)
    l3 = t.expand({d: "L3" for d in t.DOMAINS}, ALL)
    assert 3 * len(l3) <= len(l1), (len(l3), len(l1))
    assert sum(a.kind == "controle" for a in l3) == 1  # one check moment for the plan, not one per domain
    assert not any(a.kind == "controle" for a in l1)


def test_only_recorded_domains_are_expanded():
    actions = t.expand({"financien": "L1", "werk": "L3"}, ALL)
    assert {a.domain for a in actions} == {"financien", "werk"}


def test_conditions_leave_out_what_does_not_apply():
    without = t.Facts(has_family_abroad=False, not_moved=False, integration_duty=False)
    assert t.expand({"gezin": "L1"}, without) == []
    assert all("has_family_abroad" not in a.requires for a in t.expand({"verblijf": "L1"}, without))
    assert t.expand({"inburgering": "L1"}, without) == []  # temporary protection: no integration actions
    assert any(a.when == "not_moved" for a in t.expand({"wonen": "L1"}, ALL))


def _whats(actions):
    return [(a.what, a.subject) for a in actions]


def test_each_child_gets_its_own_age_fitting_actions():
    gezin = t.expand({"gezin": "L1"}, ALL)
    by_child = {}
    for a in gezin:
        by_child.setdefault(a.child.name, []).append(a.what)
    assert by_child == {
        "Mariam": ["Kinderopvang regelen als voorwaarde voor de lessen"],  # 1: care, too young for VVE
        "Farid": ["Kinderopvang regelen als voorwaarde voor de lessen",
                  "Voorschoolse educatie (VVE) uitleggen en samen aanmelden"],
        "Nadia": ["Samen aanmelden op een basisschool en de eerste schooldag voorbereiden (leerplicht)"],
        "Javid": ["Samen aanmelden bij een internationale schakelklas (ISK) of middelbare school"],
    }
    assert {a.subject for a in gezin} == {"Mariam (1 jaar)", "Farid (3 jaar)", "Nadia (8 jaar)", "Javid (15 jaar)"}
    nadia = next(a for a in gezin if a.child.name == "Nadia")
    assert nadia.reason.startswith("Nadia is 8 jaar (actie voor kinderen van 4 tot en met 11 jaar)")
    assert "L1 intensief" in nadia.reason


def test_no_childcare_during_lessons_for_children_of_9_and_13():
    facts = t.Facts(children=(t.Child("m1", "Sami", 13), t.Child("m2", "Lina", 9)))
    for level in t.LEVELS:
        whats = [a.what for a in t.expand({"gezin": level}, facts)]
        assert not any("opvang regelen" in w.lower() for w in whats), (level, whats)
    l1 = t.expand({"gezin": "L1"}, facts)
    assert _whats(l1) == [
        ("Samen aanmelden op een basisschool en de eerste schooldag voorbereiden (leerplicht)", "Lina (9 jaar)"),
        ("Samen aanmelden bij een internationale schakelklas (ISK) of middelbare school", "Sami (13 jaar)"),
    ]


def test_literacy_puts_alfabetisering_first():
    illiterate = [a.what for a in t.expand({"inburgering": "L1"}, t.Facts(literacy="illiterate"))]
    assert illiterate[1].startswith("Alfabetisering eerst")  # right after the learnability test
    reads = [a.what for a in t.expand({"inburgering": "L1"}, t.Facts(literacy="literate"))]
    assert not any("Alfabetisering" in w for w in reads)


@pytest.mark.parametrize("occupation", ["logistiek medewerker", "civiel ingenieur", "Werk: vrachtwagenchauffeur"])
def test_no_big_registration_outside_health_professions(occupation):
    facts = t.Facts(diplomas="present", occupation=occupation, health_profession=t.is_health_profession(occupation))
    for level in t.LEVELS:
        assert not any("BIG" in a.what for a in t.expand({"werk": level}, facts)), (occupation, level)
    assert any("Diplomawaardering" in a.what for a in t.expand({"werk": "L1"}, facts))


def test_big_registration_for_a_psychologist_and_idw_only_with_diplomas():
    occupation = "12 jaar klinisch psycholoog (Damascus, daarna Beiroet)"
    assert t.is_health_profession(occupation)
    psych = t.Facts(diplomas="present", occupation=occupation, health_profession=True)
    l1 = [a.what for a in t.expand({"werk": "L1"}, psych)]
    assert any(w.startswith("BIG-registratie") for w in l1)
    big = next(a for a in t.expand({"werk": "L1"}, psych) if a.what.startswith("BIG"))
    assert "vorig beroep '12 jaar klinisch psycholoog" in big.reason
    none = [a.what for a in t.expand({"werk": "L1"}, t.Facts(diplomas="none"))]
    assert not any("IDW" in w or "Diplomawaardering" in w for w in none)
    lost = [a.what for a in t.expand({"werk": "L1"}, t.Facts(diplomas="lost", integration_duty=False))]
    assert lost == ["Samen diploma's en werkervaring in kaart brengen (met tolk)",
                    "Indicatie onderwijsniveau aanvragen bij IDW (diploma's kwijtgeraakt)"]


def test_work_route_follows_the_goal_and_health_only_what_was_shared():
    work = [a.what for a in t.expand({"werk": "L1"}, t.Facts(goal="work"))]
    study = [a.what for a in t.expand({"werk": "L1"}, t.Facts(goal="study"))]
    assert any("werkgevers" in w for w in work) and not any("ROC" in w for w in work)
    assert any("ROC" in w for w in study) and not any("werkgevers" in w for w in study)
    assert not any("stress" in a.what for a in t.expand({"gezondheid": "L1"}, t.Facts(health_shared=False)))
    assert any("stress" in a.what for a in t.expand({"gezondheid": "L1"}, t.Facts(health_shared=True)))


@pytest.mark.parametrize(("fragment", "message"), [
    ("requires: [has_pets]", "actions.L1[0].requires: onbekende voorwaarde 'has_pets'"),
    ("requires: [not has_pets]", "actions.L1[0].requires: onbekende voorwaarde 'has_pets'"),
    ("for_each_child: {min_age: 5, max_age: 2}", "actions.L1[0].for_each_child: schrijf als"),
    ("closed_by: koppeling", "actions.L1[0].closed_by: onbekend 'koppeling'"),
])
def test_a_broken_condition_is_refused_naming_the_field(fragment, message):
    broken = GOOD.replace("due: {after: intake, days: 7}}]\n  L2", "due: {after: intake, days: 7}, " + fragment + "}]\n  L2")
    assert broken != GOOD
    with pytest.raises(t.TemplateError) as err:
        t.parse_template("werk.yaml", broken)
    assert message in str(err.value)


def test_facts_file_is_checked():
    assert t.load_facts()["working_hours"] == {"start": "08:00", "end": "18:00"}
    with pytest.raises(t.TemplateError, match="facts.yaml.working_days"):
        t.parse_facts("facts.yaml", (t.PLANS_DIR / "facts.yaml").read_text().replace("[1, 2, 3, 4, 5]", "[0]"))
    assert t.diagnosis_words_in("Heeft PTSS en slaapt slecht") == ["ptss"]
    assert t.diagnosis_words_in("Snel moe; kan niet lang zitten") == []


def test_suggested_level_follows_the_score():
    assert [t.suggested_level(s) for s in range(1, 6)] == ["L1", "L1", "L2", "L3", "L3"]


GOOD = """
domain: werk
label: Werk
actions:
  L1: [{what: A, owner: gemeente, kind: begeleid, due: {after: intake, days: 7}}]
  L2: [{what: B, owner: gemeente, kind: coaching, due: {after: intake, days: 7}}]
  L3: [{what: C, owner: gemeente, kind: informatie, due: {after: intake, days: 7}}]
"""


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (GOOD.replace("owner: gemeente, kind: coaching", "owner: bakker, kind: coaching"),
         "werk.yaml: actions.L2[0].owner: onbekende organisatiesoort 'bakker'"),
        (GOOD.replace("after: intake, days: 7}}]\n  L3", "after: maandag, days: 7}}]\n  L3"),
         "werk.yaml: actions.L2[0].due.after: onbekende mijlpaal 'maandag'"),
        (GOOD.replace("what: C, ", ""), "werk.yaml: actions.L3[0].what: ontbreekt"),
        (GOOD.replace("kind: informatie", "kind: gezellig"), "werk.yaml: actions.L3[0].kind: onbekend soort actie"),
        (GOOD.replace("domain: werk", "domain: hobby"), "werk.yaml.domain: onbekend leefgebied 'hobby'"),
        (GOOD.replace("  L3: [{what: C, owner: gemeente, kind: informatie, due: {after: intake, days: 7}}]\n", ""),
         "werk.yaml: actions.L3: ontbreekt of is leeg"),
        (GOOD.replace("days: 7}}]\n  L2", "days: zeven}}]\n  L2"), "werk.yaml: actions.L1[0].due.days"),
        ("domain: [werk", "werk.yaml: geen geldige YAML"),
    ],
)
def test_a_broken_template_is_refused_naming_file_and_field(broken, message):
    assert t.parse_template("werk.yaml", GOOD)
    with pytest.raises(t.TemplateError) as err:
        t.parse_template("werk.yaml", broken)
    assert message in str(err.value)


def test_the_shipped_templates_and_norms_load(tmp_path):
    assert set(t.load_templates()) == set(t.DOMAINS)
    assert t.load_norms()["route_switch_months"] == 18
    (tmp_path / "werk.yaml").write_text(GOOD)
    with pytest.raises(t.TemplateError, match="geen sjabloon voor leefgebied"):
        t.load_templates(tmp_path)
    with pytest.raises(t.TemplateError, match="norms.yaml.koppeling_to_offer_days: ontbreekt"):
        t.parse_norms("norms.yaml", "permit_to_koppeling_days: 14\n")


NORMS = t.load_norms()
REF = date(2026, 1, 1)


def test_milestones_are_estimated_from_the_norms_when_not_known():
    m = milestone_dates(NORMS, REF, permit=date(2026, 1, 10))
    assert m["koppeling"].day == date(2026, 1, 24) and m["koppeling"].estimated
    assert m["move"].day == date(2026, 1, 24) + timedelta(days=84)  # offer 10 weeks + move 2 weeks
    assert m["brp"].day == m["move"].day
    assert m["pip"].day == m["brp"].day + timedelta(days=70)
    assert m["intake"].estimated


def test_real_dates_win_and_estimates_never_lie_in_the_past():
    m = milestone_dates(NORMS, date(2026, 11, 22), permit=date(2026, 2, 2), koppeling=date(2026, 2, 13))
    assert not m["koppeling"].estimated and m["koppeling"].day == date(2026, 2, 13)
    assert m["move"].day == date(2026, 11, 22) and m["move"].estimated
    m = milestone_dates(NORMS, REF, permit=date(2025, 1, 1), koppeling=date(2025, 1, 10), move=date(2025, 5, 1),
                        brp=date(2025, 5, 2), intake=date(2025, 5, 20), pip=date(2025, 7, 1))
    assert all(not x.estimated for x in m.values())
    assert m["pip"].day == date(2025, 7, 1)


def test_no_permit_means_no_dates():
    assert milestone_dates(NORMS, REF) == {}
    assert due_from({}, "move", 7, REF, 14) == (None, None)


def test_due_date_from_milestone_and_catch_up_when_the_norm_passed():
    m = milestone_dates(NORMS, REF, permit=date(2026, 3, 1), koppeling=date(2026, 3, 10), move=date(2026, 6, 1),
                        brp=date(2026, 6, 1))
    assert due_from(m, "brp", 7, REF, 14) == (date(2026, 6, 8), None)
    assert due_from(m, "pip", 0, REF, 14) == (date(2026, 8, 10), None)
    late = date(2026, 9, 1)
    assert due_from(m, "brp", 7, late, 14) == (late + timedelta(days=14), date(2026, 6, 8))


def test_a_due_date_before_its_milestone_is_refused_with_the_milestone_named():
    m = milestone_dates(NORMS, REF, permit=date(2026, 3, 1), koppeling=date(2026, 3, 10), move=date(2026, 6, 1))
    problem = check_due(m, "move", date(2026, 5, 20))
    assert "2026-05-20" in problem and "verhuizing 2026-06-01" in problem
    assert check_due(m, "move", date(2026, 6, 1)) is None
    assert check_due(m, "", date(2020, 1, 1)) is None
