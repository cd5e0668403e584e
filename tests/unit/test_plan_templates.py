"""Plan templates: every domain and level expands into visibly different plans; bad files are named."""

from datetime import date, timedelta

import pytest

from statushouders import plan_templates as t
from statushouders.milestones import check_due, due_from, milestone_dates

ALL = t.Facts(has_children=True, has_family_abroad=True, not_moved=True, integration_duty=True)


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


def test_whole_plan_l1_has_more_actions_than_l3_and_l3_has_checkpoints():
    every = {d: "L1" for d in t.DOMAINS}
    l1 = t.expand(every, ALL)
    l3 = t.expand({d: "L3" for d in t.DOMAINS}, ALL)
    assert len(l1) > len(l3) + 5
    assert sum(a.kind == "controle" for a in l3) >= 5
    assert not any(a.kind == "controle" for a in l1)


def test_only_recorded_domains_are_expanded():
    actions = t.expand({"financien": "L1", "werk": "L3"}, ALL)
    assert {a.domain for a in actions} == {"financien", "werk"}


def test_conditions_leave_out_what_does_not_apply():
    without = t.Facts(has_children=False, has_family_abroad=False, not_moved=False, integration_duty=False)
    assert t.expand({"gezin": "L1"}, without) == []
    assert all(a.when != "has_family_abroad" for a in t.expand({"verblijf": "L1"}, without))
    assert t.expand({"inburgering": "L1"}, without) == []  # temporary protection: no integration actions
    assert any(a.when == "not_moved" for a in t.expand({"wonen": "L1"}, ALL))


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
