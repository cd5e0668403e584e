"""Chain KPIs: every definition in one place, computed with SQL aggregates.

Each ``kpi_*`` function's docstring says exactly what is counted. All of them count only
the persons the viewer may open (``policy.person_ids`` / ``policy.person_filter`` as SQL) and the
dashboard filters (municipality, partner organisation, guidance level, country of origin); a
partner's action KPIs count only its own organisation's actions. Nothing loads rows into Python:
the database returns grouped counts (at most one row per month and value), medians are taken in
SQL with window functions over those grouped counts (works on SQLite >= 3.25 and PostgreSQL).

The KPIs are read from a rollup (``statushouders/rollup.py``): next to each KPI, a ``_*_facts``
SELECT says what that KPI counts *per person* (per month, organisation, worker); the dashboard sums
those facts over the persons in scope. ``dashboard`` refreshes the rollup first, so it is never
older than the data. Drill-downs read the source tables directly.

Months are ``YYYY-MM`` strings. The *period* is a range of whole months (default: the last
three months up to the current one); the *trend* is the 12 months ending with the period.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml
from sqlalchemy import (
    Date, Integer, Select, String, and_, case, cast, exists, extract, false, func, literal, literal_column, null, or_,
    select, text, union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from . import languages, policy, rollup
from .budget.config import MINIMUM_LEEFGELD
from .catalogs import staff_text as _
from .config import ROOT
from .models import LetterRecord, Organisation, Person, User
from .models.budget import Budget, OntzorgenArrangement, OntzorgenCategory, Payment, PaymentRun
from .models.dashboard import DashboardFact, DashboardTotal, PersonMilestone
from .models.plans import DomainAssessment, Pip, Plan, PlanAction, PlanParticipant
from .plan_templates import load_norms
from .policy import Actor

CONFIG_FILE = Path(os.environ.get("STATUSHOUDERS_KPI_CONFIG", ROOT / "config" / "kpis.yaml"))
OPEN_STATUSES = ("open", "bezig", "geblokkeerd")
TREND_MONTHS = 12
DRILL_LIMIT = 200

LIGHT_LABELS = {"green": "Groen: op norm", "orange": "Oranje: let op", "red": "Rood: onder norm",
                "none": "Geen oordeel", "nodata": "Geen gegevens"}


# --- portable SQL pieces -------------------------------------------------------------------

class days_between(FunctionElement):
    """Whole days from the first date to the second (both DATE)."""

    type = Integer()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"CAST(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}) AS INTEGER)"


@compiles(days_between)
def _days_default(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(start, **kw)})"


class month_of(FunctionElement):
    """``YYYY-MM`` of a date or timestamp."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return f"substr({compiler.process(list(element.clauses)[0], **kw)}, 1, 7)"


@compiles(month_of)
def _month_default(element, compiler, **kw):
    return f"to_char({compiler.process(list(element.clauses)[0], **kw)}, 'YYYY-MM')"


class as_date(FunctionElement):
    """The calendar day of a timestamp."""

    type = Date()
    inherit_cache = True


@compiles(as_date, "sqlite")
def _as_date_sqlite(element, compiler, **kw):
    return f"date({compiler.process(list(element.clauses)[0], **kw)})"


@compiles(as_date)
def _as_date_default(element, compiler, **kw):
    return f"CAST({compiler.process(list(element.clauses)[0], **kw)} AS DATE)"


# --- configuration -------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _load_config(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def config(path: Path | None = None) -> dict:
    """Norms (days) and light thresholds: plans/norms.yaml plus config/kpis.yaml."""
    raw = _load_config(str(path or CONFIG_FILE))
    norms = dict(load_norms())
    norms.update(raw.get("norms", {}))
    return {"norms": norms, "lights": raw.get("lights", {})}


def light(value: float | None, rule: dict | None) -> str:
    """Traffic light for a value: green / orange / red by the configured thresholds."""
    if value is None:
        return "nodata"
    if not rule or rule.get("direction", "none") == "none":
        return "none"
    green, orange = float(rule["green"]), float(rule["orange"])
    if rule["direction"] == "higher_is_better":
        return "green" if value >= green else "orange" if value >= orange else "red"
    return "green" if value <= green else "orange" if value <= orange else "red"


# --- months, filters, scope ----------------------------------------------------------------

def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:7])
    total = y * 12 + (m - 1) + n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


@dataclass(frozen=True)
class Filters:
    """Dashboard filters. Empty means: no restriction. Months are ``YYYY-MM``."""

    municipality: str = ""
    organisation_id: int | None = None
    period_from: str = ""
    period_to: str = ""
    level: str = ""  # L1, L2, L3: the most intensive guidance level of the person's plan
    country: str = ""  # ISO 3166 alpha-2

    def resolved(self, today: date) -> Filters:
        to = self.period_to or month_key(today)
        frm = self.period_from or add_months(to, -2)
        if frm > to:
            frm, to = to, frm
        return replace(self, period_from=frm, period_to=to)

    @property
    def trend_months(self) -> list[str]:
        return [add_months(self.period_to, -i) for i in range(TREND_MONTHS - 1, -1, -1)]


@dataclass(frozen=True)
class Scope:
    """What a viewer counts: SQL conditions on ``Person``, own organisation for action KPIs, field groups."""

    conditions: tuple[ColumnElement[bool], ...]
    own_organisation: int | None  # partners: only their own actions and workers
    groups: frozenset[str]
    whole_chain: bool  # gemeente roles (and the unrestricted bench scope) see every aggregate
    today: date
    filters: Filters
    persons: Select | None = None  # the same persons as ``conditions``, as a SELECT of ids (None: all)
    totals: ColumnElement[bool] | None = None  # without filters: the audience's rows in dashboard_totals


