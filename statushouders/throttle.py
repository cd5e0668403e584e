"""Counting failed sign-ins, with growing delays and a temporary lock (issue 14, point 6).

A counter belongs to a key: ``account:<name as typed>`` (also for names that do not exist, so a lock
does not tell whether an account exists), ``address:<client address>`` for staff logins and
``own-address:<client address>`` for own-view codes. After ``delay_after`` failures each further try
must wait ``delay_seconds``, doubling per failure; at ``lock_after`` failures the key is locked for
``lock``. Failures older than ``lock`` are forgotten, and a lock that ran out starts the count afresh,
so nobody is kept out longer than the configured lock time.

A failure is counted after the caller's transaction has ended (``audit.after_transaction``): the
sign-in that failed rolls back, and on SQLite no second connection may write while it runs. Each
count is one atomic upsert (``failures = failures + 1``), so parallel wrong tries all count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from . import config
from .models import LoginThrottle

T = LoginThrottle.__table__


@dataclass(frozen=True)
class Limits:
    delay_after: int
    lock_after: int
    delay_seconds: int
    lock: timedelta

    def delay(self, failures: int) -> timedelta:
        """How long to wait after the ``failures``-th failure (0 before ``delay_after``)."""
        if failures < self.delay_after:
            return timedelta(0)
        seconds = self.delay_seconds * 2 ** min(failures - self.delay_after, 20)
        return min(timedelta(seconds=seconds), self.lock)


def account_limits() -> Limits:
    return Limits(config.login_delay_after(), config.login_lock_after(), config.login_delay_seconds(),
                  timedelta(minutes=config.login_lock_minutes()))


def address_limits() -> Limits:
    return Limits(config.address_delay_after(), config.address_lock_after(), config.login_delay_seconds(),
                  timedelta(minutes=config.login_lock_minutes()))


def account_key(username: str) -> str:
    return "account:" + username.strip().lower()[:150]


def address_key(client: str, own_view: bool = False) -> str:
    return ("own-address:" if own_view else "address:") + client[:100]


@dataclass(frozen=True)
class Wait:
    """A key that may not try again before ``until``; ``locked`` when it is a lock, not a delay."""

    key: str
    until: datetime
    locked: bool


def _wait(row: LoginThrottle | None, limits: Limits, now: datetime) -> Wait | None:
    if row is None:
        return None
    if row.locked_until is not None:
        return Wait(row.key, row.locked_until, True) if row.locked_until > now else None
    if row.last_failure_at is None or row.last_failure_at <= now - limits.lock:
        return None
    delay = limits.delay(row.failures)
    if not delay:  # (``now`` may be a moment before the last failure: tries wait for each other's lock)
        return None
    until = row.last_failure_at + delay
    return Wait(row.key, until, False) if until > now else None


def check(session: Session, keys: dict[str, Limits], now: datetime) -> Wait | None:
    """The longest wait among ``keys`` now, or None when a try is allowed."""
    rows = {row.key: row for row in session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))}
    waits = [w for key, limits in keys.items() if (w := _wait(rows.get(key), limits, now))]
    return max(waits, key=lambda w: w.until) if waits else None


def expected_after_failure(session: Session, keys: dict[str, Limits], now: datetime) -> Wait | None:
    """The wait a failure now will most likely cause (for the message; ``count_failure`` decides)."""
    rows = {row.key: row for row in session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))}
    waits = []
    for key, limits in keys.items():
        row = rows.get(key)
        stale = (row is None or row.last_failure_at is None or row.last_failure_at <= now - limits.lock
                 or (row.locked_until is not None and row.locked_until <= now))
        failures = 1 if stale else row.failures + 1
        if failures >= limits.lock_after:
            waits.append(Wait(key, now + limits.lock, True))
        elif limits.delay(failures):
            waits.append(Wait(key, now + limits.delay(failures), False))
    return max(waits, key=lambda w: w.until) if waits else None


def count_failure(session: Session, key: str, limits: Limits, now: datetime) -> tuple[int, datetime | None]:
    """Count one failure atomically; returns the new count and the lock's end when this failure set it."""
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(T)
    stale = or_(T.c.last_failure_at.is_(None), T.c.last_failure_at <= now - limits.lock,
                and_(T.c.locked_until.is_not(None), T.c.locked_until <= now))
    statement = insert.values(key=key, failures=1, last_failure_at=now, locked_until=None).on_conflict_do_update(
        index_elements=[T.c.key],
        set_={
            "failures": case((stale, 1), else_=T.c.failures + 1),
            "locked_until": case((stale, None), else_=T.c.locked_until),
            "last_failure_at": now,
        },
    ).returning(T.c.failures)
    failures = session.execute(statement).scalar_one()
    if failures < limits.lock_after:
        return failures, None
    until = now + limits.lock
    locked = session.execute(
        update(T).where(T.c.key == key, T.c.locked_until.is_(None)).values(locked_until=until)
    ).rowcount
    return failures, until if locked else None


def clear(session: Session, key: str) -> None:
    """Forget the failures of ``key`` (a successful login of that account)."""
    session.execute(update(T).where(T.c.key == key).values(failures=0, locked_until=None, last_failure_at=None))
