"""The dashboard's rollup: per-person KPI facts and their sums per audience, kept exact.

``kpis`` defines, per KPI, a SELECT of *facts*: what the KPI counts for each person (per month,
per organisation and worker). ``policy.audiences`` says which groups of viewers may open each
person (the gemeente of the municipality, COA, each partner by consent or contract). The rollup
keeps three tables equal to what those definitions give on the current data:

- ``dashboard_facts`` (per person) and ``dashboard_audiences`` (person -> audience);
- ``dashboard_totals``: the facts summed per audience, so a dashboard without filters reads a few
  thousand rows whatever the size of the chain (with filters, ``kpis`` sums the persons' facts).

How it stays exact:

- Database triggers (migration ``0009_dashboard_rollup``) write the id of every person touched by
  an insert, update or delete on a source table into ``dashboard_dirty``, in the writer's own
  transaction, whatever the write path (ORM, Core, raw SQL, bulk loads).
- ``refresh`` runs at the start of every dashboard read, in the reader's transaction: it takes the
  state row as a lock, claims the dirty markers it can see, recomputes those persons' facts and
  audiences with ``INSERT ... SELECT``, adds the difference (new minus old) to the totals and
  deletes exactly the claimed markers. A marker committed later stays for the next refresh; a
  change committed in between is recomputed twice, never lost.
- Overdue actions, COA access (not moved yet) and ended partner links depend on the day: the
  rollup is computed *as of* the state's day. Moving to another day first marks the persons for
  whom something changes in between.
- The state holds a hash of all the SQL (with its constants): when a definition changes (a new
  release, another leefgeld minimum), the first refresh rebuilds everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache

from sqlalchemy import (
    Date, Integer, Select, and_, bindparam, delete, func, insert, literal, or_, select, text, true, tuple_, union,
    union_all, update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from . import policy
from .models import Person
from .models.dashboard import (
    DashboardAudience, DashboardAudienceChange, DashboardChange, DashboardDelta, DashboardDirty, DashboardFact,
    DashboardRollupState, DashboardTotal,
)

AS_OF = bindparam("as_of", type_=Date)  # the day the rollup is computed for
FACT_COLUMNS = ("person_id", "kind", "month", "org_id", "worker_id", "days", "n", "k", "cents")
KEY_COLUMNS = ("audience", "kind", "month", "org_id", "worker_id", "days")
SUM_COLUMNS = ("n", "k", "persons", "leefgeld", "below")
REBUILD_SHARE, REBUILD_MIN = 0.2, 5000  # recompute everything when more persons than both are dirty
CHUNK = 2000  # persons recomputed per round


@dataclass(frozen=True)
class Facts:
    """What the rollup holds, defined by ``kpis``."""

    selects: Callable[[list[int] | None], list[Select]]  # fact SELECTs (FACT_COLUMNS) for these person ids, None = all
    sums: Callable[[object], tuple]  # given fact columns (``.n``, ``.k``, ``.cents``): the values for SUM_COLUMNS
    changed_between: Callable[[date, date], Select]  # person ids whose facts differ between two days


def _state(session: Session):
    return session.execute(select(DashboardRollupState.as_of, DashboardRollupState.definition)
                           .where(DashboardRollupState.id == 1)).one()


def as_of(session: Session) -> date | None:
    """The day the rollup is computed for."""
    return _state(session).as_of


def _statements(facts: Facts) -> list:
    return [*facts.selects(None), policy.audiences(None, AS_OF),
            select(*facts.sums(DashboardFact.__table__.c))]


@lru_cache(maxsize=8)
def _definition(dialect_name: str, facts: Facts) -> str:
    dialect = {"postgresql": postgresql.dialect(), "sqlite": sqlite.dialect()}[dialect_name]
    digest = hashlib.sha256()
    for stmt in _statements(facts):
        compiled = stmt.compile(dialect=dialect)
        digest.update(str(compiled).encode())
        digest.update(repr(sorted((k, repr(v)) for k, v in compiled.params.items() if k != "as_of")).encode())
    return digest.hexdigest()


def definition(session: Session, facts: Facts) -> str:
    """Hash of the rollup's SQL as this database runs it, constants included: changes when a KPI does."""
    return _definition(session.get_bind().dialect.name, facts)


def _fresh(session: Session, today: date, wanted: str) -> bool:
    state = _state(session)
    if state.as_of != today or state.definition != wanted:
        return False
    return session.scalar(select(DashboardDirty.id).limit(1)) is None