def _filter_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if filters.municipality:
        out.append(Person.municipality == filters.municipality)
    if filters.country:
        out.append(Person.country_of_origin == filters.country.upper())
    if filters.organisation_id:
        out.append(exists(select(PlanParticipant.id).join(Plan, Plan.id == PlanParticipant.plan_id).where(
            Plan.person_id == Person.id, PlanParticipant.organisation_id == filters.organisation_id)))
    if filters.level in ("L1", "L2", "L3"):
        def has(levels):
            return exists(select(DomainAssessment.id).join(Plan, Plan.id == DomainAssessment.plan_id).where(
                Plan.person_id == Person.id, DomainAssessment.level.in_(levels)))
        more_intensive = [lv for lv in ("L1", "L2") if lv < filters.level]
        cond = has([filters.level])
        if more_intensive:
            cond = and_(cond, ~has(more_intensive))
        out.append(cond)
    return out


def scope_for(actor: Actor | None, today: date, filters: Filters) -> Scope:
    """The viewer's scope. ``actor=None`` is the unrestricted national scope (bench, operators' CLI)."""
    filters = filters.resolved(today)
    conditions = _filter_conditions(filters)
    if actor is None:
        persons = select(Person.id).where(*conditions) if conditions else None
        # every person is in exactly one municipality: all "m:..." audiences (an index range, unlike LIKE)
        totals = None if conditions else and_(Total.audience >= "m:", Total.audience < "m;")
        return Scope(tuple(conditions), None, frozenset(policy.FIELD_GROUPS), True, today, filters, persons, totals)
    access = policy.person_ids(actor, today)
    persons = select(Person.id).where(Person.id.in_(access), *conditions) if conditions else access
    audience = policy.audience(actor)
    totals = None if conditions else (Total.audience == audience if audience else false())
    conditions.insert(0, policy.person_filter(actor, today))
    whole_chain = actor.kind == "gemeente"
    return Scope(tuple(conditions), None if whole_chain else actor.organisation_id,
                 policy.role_groups(actor.kind, actor.role), whole_chain, today, filters, persons, totals)


def _window_months(scope: Scope) -> tuple[str, str]:
    """The earliest month needed (period or trend) and the period's last month."""
    f = scope.filters
    return min(f.period_from, f.trend_months[0]), f.period_to


# --- facts: the rollup rows, what a KPI counts per person ----------------------------------

Fact = DashboardFact
Total = DashboardTotal
ZERO = literal_column("0", Integer)


def _fact(person, kind: str, month=None, org=ZERO, worker=ZERO, days=ZERO, n=None, k=ZERO, cents=None) -> Select:
    """A SELECT of rollup rows (``rollup.FACT_COLUMNS``); ``n`` is 1 per row unless given."""
    values = (person, literal_column(f"'{kind}'", String), literal_column("''", String) if month is None else month,
              org, worker, days, literal_column("1", Integer) if n is None else n, k,
              cast(null(), Integer) if cents is None else cents)
    return select(*(v.label(c) for v, c in zip(values, rollup.FACT_COLUMNS)))


def _only(q: Select, person, persons: list[int] | None) -> Select:
    return q if persons is None else q.where(person.in_(persons))


def _sums(f) -> tuple:
    """Per fact (columns ``f``), what ``dashboard_totals`` sums: n, k, persons, leefgeld, below."""
    minimum = int(MINIMUM_LEEFGELD * 100)
    return (f.n, f.k, case((f.n > 0, 1), else_=0), case((f.cents.is_not(None), 1), else_=0),
            case((f.cents < minimum, 1), else_=0))


def _source(scope: Scope, *kinds: str):
    """The summed facts of these kinds that the scope counts, as rows (kind, month, org_id, worker_id,
    days, n, k, persons, leefgeld, below): the audience's totals, or with filters the persons' facts.
    Partners count only their own organisation's actions."""
    if scope.totals is not None:
        t = Total
        q = select(t.kind, t.month, t.org_id, t.worker_id, t.days, t.n, t.k, t.persons, t.leefgeld, t.below).where(
            scope.totals, t.kind.in_(kinds))
    else:
        sums = [v.label(c) for v, c in zip(_sums(Fact), rollup.SUM_COLUMNS)]
        q = select(Fact.kind, Fact.month, Fact.org_id, Fact.worker_id, Fact.days, *sums).where(Fact.kind.in_(kinds))
        if scope.persons is not None:
            q = q.where(Fact.person_id.in_(scope.persons))
    if scope.own_organisation:
        q = q.where(or_(q.selected_columns.kind.not_in(("actions", "backlog")),
                        q.selected_columns.org_id == scope.own_organisation))
    return q.subquery("src")


class Counts(NamedTuple):
    """Summed facts of one kind and month."""

    n: int = 0
    k: int = 0
    persons: int = 0  # facts with n > 0: persons, where a person has one fact per month
    leefgeld: int = 0  # persons with a leefgeld transfer
    below: int = 0  # of those, persons whose lowest transfer was below the minimum


ZERO_COUNTS = Counts()
CUMULATIVE = ("moved", "agreed")  # summed over all months up to the period's end


def _counts(session: Session, scope: Scope, kinds: list[str]) -> dict[str, dict[str, Counts]]:
    """Per kind and month (cumulative kinds: "" before the trend window) the summed facts."""
    first, last = _window_months(scope)
    this_month = month_key(scope.today)
    src = _source(scope, *kinds)
    bucket = case((and_(src.c.kind.in_(CUMULATIVE), src.c.month < scope.filters.trend_months[0]), ""),
                  else_=src.c.month)
    q = (select(src.c.kind, bucket, *(func.sum(src.c[c]) for c in rollup.SUM_COLUMNS))
         .where(src.c.month <= last, or_(src.c.kind.in_(CUMULATIVE), src.c.month >= first),
                # hand-backs only up to today
                or_(src.c.kind != "hand_backs", src.c.month < this_month,
                    and_(src.c.month == this_month, src.c.days <= scope.today.day)))
         .group_by(src.c.kind, bucket))
    out: dict[str, dict[str, Counts]] = {}
    for kind, month, *values in session.execute(q):
        out.setdefault(kind, {})[month] = Counts(*(int(v or 0) for v in values))
    return out


