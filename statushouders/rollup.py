"""The dashboard's rollup: per-person KPI facts, kept exact and refreshed set-based before every read.

``kpis`` defines, per KPI, a SELECT of *facts*: what the KPI counts for each person (per month,
per organisation and worker). This module keeps ``dashboard_facts`` equal to those SELECTs:

- Database triggers (migration ``0009_dashboard_rollup``) write the id of every person touched by
  an insert, update or delete on a source table into ``dashboard_dirty``, in the writer's own
  transaction.
- ``refresh`` runs before the dashboard reads (in the reader's transaction): it takes the state
  row as a lock, claims the dirty markers it can see, deletes and recomputes those persons' facts
  with ``INSERT ... SELECT`` and deletes exactly the claimed markers. A marker committed later
  stays for the next refresh; a change committed in between is recomputed twice, never lost.
- Open actions count as overdue relative to a day: the facts are computed *as of* the state's day.
  Moving to another day first marks the persons with open actions due in between.
- The state also holds a hash of the fact SQL: when the definitions change (a new release), the
  first refresh rebuilds every fact.

So the dashboard never reads facts that are older than the data committed when it was opened.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Date, Select, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from .models import Person
from .models.dashboard import DashboardDirty, DashboardFact, DashboardRollupState

AS_OF = bindparam("as_of", type_=Date)  # the day the fact SELECTs compute day-dependent facts for
FACT_COLUMNS = ("person_id", "kind", "month", "org_id", "worker_id", "days", "n", "k", "cents")
REBUILD_SHARE = 0.2  # recompute everything when more than this share of persons is dirty


@dataclass(frozen=True)
class Facts:
    """What the rollup holds, defined by ``kpis``."""

    selects: Callable[[Select | None], list[Select]]  # fact SELECTs (FACT_COLUMNS) for these person ids, None = all
    changed_between: Callable[[date, date], Select]  # person ids whose facts differ between two days


def _state(session: Session):
    return session.execute(select(DashboardRollupState.as_of, DashboardRollupState.definition)
                           .where(DashboardRollupState.id == 1)).one()


def as_of(session: Session) -> date | None:
    """The day the facts are computed for."""
    return _state(session).as_of


def definition(session: Session, facts: Facts) -> str:
    """Hash of the fact SQL as this database runs it (with its constants): changes when a KPI does."""
    dialect = session.get_bind().dialect
    digest = hashlib.sha256()
    for stmt in facts.selects(None):
        compiled = stmt.compile(dialect=dialect)
        digest.update(str(compiled).encode())
        digest.update(repr(sorted((k, repr(v)) for k, v in compiled.params.items() if k != "as_of")).encode())
    return digest.hexdigest()


def _fresh(session: Session, today: date, wanted: str) -> bool:
    state = _state(session)
    if state.as_of != today or state.definition != wanted:
        return False
    return session.scalar(select(DashboardDirty.id).limit(1)) is None


def refresh(session: Session, today: date, facts: Facts) -> None:
    """Make the facts exact for ``today`` and the current data, in the caller's transaction."""
    wanted = definition(session, facts)
    if _fresh(session, today, wanted):
        return
    # The lock: a second refresh waits here, then sees what the first left to do.
    session.execute(update(DashboardRollupState).where(DashboardRollupState.id == 1)
                    .values(refreshed_at=datetime.now(timezone.utc)))
    state = _state(session)
    if state.as_of is not None and state.as_of != today:
        lo, hi = sorted((state.as_of, today))
        session.execute(insert(DashboardDirty).from_select(["person_id"], facts.changed_between(lo, hi)))
    session.execute(update(DashboardDirty).values(claimed=True))
    claimed = select(DashboardDirty.person_id).where(DashboardDirty.claimed.is_(True))
    if state.definition != wanted or state.as_of is None or _mostly_dirty(session, claimed):
        _rebuild(session, today, facts)
    else:
        session.execute(delete(DashboardFact).where(DashboardFact.person_id.in_(claimed)))
        _insert(session, today, facts.selects(claimed))
    session.execute(delete(DashboardDirty).where(DashboardDirty.claimed.is_(True)))
    session.execute(update(DashboardRollupState).where(DashboardRollupState.id == 1)
                    .values(as_of=today, definition=wanted))


def _mostly_dirty(session: Session, claimed: Select) -> bool:
    ids = claimed.subquery()
    dirty = session.scalar(select(func.count(func.distinct(ids.c.person_id))))
    if not dirty:
        return False
    return dirty > REBUILD_SHARE * (session.scalar(select(func.count()).select_from(Person)) or 0)


def _insert(session: Session, today: date, stmts: list[Select]) -> None:
    for stmt in stmts:
        session.execute(insert(DashboardFact.__table__).from_select(FACT_COLUMNS, stmt.params(as_of=today)))


def _rebuild(session: Session, today: date, facts: Facts) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("TRUNCATE dashboard_facts"))
    else:
        session.execute(delete(DashboardFact))
    _insert(session, today, facts.selects(None))


def rebuild(session: Session, today: date, facts: Facts) -> None:
    """Recompute every fact (after a bulk load) and forget all dirty markers seen."""
    session.execute(update(DashboardRollupState).where(DashboardRollupState.id == 1).values(definition=None))
    refresh(session, today, facts)


def expected(session: Session, today: date, facts: Facts) -> list[tuple]:
    """The facts as a full recomputation gives them (sorted), without touching the table: for checks."""
    rows = []
    for stmt in facts.selects(None):
        rows.extend(tuple(r) for r in session.execute(stmt.params(as_of=today)))
    return sorted(rows)


def stored(session: Session) -> list[tuple]:
    """The facts in the table (sorted)."""
    cols = [getattr(DashboardFact, c) for c in FACT_COLUMNS]
    return sorted(tuple(r) for r in session.execute(select(*cols)))