def refresh(session: Session, today: date, facts: Facts) -> None:
    """Make the rollup exact for ``today`` and the data, in the caller's transaction."""
    wanted = definition(session, facts)
    if _fresh(session, today, wanted):
        return
    # The lock: a second refresh waits here, then sees only what the first left to do.
    session.execute(update(DashboardRollupState).where(DashboardRollupState.id == 1)
                    .values(refreshed_at=datetime.now(timezone.utc)))
    state = _state(session)
    if state.as_of is not None and state.as_of != today:
        lo, hi = sorted((state.as_of, today))
        changed = union(facts.changed_between(lo, hi), select(policy.access_changed_between(lo, hi).subquery()))
        session.execute(insert(DashboardDirty.__table__).from_select(["person_id"], changed, include_defaults=False))
    session.execute(update(DashboardDirty).values(claimed=True))
    claimed = select(DashboardDirty.person_id).where(DashboardDirty.claimed.is_(True)).distinct()
    persons = sorted(session.scalars(claimed))  # a list the planner can see, not a subquery it must guess
    if state.definition != wanted or state.as_of is None or _mostly(session, len(persons)):
        _rebuild(session, today, facts)
    else:
        for i in range(0, len(persons), CHUNK):
            _recompute(session, today, facts, persons[i:i + CHUNK])
    session.execute(delete(DashboardDirty).where(DashboardDirty.claimed.is_(True)))
    session.execute(update(DashboardRollupState).where(DashboardRollupState.id == 1)
                    .values(as_of=today, definition=wanted))


def _mostly(session: Session, dirty: int) -> bool:
    """Whether so many persons are dirty that recomputing everything is quicker."""
    if dirty <= REBUILD_MIN:
        return False
    return dirty > REBUILD_SHARE * (session.scalar(select(func.count()).select_from(Person)) or 0)


def _signed(facts: Facts, f, sign: int) -> list:
    """The SUM_COLUMNS values of facts ``f`` (columns), times ``sign``."""
    return [(v if sign > 0 else -v).label(c) for c, v in zip(SUM_COLUMNS, facts.sums(f))]


def _summed(f, a, facts: Facts) -> Select:
    """Facts (``f``) joined to audiences (``a``), as KEY_COLUMNS and SUM_COLUMNS."""
    return (select(a.c.audience, *(f.c[c] for c in KEY_COLUMNS[1:]), *_signed(facts, f.c, 1))
            .select_from(f.join(a, a.c.person_id == f.c.person_id)))


def _grouped(q: Select, changes_only: bool = False) -> Select:
    """Rows of KEY_COLUMNS and SUM_COLUMNS, summed per key (only keys whose sums are not all zero)."""
    sub = q.subquery()
    keys = [sub.c[c] for c in KEY_COLUMNS]
    sums = [func.sum(sub.c[c]) for c in SUM_COLUMNS]
    out = select(*keys, *(v.label(c) for v, c in zip(sums, SUM_COLUMNS))).where(true()).group_by(*keys)
    return out.having(or_(*(v != 0 for v in sums))) if changes_only else out


def _recompute(session: Session, today: date, facts: Facts, persons: list[int]) -> None:
    """Recompute the persons' facts and audiences; add what changed to the totals.

    Change of an audience's totals = its old members' (new - old) facts, plus the new facts of
    persons who joined it, minus those of persons who left it. Facts that did not change cancel out
    per person before they are spread over audiences. Everything is taken from the stored rows
    (old ones staged first), so the totals stay the sum of what is stored even while others write.
    """
    f, a = DashboardFact.__table__, DashboardAudience.__table__
    fact_changes, audience_changes = DashboardChange.__table__, DashboardAudienceChange.__table__
    fact_keys = ["person_id", *KEY_COLUMNS[1:]]
    my_facts = select(*(f.c[c] for c in fact_keys)).where(f.c.person_id.in_(persons))
    my_audiences = select(a.c.person_id, a.c.audience).where(a.c.person_id.in_(persons))

    def stage(sign: int) -> None:
        session.execute(insert(fact_changes).from_select(fact_keys + list(SUM_COLUMNS),
                                                         my_facts.add_columns(*_signed(facts, f.c, sign))))
        session.execute(insert(audience_changes).from_select(
            ["person_id", "audience", "sign"], my_audiences.add_columns(literal(sign, Integer))))

    stage(-1)
    session.execute(delete(f).where(f.c.person_id.in_(persons)))
    session.execute(delete(a).where(a.c.person_id.in_(persons)))
    for stmt in facts.selects(persons):
        session.execute(insert(f).from_select(FACT_COLUMNS, stmt.params(as_of=today)))
    session.execute(insert(a).from_select(["person_id", "audience"], policy.audiences(persons, AS_OF).params(as_of=today)))
    stage(1)
    net, moved = _net(fact_changes), _net_audiences(audience_changes)
    old_audiences = audience_changes.c.sign < 0
    parts = [
        select(audience_changes.c.audience, *(net.c[c] for c in KEY_COLUMNS[1:]), *(net.c[c] for c in SUM_COLUMNS))
        .join_from(net, audience_changes, and_(audience_changes.c.person_id == net.c.person_id, old_audiences)),
        select(moved.c.audience, *(f.c[c] for c in KEY_COLUMNS[1:]),
               *((v * moved.c.sign).label(c) for c, v in zip(SUM_COLUMNS, facts.sums(f.c))))
        .join_from(f, moved, moved.c.person_id == f.c.person_id),
    ]
    for part in parts:
        session.execute(insert(DashboardDelta.__table__).from_select(KEY_COLUMNS + SUM_COLUMNS, part))
    _apply_delta(session)
    for table in (fact_changes, audience_changes, DashboardDelta.__table__):
        session.execute(delete(table))