# --- results -------------------------------------------------------------------------------

@dataclass
class KpiResult:
    key: str
    section: str
    label: str
    what: str  # one line: what is counted
    unit: str  # days, share, count
    norm: str
    value: float | None
    share_within_norm: float | None = None
    n: int = 0
    light: str = "nodata"
    trend: list[dict] = field(default_factory=list)  # {"month", "value", "n"}
    rows: list[dict] = field(default_factory=list)  # breakdown (per organisation / worker)
    drill: bool = False  # the viewer may list the cases behind it

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS[self.light]

    def value_text(self) -> str:
        if self.value is None:
            return "geen gegevens"
        if self.unit == "days":
            return f"{self.value:.1f} dagen (mediaan)".replace(".0 ", " ")
        if self.unit == "share":
            return f"{self.value * 100:.0f}%"
        return f"{int(self.value)}"


# --- throughput times ----------------------------------------------------------------------

def _first_payment():
    """Per person the first execution day of a fixed cost in a payment run (index seek per person)."""
    return (
        select(func.min(Payment.due_date))
        .where(Payment.person_id == Person.id, Payment.kind == "fixed_cost")
        .scalar_subquery()
    )


def _throughput_source(key: str):
    """(start column, end column, FROM clause) of a throughput time."""
    persons = Person.__table__
    if key == "permit_koppeling":
        return Person.permit_date, Person.koppeling_date, persons
    if key == "koppeling_offer":
        return (Person.koppeling_date, PersonMilestone.housing_offer_date,
                persons.join(PersonMilestone.__table__, PersonMilestone.person_id == Person.id))
    if key == "offer_move":
        return (PersonMilestone.housing_offer_date, Person.move_date,
                persons.join(PersonMilestone.__table__, PersonMilestone.person_id == Person.id))
    if key == "brp_pip":
        return (Plan.brp_date, Pip.decided_on,
                persons.join(Plan.__table__, Plan.person_id == Person.id)
                .join(Pip.__table__, and_(Pip.person_id == Person.id, Pip.version == 1)))
    if key == "move_first_lesson":
        return (Person.move_date, PersonMilestone.first_lesson_date,
                persons.join(PersonMilestone.__table__, PersonMilestone.person_id == Person.id))
    if key == "intake_first_payment":
        return as_date(Plan.intake_at), _first_payment(), persons.join(Plan.__table__, Plan.person_id == Person.id)
    raise KeyError(key)


THROUGHPUT = {
    # key: (label, norm key, field group, what)
    "permit_koppeling": ("Vergunning → koppeling", "permit_to_koppeling_days", policy.IDENTITY,
                         "Dagen van verblijfsvergunning tot koppeling aan de gemeente, per koppeling in de maand."),
    "koppeling_offer": ("Koppeling → woningaanbod", "koppeling_to_offer_days", policy.IDENTITY,
                        "Dagen van koppeling tot woningaanbod, per aanbod in de maand."),
    "offer_move": ("Woningaanbod → verhuizing", "offer_to_move_days", policy.IDENTITY,
                   "Dagen van woningaanbod tot verhuisdatum, per verhuizing in de maand."),
    "brp_pip": ("BRP-inschrijving → PIP", "brp_to_pip_days", policy.LEARNING,
                "Dagen van BRP-inschrijving (plan) tot het eerste PIP-besluit (versie 1), per besluit in de maand."),
    "move_first_lesson": ("Verhuizing → eerste taalles", "move_to_first_lesson_days", policy.LEARNING,
                          "Dagen van verhuizing tot eerste taalles, per eerste les in de maand."),
    "intake_first_payment": ("Intake → eerste directe betaling", "intake_to_first_payment_days", policy.FINANCES,
                             "Dagen van de brede intake tot de uitvoerdatum van de eerste vaste last in een betaalrun."),
}


def _throughput_facts(key: str, persons: list[int] | None) -> Select:
    """Facts of throughput time ``key``: per person with both dates known, the end month and the days."""
    start, end, source = _throughput_source(key)
    q = (_fact(Person.id, key, month=month_of(end), days=days_between(start, end))
         .select_from(source).where(end.is_not(None), start.is_not(None)))
    return _only(q, Person.id, persons)


def _throughput_query(keys: list[str], scope: Scope, norms: dict[str, int]):
    """Per KPI and month (and 'period'): n, median days and number within the norm — all in SQL."""
    first, last = _window_months(scope)
    f = scope.filters
    src = _source(scope, *keys)
    hist = (
        select(src.c.kind.label("key"), src.c.month.label("m"), src.c.days.label("d"), func.sum(src.c.n).label("c"))
        .where(src.c.month >= first, src.c.month <= last)
        .group_by(src.c.kind, src.c.month, src.c.days)
        .cte("h")
        .prefix_with("MATERIALIZED")  # read once, used twice
    )
    period = (
        select(hist.c.key, literal("period").label("m"), hist.c.d, func.sum(hist.c.c).label("c"))
        .where(hist.c.m >= f.period_from, hist.c.m <= f.period_to)
        .group_by(hist.c.key, hist.c.d)
    )
    buckets = union_all(select(hist.c.key, hist.c.m, hist.c.d, hist.c.c), period).subquery("b")
    part = (buckets.c.key, buckets.c.m)
    ranked = select(
        buckets.c.key, buckets.c.m, buckets.c.d, buckets.c.c,
        func.sum(buckets.c.c).over(partition_by=part, order_by=buckets.c.d, rows=(None, 0)).label("cum"),
        func.sum(buckets.c.c).over(partition_by=part).label("n"),
    ).subquery("r")
    lower = func.min(case((ranked.c.cum * 2 >= ranked.c.n, ranked.c.d)))
    upper = func.min(case((ranked.c.cum * 2 > ranked.c.n, ranked.c.d)))
    norm = case(norms, value=ranked.c.key)
    return select(
        ranked.c.key,
        ranked.c.m,
        func.max(ranked.c.n),
        (lower + upper) / 2.0,
        func.sum(case((and_(ranked.c.d >= 0, ranked.c.d <= norm), ranked.c.c), else_=0)),  # end before start: not on norm
    ).group_by(ranked.c.key, ranked.c.m)


