"""Chain KPIs on small hand-built data sets with known answers, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from statushouders import kpis, policy
from statushouders.models import Consent, LetterRecord, PartnerLink, Person
from statushouders.models.budget import Budget, OntzorgenArrangement, OntzorgenCategory, Payment, PaymentRun
from statushouders.models.dashboard import PersonMilestone
from statushouders.models.plans import DomainAssessment, Pip, Plan, PlanAction, PlanParticipant

TODAY = date(2026, 11, 22)  # period by default 2026-09 .. 2026-11
NOW = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)
_counter = iter(range(1, 10_000))


def person(session, chain, **kw) -> Person:
    n = next(_counter)
    values = dict(given_names=f"P{n}", family_name="Test", birth_date=date(1990, 1, 1), country_of_origin="SY",
                  v_number=f"{5000000000 + n}", residence_status="asylum", municipality="Hilversum",
                  letter_language="ar", literacy="literate", preferred_channel="phone", created_at=NOW,
                  created_by=chain["regisseur"].user_id)
    values.update(kw)
    p = Person(**values)
    session.add(p)
    session.flush()
    return p


def plan(session, chain, p: Person, **kw) -> Plan:
    values = dict(person_id=p.id, status="actief", created_at=NOW, created_by=chain["regisseur"].user_id)
    values.update(kw)
    pl = Plan(**values)
    session.add(pl)
    session.flush()
    return pl


def dashboard(session, actor=None, **filters) -> dict[str, kpis.KpiResult]:
    scope = kpis.scope_for(actor, TODAY, kpis.Filters(**filters))
    return {r.key: r for r in kpis.dashboard(session, scope)}


def scope(actor=None, **filters):
    return kpis.scope_for(actor, TODAY, kpis.Filters(**filters))


# --- no data ---------------------------------------------------------------------------------

def test_no_data_gives_no_values_and_grey_lights(session, chain):
    result = dashboard(session)
    for key in kpis.THROUGHPUT:
        assert result[key].value is None and result[key].n == 0 and result[key].light == "nodata"
        assert len(result[key].trend) == 12
    assert result["overdue_actions"].value is None
    assert result["caseload"].value is None
    assert result["letters_own_language"].value is None
    assert result["active_plan"].value is None
    assert result["fixed_costs_on_time"].value is None
    assert result["leefgeld_below_minimum"].value is None
    assert result["hand_backs"].value == 0


# --- throughput times ------------------------------------------------------------------------

def test_permit_to_koppeling_median_and_share_within_norm(session, chain):
    for days in (10, 20, 30, 40):
        person(session, chain, permit_date=date(2026, 10, 1), koppeling_date=date(2026, 10, 1) + timedelta(days=days))
    person(session, chain, permit_date=date(2026, 10, 1))  # no koppeling yet: not counted
    person(session, chain, permit_date=date(2025, 1, 1), koppeling_date=date(2025, 1, 5))  # long before the period
    r = dashboard(session)["permit_koppeling"]
    assert r.n == 4
    assert r.value == 25.0  # median of 10, 20, 30, 40
    assert r.share_within_norm == 0.25  # only 10 <= 14 days
    assert r.light == "red"
    october = next(t for t in r.trend if t["month"] == "2026-10")
    november = next(t for t in r.trend if t["month"] == "2026-11")
    assert (october["n"], october["value"]) == (3, 20.0)  # 10, 20 and 30 days end in October
    assert (november["n"], november["value"], november["share"]) == (1, 40.0, 0.0)


def test_an_end_before_the_start_is_never_within_the_norm(session, chain):
    """Koppeling registered two days before the permit: a data error, not a fast koppeling."""
    person(session, chain, permit_date=date(2026, 10, 12), koppeling_date=date(2026, 10, 10))
    r = dashboard(session)["permit_koppeling"]
    assert (r.n, r.value, r.share_within_norm, r.light) == (1, -2.0, 0.0, "red")
    assert "person_milestones" not in dashboard(session)["koppeling_offer"].what


def test_odd_count_median_is_the_middle_value(session, chain):
    for days in (3, 5, 60):
        person(session, chain, permit_date=date(2026, 9, 1), koppeling_date=date(2026, 9, 1) + timedelta(days=days))
    r = dashboard(session)["permit_koppeling"]
    assert (r.n, r.value) == (3, 5.0)
    assert r.share_within_norm == pytest.approx(2 / 3)
    assert r.light == "orange"


def test_housing_offer_move_and_first_lesson_use_person_milestones(session, chain):
    p = person(session, chain, koppeling_date=date(2026, 7, 1), move_date=date(2026, 10, 10))
    session.add(PersonMilestone(person_id=p.id, housing_offer_date=date(2026, 9, 29),
                                first_lesson_date=date(2026, 11, 1)))
    q = person(session, chain, koppeling_date=date(2026, 8, 1))  # no offer yet
    session.add(PersonMilestone(person_id=q.id))
    r = dashboard(session)
    assert (r["koppeling_offer"].n, r["koppeling_offer"].value) == (1, 90.0)
    assert r["koppeling_offer"].share_within_norm == 0.0
    assert (r["offer_move"].n, r["offer_move"].value, r["offer_move"].share_within_norm) == (1, 11.0, 1.0)
    assert (r["move_first_lesson"].n, r["move_first_lesson"].value) == (1, 22.0)


def test_brp_to_pip_counts_only_the_first_pip_version(session, chain):
    p = person(session, chain, move_date=date(2026, 7, 1))
    plan(session, chain, p, brp_date=date(2026, 7, 1))
    for version, decided in ((1, date(2026, 9, 30)), (2, date(2026, 11, 1))):
        session.add(Pip(person_id=p.id, version=version, current=version == 2, decided_on=decided,
                        term_start=date(2026, 9, 30), route="b1", duration_months=36, change_kind="eerste",
                        created_at=NOW, created_by=chain["regisseur"].user_id))
    session.flush()
    r = dashboard(session)["brp_pip"]
    assert (r.n, r.value, r.share_within_norm) == (1, 91.0, 0.0)


def _approved_run(session, chain, month: date, approved: datetime) -> PaymentRun:
    run = PaymentRun(municipality="Hilversum", month=month, status="approved", schema="pain.001.001.09",
                     prepared_by=chain["financien"].user_id, prepared_at=approved, approved_at=approved,
                     approved_by=chain["financien"].user_id, problems=[])
    session.add(run)
    session.flush()
    return run


def _pay(session, run, p, kind, month, due, cents=10000):
    session.add(Payment(run_id=run.id, person_id=p.id, kind=kind, category="rent" if kind == "fixed_cost" else kind,
                        month=month, amount_cents=cents, creditor_name="X", creditor_iban="NL91ABNA0417164300",
                        reference="", due_date=due, end_to_end_id=f"E{run.id}-{p.id}-{kind}-{due}-{cents}"))


def test_intake_to_first_direct_payment(session, chain):
    p = person(session, chain, move_date=date(2026, 9, 1))
    plan(session, chain, p, intake_at=datetime(2026, 9, 10, 10, tzinfo=timezone.utc))
    run = _approved_run(session, chain, date(2026, 10, 1), datetime(2026, 9, 25, 12, tzinfo=timezone.utc))
    _pay(session, run, p, "fixed_cost", date(2026, 10, 1), date(2026, 10, 1))
    run2 = _approved_run(session, chain, date(2026, 11, 1), datetime(2026, 10, 25, 12, tzinfo=timezone.utc))
    _pay(session, run2, p, "fixed_cost", date(2026, 11, 1), date(2026, 11, 1))  # not the first: ignored
    session.flush()
    r = dashboard(session)["intake_first_payment"]
    assert (r.n, r.value, r.share_within_norm) == (1, 21.0, 1.0)


# --- actions and caseload --------------------------------------------------------------------

def _action(session, pl, owner, worker=None, status="open", due=TODAY):
    session.add(PlanAction(plan_id=pl.id, domain="wonen", what="x", kind="coaching", owner_id=owner, worker_id=worker,
                           due_date=due, status=status, visible_to=[], version=1, updated_at=NOW))


def test_open_and_overdue_actions_per_organisation_and_caseload_per_worker(session, chain):
    gem, vwn = chain["orgs"]["gemeente"].id, chain["orgs"]["vwn"].id
    regisseur = chain["regisseur"].user_id
    a = plan(session, chain, person(session, chain))
    b = plan(session, chain, person(session, chain))
    _action(session, a, gem, regisseur, due=TODAY - timedelta(days=3))  # overdue
    _action(session, a, gem, regisseur, due=TODAY + timedelta(days=3))
    _action(session, b, gem, regisseur, status="bezig", due=TODAY + timedelta(days=9))
    _action(session, b, gem, regisseur, status="klaar", due=TODAY - timedelta(days=30))  # done: not counted
    _action(session, b, vwn, None, status="geblokkeerd", due=TODAY - timedelta(days=1))  # overdue, unassigned
    session.flush()
    actions, caseload = dashboard(session)["overdue_actions"], dashboard(session)["caseload"]
    assert actions.n == 4 and actions.value == 0.5
    assert actions.light == "red"
    by_org = {r["organisation"]: (r["open"], r["overdue"]) for r in actions.rows}
    assert by_org == {"Gemeente Hilversum": (3, 1), "VluchtelingenWerk": (1, 1)}
    assert caseload.value == 2  # the regisseur has open actions for two persons
    assert caseload.light == "orange"  # light, but VWN's blocked action is on nobody's name
    assert caseload.what.endswith("1 open actie staat op naam van niemand.")
    # The trend is the backlog by due month: both overdue actions were due in November.
    assert next(t for t in actions.trend if t["month"] == "2026-11")["value"] == 2


def test_a_partner_counts_only_its_own_actions_of_persons_it_may_see(session, chain):
    gem, vwn = chain["orgs"]["gemeente"].id, chain["orgs"]["vwn"].id
    seen = person(session, chain)
    unseen = person(session, chain)
    session.add(Consent(person_id=seen.id, organisation_id=vwn, purpose="maatschappelijke_begeleiding",
                        text_version="v1", language="ar", given_on=TODAY, recorded_by=chain["regisseur"].user_id))
    for p in (seen, unseen):
        pl = plan(session, chain, p)
        _action(session, pl, vwn, chain["vwn"].user_id, due=TODAY - timedelta(days=1))
        _action(session, pl, gem, chain["regisseur"].user_id, due=TODAY - timedelta(days=1))
    session.flush()
    partner = dashboard(session, chain["vwn"])
    assert partner["overdue_actions"].n == 1  # own action of the consenting person only
    assert [r["organisation"] for r in partner["overdue_actions"].rows] == ["VluchtelingenWerk"]
    assert "ontzorgen_persons" not in partner  # no finances for VluchtelingenWerk
    assert dashboard(session, chain["regisseur"])["overdue_actions"].n == 4  # the whole chain of Hilversum
    cases = kpis.drill(session, scope(chain["vwn"]), "overdue_actions")
    assert [c["id"] for c in cases] == [seen.id]
    assert cases[0]["href"] == f"/dossier?id={seen.id}"


def test_another_municipality_counts_nothing_of_hilversum(session, chain):
    person(session, chain, permit_date=date(2026, 10, 1), koppeling_date=date(2026, 10, 5))
    person(session, chain, permit_date=date(2026, 10, 1), koppeling_date=date(2026, 10, 9), municipality="Utrecht")
    assert dashboard(session, chain["regisseur"])["permit_koppeling"].n == 1
    assert dashboard(session, chain["utrecht"])["permit_koppeling"].n == 1
    assert dashboard(session)["permit_koppeling"].n == 2
    assert [c["municipality"] for c in kpis.drill(session, scope(chain["utrecht"]), "permit_koppeling")] == []


def test_taalschool_counts_only_linked_persons(session, chain):
    school = chain["orgs"]["taalschool"].id
    linked = person(session, chain, move_date=date(2026, 9, 1))
    other = person(session, chain, move_date=date(2026, 9, 1))
    session.add(PartnerLink(person_id=linked.id, organisation_id=school, since=TODAY))
    for p in (linked, other):
        session.add(PersonMilestone(person_id=p.id, first_lesson_date=date(2026, 11, 2)))
    session.flush()
    r = dashboard(session, chain["taalschool"])
    assert r["move_first_lesson"].n == 1
    # 62 days > 42: the linked person is behind the light; the other person is never listed.
    assert [c["id"] for c in kpis.drill(session, scope(chain["taalschool"]), "move_first_lesson")] == [linked.id]


# --- letters and plans -----------------------------------------------------------------------

def _letter(session, p, language, gaps, day=date(2026, 10, 5)):
    n = next(_counter)
    session.add(LetterRecord(person_id=p.id, letter_type="plan_summary", language=language, reference=f"R{n}",
                             sha256="0" * 64, size=1, pdf=b"%", template_version="t", catalog_version="c", gaps=gaps,
                             produced_at=datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc),
                             produced_by_name="x", organisation="Gemeente Hilversum"))


def test_letters_fully_in_own_language(session, chain):
    dari = person(session, chain, letter_language="prs")  # alias of fa_AF
    arab = person(session, chain, letter_language="ar")
    _letter(session, dari, "fa_AF", [])  # fully own
    _letter(session, arab, "ar", [])  # fully own
    _letter(session, arab, "ar", ["Bezwaar"])  # gap
    _letter(session, arab, "nl", [])  # wrong language
    _letter(session, arab, "ar", [], day=date(2025, 1, 1))  # outside the period and trend
    session.flush()
    r = dashboard(session)["letters_own_language"]
    assert (r.n, r.value) == (4, 0.5)
    assert r.light == "red"
    cases = kpis.drill(session, scope(chain["regisseur"]), "letters_own_language")
    assert [(c["id"], c["detail"]) for c in cases] == [(arab.id, "2 brieven niet volledig in eigen taal")]


def test_share_of_moved_persons_with_an_agreed_plan(session, chain):
    agreed = person(session, chain, move_date=date(2026, 5, 1))
    plan(session, chain, agreed, agreed_at=datetime(2026, 10, 20, 12, tzinfo=timezone.utc))
    pending = person(session, chain, move_date=date(2026, 6, 1))
    plan(session, chain, pending, status="concept")
    person(session, chain, move_date=date(2026, 8, 1))  # moved, no plan at all
    person(session, chain)  # not moved: not counted
    r = dashboard(session)["active_plan"]
    assert (r.n, r.value) == (3, pytest.approx(1 / 3))
    sept = next(t for t in r.trend if t["month"] == "2026-09")
    assert (sept["n"], sept["value"]) == (3, 0.0)  # agreed only in October
    cases = kpis.drill(session, scope(chain["regisseur"]), "active_plan")
    assert {c["id"] for c in cases} == {pending.id, pending.id + 1}


# --- ontzorgen -------------------------------------------------------------------------------

def test_ontzorgen_kpis(session, chain):
    a = person(session, chain, move_date=date(2026, 8, 1))
    b = person(session, chain, move_date=date(2026, 8, 1))
    on_time = _approved_run(session, chain, date(2026, 11, 1), datetime(2026, 10, 28, 12, tzinfo=timezone.utc))
    late = _approved_run(session, chain, date(2026, 10, 1), datetime(2026, 10, 3, 12, tzinfo=timezone.utc))
    for p in (a, b):
        _pay(session, on_time, p, "fixed_cost", date(2026, 11, 1), date(2026, 11, 1))
        _pay(session, late, p, "fixed_cost", date(2026, 10, 1), date(2026, 10, 1))
    _pay(session, on_time, a, "leefgeld", date(2026, 11, 1), date(2026, 11, 1), cents=12000)  # below 250.00
    _pay(session, on_time, b, "leefgeld", date(2026, 11, 1), date(2026, 11, 1), cents=45000)
    budget = Budget(person_id=a.id, benefit_start=date(2026, 8, 1), updated_by=chain["financien"].user_id, updated_at=NOW)
    session.add(budget)
    session.flush()
    arrangement = OntzorgenArrangement(budget_id=budget.id, start_month=date(2026, 8, 1), months=6,
                                       updated_by=chain["financien"].user_id, updated_at=NOW)
    session.add(arrangement)
    session.flush()
    session.add(OntzorgenCategory(arrangement_id=arrangement.id, category="energy", mode="direct",
                                  hand_back_month=date(2026, 10, 1)))
    session.add(OntzorgenCategory(arrangement_id=arrangement.id, category="rent", mode="direct",
                                  hand_back_month=date(2027, 2, 1)))  # not yet
    session.flush()
    r = dashboard(session, chain["financien"])
    assert r["ontzorgen_persons"].value == 2
    assert (r["fixed_costs_on_time"].n, r["fixed_costs_on_time"].value) == (4, 0.5)
    assert r["hand_backs"].value == 1
    assert (r["leefgeld_below_minimum"].n, r["leefgeld_below_minimum"].value) == (2, 0.5)
    assert r["leefgeld_below_minimum"].light == "red"
    cases = kpis.drill(session, scope(chain["financien"]), "leefgeld_below_minimum")
    assert [c["id"] for c in cases] == [a.id]
    late_cases = kpis.drill(session, scope(chain["financien"]), "fixed_costs_on_time")
    assert {c["id"] for c in late_cases} == {a.id, b.id}


def test_coordinator_sees_ontzorgen_figures_but_not_the_cases(session, chain):
    r = dashboard(session, chain["coordinator"])
    assert "leefgeld_below_minimum" in r and not r["leefgeld_below_minimum"].drill
    with pytest.raises(policy.AccessDenied):
        kpis.drill(session, scope(chain["coordinator"]), "leefgeld_below_minimum")
    with pytest.raises(policy.AccessDenied):
        kpis.drill(session, scope(chain["vwn"]), "fixed_costs_on_time")


# --- filters ---------------------------------------------------------------------------------

def test_filters_country_level_and_partner_organisation(session, chain):
    vwn = chain["orgs"]["vwn"].id
    sy = person(session, chain, permit_date=date(2026, 10, 1), koppeling_date=date(2026, 10, 5))
    er = person(session, chain, permit_date=date(2026, 10, 1), koppeling_date=date(2026, 10, 25), country_of_origin="ER")
    pl = plan(session, chain, er)
    session.add(DomainAssessment(plan_id=pl.id, domain="wonen", score=2, level="L1"))
    session.add(DomainAssessment(plan_id=pl.id, domain="werk", score=4, level="L3"))
    session.add(PlanParticipant(plan_id=pl.id, organisation_id=vwn))
    pl2 = plan(session, chain, sy)
    session.add(DomainAssessment(plan_id=pl2.id, domain="werk", score=4, level="L3"))
    session.flush()
    assert dashboard(session, country="ER")["permit_koppeling"].value == 24.0
    assert dashboard(session, level="L1")["permit_koppeling"].n == 1  # er: most intensive level L1
    assert dashboard(session, level="L3")["permit_koppeling"].value == 4.0  # sy only
    assert dashboard(session, organisation_id=vwn)["permit_koppeling"].value == 24.0
    assert dashboard(session, municipality="Utrecht")["permit_koppeling"].n == 0
    # A period of one month, and the trend ends with it.
    r = dashboard(session, period_from="2026-10", period_to="2026-10")["permit_koppeling"]
    assert r.n == 2 and r.trend[-1]["month"] == "2026-10"


# --- traffic lights --------------------------------------------------------------------------

def test_light_thresholds_both_directions():
    higher = {"direction": "higher_is_better", "green": 0.8, "orange": 0.6}
    lower = {"direction": "lower_is_better", "green": 0.1, "orange": 0.25}
    assert [kpis.light(v, higher) for v in (0.8, 0.79, 0.6, 0.59)] == ["green", "orange", "orange", "red"]
    assert [kpis.light(v, lower) for v in (0.1, 0.11, 0.25, 0.26)] == ["green", "orange", "orange", "red"]
    assert kpis.light(None, higher) == "nodata"
    assert kpis.light(5, {"direction": "none"}) == "none"


def test_thresholds_come_from_the_config_file(tmp_path):
    path = tmp_path / "kpis.yaml"
    path.write_text("norms: {move_to_first_lesson_days: 7}\nlights:\n"
                    "  caseload: {direction: lower_is_better, green: 5, orange: 6}\n")
    cfg = kpis.config(path)
    assert cfg["norms"]["move_to_first_lesson_days"] == 7
    assert cfg["norms"]["permit_to_koppeling_days"] == 14  # from plans/norms.yaml
    assert kpis.light(7, cfg["lights"]["caseload"]) == "red"


def test_csv_export_has_one_row_per_kpi(session, chain):
    sc = scope(chain["regisseur"])
    results = kpis.dashboard(session, sc)
    lines = kpis.to_csv(results, sc).strip().splitlines()
    assert lines[0].startswith("KPI;Wat wordt geteld;Norm")
    assert len(lines) == 1 + len(results)
    assert "2026-09 t/m 2026-11" in lines[1]