def _net(changes):
    """Per person and fact key, the sum of the staged old (negated) and new values, where not zero."""
    keys = [changes.c[c] for c in ("person_id", *KEY_COLUMNS[1:])]
    sums = [func.sum(changes.c[c]) for c in SUM_COLUMNS]
    return (select(*keys, *(v.label(c) for v, c in zip(sums, SUM_COLUMNS))).group_by(*keys)
            .having(or_(*(v != 0 for v in sums))).subquery("net"))


def _net_audiences(changes):
    """Per person the audiences joined (sign 1) and left (sign -1)."""
    sign = func.sum(changes.c.sign)
    return (select(changes.c.person_id, changes.c.audience, sign.label("sign"))
            .group_by(changes.c.person_id, changes.c.audience).having(sign != 0).subquery("moved"))


def _apply_delta(session: Session) -> None:
    """Add the collected changes to the totals; drop totals that became all zero."""
    t, d = DashboardTotal.__table__, DashboardDelta.__table__
    changes = _grouped(select(d), changes_only=True).subquery()
    dialect_insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(t).from_select(KEY_COLUMNS + SUM_COLUMNS, select(changes).where(true()))
    stmt = stmt.on_conflict_do_update(index_elements=list(KEY_COLUMNS),
                                      set_={c: t.c[c] + stmt.excluded[c] for c in SUM_COLUMNS})
    session.execute(stmt)
    zero = and_(*(t.c[c] == 0 for c in SUM_COLUMNS))
    keys = tuple_(*(t.c[c] for c in KEY_COLUMNS)).in_(select(*(changes.c[c] for c in KEY_COLUMNS)))
    session.execute(delete(t).where(zero, keys))


def _rebuild(session: Session, today: date, facts: Facts) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("TRUNCATE dashboard_facts, dashboard_audiences, dashboard_totals"))
    else:
        for model in (DashboardFact, DashboardAudience, DashboardTotal):
            session.execute(delete(model))
    for stmt in facts.selects(None):
        session.execute(insert(DashboardFact.__table__).from_select(FACT_COLUMNS, stmt.params(as_of=today)))
    session.execute(insert(DashboardAudience.__table__).from_select(
        ["person_id", "audience"], policy.audiences(None, AS_OF).params(as_of=today)))
    totals = _grouped(_summed(DashboardFact.__table__, DashboardAudience.__table__, facts))
    session.execute(insert(DashboardTotal.__table__).from_select(KEY_COLUMNS + SUM_COLUMNS, totals))


def expected(session: Session, today: date, facts: Facts) -> dict[str, list[tuple]]:
    """The rollup as a full recomputation gives it (sorted rows per table), without writing: for checks."""
    all_facts = union_all(*facts.selects(None)).subquery()
    audiences = policy.audiences(None, AS_OF).subquery()
    queries = {"facts": select(all_facts), "audiences": select(audiences),
               "totals": _grouped(_summed(all_facts, audiences, facts))}
    return {name: sorted(tuple(r) for r in session.execute(q.params(as_of=today))) for name, q in queries.items()}


def stored(session: Session) -> dict[str, list[tuple]]:
    """The rollup tables' rows (sorted per table), in the same shape as ``expected``."""
    tables = {"facts": DashboardFact.__table__, "audiences": DashboardAudience.__table__,
              "totals": DashboardTotal.__table__}
    return {name: sorted(tuple(r) for r in session.execute(select(t))) for name, t in tables.items()}