def kpi_throughput(session: Session, scope: Scope, keys: list[str], cfg: dict | None = None) -> list[KpiResult]:
    """Throughput times ``keys`` (see THROUGHPUT): median days and share within the norm.

    Counted: persons in scope whose *end* milestone falls in the period (trend: in each month),
    with both dates known. Persons without the end milestone yet are not counted (they show in
    the drill-down as waiting when they already exceed the norm). A negative span (the end before the
    start, e.g. paid before the intake) counts in the median as is but never as within the norm.
    """
    cfg = cfg or config()
    norms = {key: int(cfg["norms"][THROUGHPUT[key][1]]) for key in keys}
    rows = {(key, m): (int(n or 0), float(med) if med is not None else None, int(w or 0))
            for key, m, n, med, w in session.execute(_throughput_query(keys, scope, norms))} if keys else {}
    return [_throughput_result(key, norms[key], rows, scope, cfg) for key in keys]


def _throughput_result(key: str, norm_days: int, rows: dict, scope: Scope, cfg: dict) -> KpiResult:
    label, _norm_key, _group, what = THROUGHPUT[key]
    n, median, within = rows.get((key, "period"), (0, None, 0))
    share = within / n if n else None
    trend = []
    for month in scope.filters.trend_months:
        mn, mmed, mw = rows.get((key, month), (0, None, 0))
        trend.append({"month": month, "value": mmed, "share": (mw / mn if mn else None), "n": mn})
    return KpiResult(
        key=key, section="Doorlooptijden", label=label, what=what, unit="days",
        norm=f"≤ {norm_days} dagen", value=median, share_within_norm=share, n=n,
        light=light(share, cfg["lights"].get(key)), trend=trend,
    )


def drill_throughput(session: Session, scope: Scope, key: str, cfg: dict | None = None) -> list[dict]:
    """Cases over the norm: end in the period and too long, or still waiting longer than the norm."""
    cfg = cfg or config()
    norm_days = int(cfg["norms"][THROUGHPUT[key][1]])
    start, end, source = _throughput_source(key)
    p0, p1 = first_day(scope.filters.period_from), first_day(add_months(scope.filters.period_to, 1))
    if key in ("koppeling_offer", "offer_move", "move_first_lesson"):  # waiting cases may have no milestone row
        source = _outer_source(key)
    span = days_between(start, end)
    waited = days_between(start, literal(scope.today, Date))
    done = and_(end >= p0, end < p1, span > norm_days)
    waiting = and_(end.is_(None), waited > norm_days)
    q = (
        select(Person.id, Person.given_names, Person.family_name, Person.municipality, start.label("start"),
               end.label("end"), case((end.is_(None), waited), else_=span).label("days"))
        .select_from(source)
        .where(start.is_not(None), or_(done, waiting), *scope.conditions)
        .order_by(text("7 DESC"), Person.id)
        .limit(DRILL_LIMIT)
    )
    return [_case(r.id, r.given_names, r.family_name, r.municipality,
                  f"{r.days} dagen" + (" (wacht nog)" if r.end is None else ""))
            for r in session.execute(q)]


def _outer_source(key: str):
    persons = Person.__table__
    return persons.outerjoin(PersonMilestone.__table__, PersonMilestone.person_id == Person.id)


def _case(person_id: int, given: str, family: str, municipality: str, detail: str) -> dict:
    return {"id": person_id, "name": f"{given} {family}", "municipality": municipality, "detail": detail,
            "href": f"/dossier?id={person_id}"}


# --- actions and caseload ------------------------------------------------------------------

def _open_actions(q: Select, persons: list[int] | None) -> Select:
    q = (q.select_from(PlanAction).join(Plan, Plan.id == PlanAction.plan_id)
         .where(PlanAction.status.in_(OPEN_STATUSES)))
    return _only(q, Plan.person_id, persons)


def _action_facts(persons: list[int] | None) -> list[Select]:
    """Facts of the action KPIs, as of the rollup's day (``rollup.AS_OF``).

    ``actions``: per person, owner organisation and worker (0 = unassigned) the open actions and
    how many of them are overdue. ``backlog``: per person, due month and owner the open actions due
    before that day.
    """
    overdue = case((PlanAction.due_date < rollup.AS_OF, 1), else_=0)
    per_worker = _fact(Plan.person_id, "actions", org=PlanAction.owner_id, worker=func.coalesce(PlanAction.worker_id, 0),
                       n=func.count(), k=func.sum(overdue))
    backlog = _fact(Plan.person_id, "backlog", month=month_of(PlanAction.due_date), org=PlanAction.owner_id,
                    n=func.count())
    return [
        _open_actions(per_worker, persons).group_by(text("1"), text("4"), text("5")),
        _open_actions(backlog, persons).where(PlanAction.due_date < rollup.AS_OF).group_by(text("1"), text("3"), text("4")),
    ]


def _persons_with_actions_due(lo: date, hi: date) -> Select:
    """Persons whose overdue actions differ between two days: an open action due in [lo, hi)."""
    return _open_actions(select(Plan.person_id), None).where(PlanAction.due_date >= lo, PlanAction.due_date < hi).distinct()


def kpi_actions(session: Session, scope: Scope, counts: dict, cfg: dict | None = None) -> tuple[KpiResult, KpiResult]:
    """Open and overdue actions per organisation and per worker; caseload per worker.

    Open: plan actions with status open, bezig or geblokkeerd (not klaar), today.
    Overdue: open with a due date before today. The light is overdue / open.
    Caseload of a worker: the number of persons (plans) with at least one open action assigned
    to that worker; the light is the busiest worker's caseload.
    Trend: actions not klaar per due month (the backlog by the month they were due).
    Partners count only their own organisation's actions.
    """
    cfg = cfg or config()
    src = _source(scope, "actions")
    q = (select(src.c.org_id, src.c.worker_id, func.sum(src.c.n), func.sum(src.c.k), func.sum(src.c.persons))
         .group_by(src.c.org_id, src.c.worker_id))
    groups = [(owner, worker or None, int(n_open), int(n_over), int(n_persons))
              for owner, worker, n_open, n_over, n_persons in session.execute(q)]
    org_ids = {g[0] for g in groups}
    worker_ids = {g[1] for g in groups if g[1] is not None}
    orgs = dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))).all()) if org_ids else {}
    workers = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(worker_ids))).all()) if worker_ids else {}
    per_org: dict[int, list[int]] = {}
    per_worker = []
    total_open = total_overdue = 0
    for owner, worker, n_open, n_over, n_persons in groups:
        total_open += n_open
        total_overdue += n_over
        acc = per_org.setdefault(owner, [0, 0])
        acc[0] += n_open
        acc[1] += n_over
        per_worker.append({"organisation": orgs.get(owner, "?"), "worker": workers.get(worker, "(niet toegewezen)"),
                           "open": n_open, "overdue": n_over, "caseload": n_persons, "assigned": worker is not None})
    org_rows = sorted(({"organisation": orgs.get(o, "?"), "open": v[0], "overdue": v[1]} for o, v in per_org.items()),
                      key=lambda r: -r["overdue"])
    per_worker.sort(key=lambda r: -r["caseload"])
    by_month = counts.get("backlog", {})
    share = total_overdue / total_open if total_open else None
    actions = KpiResult(
        key="overdue_actions", section="Acties en caseload", label="Open en verlopen acties",
        what="Open acties (open/bezig/geblokkeerd) en daarvan verlopen (deadline vóór vandaag), per organisatie en medewerker.",
        unit="share", norm="verlopen ≤ 10% van open", value=share, n=total_open,
        light=light(share, cfg["lights"].get("overdue_actions")),
        trend=[{"month": m, "value": by_month.get(m, ZERO_COUNTS).n, "n": by_month.get(m, ZERO_COUNTS).n}
               for m in scope.filters.trend_months],
        rows=org_rows,
    )
    assigned = [r for r in per_worker if r["assigned"]]
    busiest = max((r["caseload"] for r in assigned), default=None)
    unassigned = sum(r["open"] for r in per_worker if not r["assigned"])
    caseload_light = light(busiest, cfg["lights"].get("caseload"))
    if unassigned and caseload_light in ("green", "nodata"):  # work nobody holds is not a light caseload
        caseload_light = "orange"
    caseload = KpiResult(
        key="caseload", section="Acties en caseload", label="Caseload per medewerker",
        what="Personen met minstens één open actie op naam van de medewerker; waarde = drukste medewerker."
        + (f" {unassigned} open {'actie staat' if unassigned == 1 else 'acties staan'} op naam van niemand."
           if unassigned else ""),
        unit="count", norm="≤ 40 personen; elke open actie op naam", value=busiest, n=len(assigned),
        light=caseload_light, trend=[], rows=per_worker,
    )
    return actions, caseload


def drill_actions(session: Session, scope: Scope) -> list[dict]:
    """Persons with overdue actions (in the viewer's part), most overdue actions first."""
    q = (select(Person.id, Person.given_names, Person.family_name, Person.municipality, func.count().label("n"))
         .select_from(PlanAction).join(Plan, Plan.id == PlanAction.plan_id).join(Person, Person.id == Plan.person_id)
         .where(PlanAction.status.in_(OPEN_STATUSES), PlanAction.due_date < scope.today, *scope.conditions))
    if scope.own_organisation:
        q = q.where(PlanAction.owner_id == scope.own_organisation)
    q = q.group_by(Person.id, Person.given_names, Person.family_name, Person.municipality).order_by(text("5 DESC"), Person.id).limit(DRILL_LIMIT)
    return [_case(r.id, r.given_names, r.family_name, r.municipality, f"{r.n} verlopen acties") for r in session.execute(q)]


# --- letters and plans ---------------------------------------------------------------------

def _letter_locale():
    """Person.letter_language as the locale letters are archived in (aliases like prs -> fa_AF)."""
    return case(languages.ALIASES, value=Person.letter_language, else_=Person.letter_language)


def _fully_own():
    gaps = cast(LetterRecord.gaps, String)
    return and_(LetterRecord.language == _letter_locale(), or_(gaps == "[]", gaps.is_(None)))


def _letter_facts(persons: list[int] | None) -> Select:
    """Facts of letters in own language: per person and month of production, letters and fully-own ones."""
    ok = case((_fully_own(), 1), else_=0)
    q = (_fact(LetterRecord.person_id, "letters", month=month_of(LetterRecord.produced_at), n=func.count(), k=func.sum(ok))
         .select_from(LetterRecord).join(Person, Person.id == LetterRecord.person_id)
         .group_by(text("1"), text("3")))
    return _only(q, LetterRecord.person_id, persons)


def kpi_letters(scope: Scope, counts: dict, cfg: dict | None = None) -> KpiResult:
    """Share of letters sent fully in the person's own language.

    Counted: letters produced in the period for persons in scope; fully own language = the
    letter's language is the person's letter language (aliases resolved) and no message was
    left untranslated (``letters.gaps`` empty). Trend: per month of production.
    """
    cfg = cfg or config()
    rows = {m: (c.n, c.k) for m, c in counts.get("letters", {}).items()}
    return _share_result("letters_own_language", "Brieven en plannen", "Brieven volledig in eigen taal",
                         "Brieven in de periode in de brieftaal van de persoon, zonder onvertaalde tekstdelen.",
                         "≥ 90%", rows, scope, cfg)


def _share_result(key, section, label, what, norm, rows: dict, scope: Scope, cfg: dict) -> KpiResult:
    f = scope.filters
    n = sum(v[0] for m, v in rows.items() if f.period_from <= m <= f.period_to)
    k = sum(v[1] for m, v in rows.items() if f.period_from <= m <= f.period_to)
    value = k / n if n else None
    trend = [{"month": m, "value": (rows[m][1] / rows[m][0] if rows.get(m, (0,))[0] else None),
              "n": rows.get(m, (0, 0))[0]} for m in f.trend_months]
    return KpiResult(key=key, section=section, label=label, what=what, unit="share", norm=norm, value=value, n=n,
                     light=light(value, cfg["lights"].get(key)), trend=trend)


def drill_letters(session: Session, scope: Scope) -> list[dict]:
    """Persons with letters in the period that were not fully in their own language."""
    p0, p1 = first_day(scope.filters.period_from), first_day(add_months(scope.filters.period_to, 1))
    q = (select(Person.id, Person.given_names, Person.family_name, Person.municipality, func.count().label("n"))
         .select_from(LetterRecord).join(Person, Person.id == LetterRecord.person_id)
         .where(LetterRecord.produced_at >= p0, LetterRecord.produced_at < p1, ~_fully_own(), *scope.conditions)
         .group_by(Person.id, Person.given_names, Person.family_name, Person.municipality)
         .order_by(text("5 DESC"), Person.id).limit(DRILL_LIMIT))
    return [_case(r.id, r.given_names, r.family_name, r.municipality, f"{r.n} brieven niet volledig in eigen taal")
            for r in session.execute(q)]


def _plan_facts(persons: list[int] | None) -> list[Select]:
    """Facts of agreed plans: ``moved`` in the month of the move; ``agreed`` in the month by which
    the person had both moved and agreed to the plan (the later of the two months)."""
    agreed_month = month_of(Plan.agreed_at)
    move_month = month_of(Person.move_date)
    both = case((agreed_month > move_month, agreed_month), else_=move_month)
    moved = _fact(Person.id, "moved", month=move_month).where(Person.move_date.is_not(None))
    agreed = (_fact(Person.id, "agreed", month=both).select_from(Person).join(Plan, Plan.person_id == Person.id)
              .where(Person.move_date.is_not(None), Plan.agreed_at.is_not(None)))
    return [_only(moved, Person.id, persons), _only(agreed, Person.id, persons)]


def kpi_active_plan(scope: Scope, counts: dict, cfg: dict | None = None) -> KpiResult:
    """Share of moved-in persons with an agreed plan.

    Counted at the end of the period (trend: the end of each month): persons in scope whose
    move date is on or before that day; of those, the ones whose plan was agreed
    (``plans.agreed_at``) on or before that day. Persons not moved in yet are not counted.
    """
    cfg = cfg or config()
    f = scope.filters
    # bucket "" = before the trend window; both counts are cumulated per month in order.
    moved = {m: c.n for m, c in counts.get("moved", {}).items()}
    agreed = {m: c.n for m, c in counts.get("agreed", {}).items()}
    rows: dict[str, tuple[int, int]] = {}
    cum_m, cum_a = moved.get("", 0), agreed.get("", 0)
    for m in f.trend_months:
        cum_m += moved.get(m, 0)
        cum_a += agreed.get(m, 0)
        rows[m] = (cum_m, cum_a)
    n, k = rows[f.period_to]
    value = k / n if n else None
    return KpiResult(
        key="active_plan", section="Brieven en plannen", label="Personen met een afgesproken plan",
        what="Verhuisde personen met een plan waarmee zij hebben ingestemd, aan het eind van de periode.",
        unit="share", norm="≥ 90%", value=value, n=n, light=light(value, cfg["lights"].get("active_plan")),
        trend=[{"month": m, "value": (rows[m][1] / rows[m][0] if rows[m][0] else None), "n": rows[m][0]}
               for m in f.trend_months],
    )


def drill_active_plan(session: Session, scope: Scope) -> list[dict]:
    """Moved-in persons without an agreed plan, longest since the move first."""
    waited = days_between(Person.move_date, literal(scope.today, Date))
    q = (select(Person.id, Person.given_names, Person.family_name, Person.municipality, waited.label("days"))
         .select_from(Person).outerjoin(Plan, Plan.person_id == Person.id)
         .where(Person.move_date <= scope.today, Plan.agreed_at.is_(None), *scope.conditions)
         .order_by(text("5 DESC"), Person.id).limit(DRILL_LIMIT))
    return [_case(r.id, r.given_names, r.family_name, r.municipality, f"{r.days} dagen na verhuizing geen plan")
            for r in session.execute(q)]


# --- ontzorgen -----------------------------------------------------------------------------

def _ontzorgen_facts(persons: list[int] | None) -> list[Select]:
    """Facts of the ontzorgen KPIs.

    ``payments``: per person and payment month, of the approved runs: fixed-cost payments,
    those whose run was approved on or before the execution date, and the lowest leefgeld
    transfer (null without leefgeld). ``hand_backs``: per person and hand-back month (and its
    day) the ontzorgen categories handed back.
    """
    fixed = Payment.kind == "fixed_cost"
    on_time = and_(fixed, as_date(PaymentRun.approved_at) <= Payment.due_date)
    payments = (_fact(Payment.person_id, "payments", month=month_of(Payment.month),
                      n=func.sum(case((fixed, 1), else_=0)), k=func.sum(case((on_time, 1), else_=0)),
                      cents=func.min(case((Payment.kind == "leefgeld", Payment.amount_cents))))
                .select_from(Payment).join(PaymentRun, PaymentRun.id == Payment.run_id)
                .where(Payment.kind.in_(("fixed_cost", "leefgeld")), PaymentRun.status == "approved")
                .group_by(text("1"), text("3")))
    month = OntzorgenCategory.hand_back_month
    hand_backs = (_fact(Budget.person_id, "hand_backs", month=month_of(month), days=cast(extract("day", month), Integer),
                        n=func.count())
                  .select_from(OntzorgenCategory)
                  .join(OntzorgenArrangement, OntzorgenArrangement.id == OntzorgenCategory.arrangement_id)
                  .join(Budget, Budget.id == OntzorgenArrangement.budget_id)
                  .where(month.is_not(None))
                  .group_by(text("1"), text("3"), text("6")))
    return [_only(payments, Payment.person_id, persons), _only(hand_backs, Budget.person_id, persons)]


def kpi_ontzorgen(scope: Scope, counts: dict, cfg: dict | None = None) -> list[KpiResult]:
    """Ontzorgen: persons in ontzorgen, fixed costs paid on time, hand-backs, leefgeld below the minimum.

    - Persons in ontzorgen: distinct persons with a fixed cost paid directly (approved run) in
      the last month of the period (trend: per month).
    - Fixed costs paid on time: of the fixed-cost payments for the period's months, the share
      whose run was approved on or before the payment's execution date (``due_date``).
    - Hand-backs done: ontzorgen categories whose hand-back month lies in the period and is
      not after today (the person pays that cost again).
    - Leefgeld below the minimum: of the persons who got leefgeld in the period's last month,
      the share whose transfer was below ``STATUSHOUDERS_MINIMUM_LEEFGELD`` (default 250.00).
    """
    cfg = cfg or config()
    f = scope.filters
    payments = counts.get("payments", {})
    fixed = {m: (c.n, c.k, c.persons) for m, c in payments.items() if c.n}
    leef = {m: (c.leefgeld, c.below) for m, c in payments.items() if c.leefgeld}
    hand_backs = {m: c.n for m, c in counts.get("hand_backs", {}).items()}
    last = f.period_to
    persons_now = fixed.get(last, (0, 0, 0))[2]
    results = [
        KpiResult(key="ontzorgen_persons", section="Ontzorgen", label="Personen in ontzorgen",
                  what="Personen met een direct betaalde vaste last in de laatste maand van de periode.",
                  unit="count", norm="—", value=persons_now if fixed else None, n=persons_now,
                  light=light(persons_now if fixed else None, cfg["lights"].get("ontzorgen_persons")),
                  trend=[{"month": m, "value": fixed.get(m, (0, 0, 0))[2], "n": fixed.get(m, (0, 0, 0))[2]}
                         for m in f.trend_months]),
        _share_result("fixed_costs_on_time", "Ontzorgen", "Vaste lasten op tijd betaald",
                      "Direct betaalde vaste lasten waarvan de betaalrun uiterlijk op de uitvoerdatum was goedgekeurd.",
                      "≥ 98%", {m: (v[0], v[1]) for m, v in fixed.items()}, scope, cfg),
    ]
    n_hb = sum(v for m, v in hand_backs.items() if f.period_from <= m <= f.period_to)
    results.append(KpiResult(
        key="hand_backs", section="Ontzorgen", label="Teruggaven gedaan",
        what="Kostensoorten die in de periode aan de persoon zijn teruggegeven (teruggavemaand bereikt).",
        unit="count", norm="—", value=n_hb, n=n_hb, light=light(n_hb, cfg["lights"].get("hand_backs")),
        trend=[{"month": m, "value": hand_backs.get(m, 0), "n": hand_backs.get(m, 0)} for m in f.trend_months]))
    n_leef, k_leef = leef.get(last, (0, 0))
    value = k_leef / n_leef if n_leef else None
    results.append(KpiResult(
        key="leefgeld_below_minimum", section="Ontzorgen", label="Leefgeld onder het minimum",
        what=f"Personen met leefgeld in de laatste maand van de periode waarvan de overboeking lager was dan € {MINIMUM_LEEFGELD}.",
        unit="share", norm="≤ 2%", value=value, n=n_leef, light=light(value, cfg["lights"].get("leefgeld_below_minimum")),
        trend=[{"month": m, "value": (leef[m][1] / leef[m][0] if leef.get(m, (0,))[0] else None),
                "n": leef.get(m, (0, 0))[0]} for m in f.trend_months]))
    for r in results:
        r.section = "Ontzorgen"
    return results


def drill_payments(session: Session, scope: Scope, key: str) -> list[dict]:
    """Persons with late fixed-cost payments, or with leefgeld below the minimum, in the period."""
    p0, p1 = first_day(scope.filters.period_from), first_day(add_months(scope.filters.period_to, 1))
    minimum = int(MINIMUM_LEEFGELD * 100)
    q = (select(Person.id, Person.given_names, Person.family_name, Person.municipality, func.count().label("n"))
         .select_from(Payment).join(PaymentRun, PaymentRun.id == Payment.run_id).join(Person, Person.id == Payment.person_id)
         .where(PaymentRun.status == "approved", Payment.month >= p0, Payment.month < p1, *scope.conditions))
    if key == "fixed_costs_on_time":
        q = q.where(Payment.kind == "fixed_cost", as_date(PaymentRun.approved_at) > Payment.due_date)
        detail = "{} betalingen te laat"
    else:
        q = q.where(Payment.kind == "leefgeld", Payment.amount_cents < minimum)
        detail = "{} maanden leefgeld onder het minimum"
    q = q.group_by(Person.id, Person.given_names, Person.family_name, Person.municipality).order_by(
        text("5 DESC"), Person.id).limit(DRILL_LIMIT)
    return [_case(r.id, r.given_names, r.family_name, r.municipality, detail.format(r.n)) for r in session.execute(q)]


# --- the dashboard -------------------------------------------------------------------------

KPI_GROUPS = {
    **{key: spec[2] for key, spec in THROUGHPUT.items()},
    "overdue_actions": policy.IDENTITY, "caseload": policy.IDENTITY,
    "letters_own_language": policy.IDENTITY, "active_plan": policy.IDENTITY,
    "ontzorgen_persons": policy.FINANCES, "fixed_costs_on_time": policy.FINANCES,
    "hand_backs": policy.FINANCES, "leefgeld_below_minimum": policy.FINANCES,
}
DRILLABLE = set(THROUGHPUT) | {"overdue_actions", "letters_own_language", "active_plan",
                               "fixed_costs_on_time", "leefgeld_below_minimum"}


def _shown(scope: Scope, key: str) -> bool:
    """Gemeente roles see every aggregate of their chain; a partner only KPIs of field groups it may see."""
    return scope.whole_chain or KPI_GROUPS[key] in scope.groups


def _fact_selects(persons: list[int] | None) -> list[Select]:
    """Every fact SELECT of the rollup, for these person ids (None: everyone)."""
    return [*(_throughput_facts(key, persons) for key in THROUGHPUT), *_action_facts(persons),
            _letter_facts(persons), *_plan_facts(persons), *_ontzorgen_facts(persons)]


FACTS = rollup.Facts(selects=_fact_selects, sums=_sums, changed_between=_persons_with_actions_due)


def _read(session: Session, scope: Scope, cfg: dict) -> list[KpiResult]:
    ontzorgen = _shown(scope, "ontzorgen_persons")
    kinds = ["letters", "backlog", *CUMULATIVE, *(("payments", "hand_backs") if ontzorgen else ())]
    counts = _counts(session, scope, kinds)
    out = kpi_throughput(session, scope, [key for key in THROUGHPUT if _shown(scope, key)], cfg)
    out.extend(kpi_actions(session, scope, counts, cfg))
    out.append(kpi_letters(scope, counts, cfg))
    out.append(kpi_active_plan(scope, counts, cfg))
    if ontzorgen:
        out.extend(kpi_ontzorgen(scope, counts, cfg))
    for r in out:
        r.drill = r.key in DRILLABLE and KPI_GROUPS[r.key] in scope.groups
    return out


def refresh_rollup(session: Session, today: date) -> None:
    """Bring the rollup up to date now (after a bulk load or a release), so the next dashboard is quick."""
    rollup.refresh(session, today, FACTS)


def dashboard(session: Session, scope: Scope, cfg: dict | None = None) -> list[KpiResult]:
    """Every KPI the viewer may see, in display order, from the rollup brought up to date first."""
    cfg = cfg or config()
    for _attempt in range(3):
        rollup.refresh(session, scope.today, FACTS)
        results = _read(session, scope, cfg)
        if rollup.as_of(session) == scope.today:  # no refresh for another day ran in between
            return results
    raise RuntimeError("dashboard rollup keeps moving to another day")


def drill(session: Session, scope: Scope, key: str, cfg: dict | None = None) -> list[dict]:
    """The cases behind a KPI's light that the viewer may open (max. 200), each linking to its file."""
    if key not in DRILLABLE or KPI_GROUPS[key] not in scope.groups or not _shown(scope, key):
        raise policy.AccessDenied(_("U mag de personen achter deze KPI niet inzien."))
    if key in THROUGHPUT:
        return drill_throughput(session, scope, key, cfg)
    if key == "overdue_actions":
        return drill_actions(session, scope)
    if key == "letters_own_language":
        return drill_letters(session, scope)
    if key == "active_plan":
        return drill_active_plan(session, scope)
    return drill_payments(session, scope, key)


CSV_HEADER = ["KPI", "Wat wordt geteld", "Norm", "Waarde", "Binnen norm", "Aantal", "Stoplicht", "Periode"]


def to_csv(results: list[KpiResult], scope: Scope) -> str:
    """The KPI table as CSV (semicolon-separated, for Dutch spreadsheets)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(CSV_HEADER)
    period = f"{scope.filters.period_from} t/m {scope.filters.period_to}"
    for r in results:
        within = "" if r.share_within_norm is None else f"{r.share_within_norm * 100:.0f}%"
        writer.writerow([r.label, r.what, r.norm, r.value_text(), within, r.n, r.light_label, period])
    return buf.getvalue()


def filter_options(session: Session, scope: Scope) -> dict[str, list[list[str]]]:
    """Choices for the filters: municipalities and countries among visible persons, partner organisations."""
    munis = session.scalars(select(Person.municipality).where(Person.id.in_(scope.persons)).distinct()
                            .order_by(Person.municipality)).all() \
        if scope.persons is not None else session.scalars(select(Organisation.municipality).where(
            Organisation.kind == "gemeente", Organisation.municipality.is_not(None)).order_by(Organisation.municipality)).all()
    orgs = session.execute(select(Organisation.id, Organisation.name).where(Organisation.kind != "gemeente")
                           .order_by(Organisation.name)).all()
    return {
        "municipalities": [[m, m] for m in munis if m],
        "organisations": [[str(i), n] for i, n in orgs],
    }


def months_back(today: date, n: int) -> list[str]:
    return [add_months(month_key(today), -i) for i in range(n)]


