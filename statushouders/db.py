"""Engine, sessions and migrations. The only place that knows which database is in use."""

from __future__ import annotations

import asyncio
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from . import config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine with SQLite made safe for several writers (WAL, foreign keys, busy timeout).

    On SQLite every transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock at once,
    so transactions run one after the other. The driver's default starts a transaction only at the
    first write, so two sessions could both read the audit head or a run's status and then both
    write from what they read (``SELECT … FOR UPDATE`` locks nothing on SQLite). PostgreSQL keeps
    its row locks and conditional updates.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # Statement journals (a write that fires triggers keeps one per statement) stay in memory.
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.close()
            dbapi_conn.isolation_level = None  # the driver opens no transaction itself; _begin does

        @event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return engine_for(config.database_url())


def sessionmaker_for(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(engine_for(url or config.database_url()), expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error (nothing half-saved)."""
    session = sessionmaker_for(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def in_session(func, *args, **kwargs):
    """Run one domain call ``func(session, *args)`` in its own transaction."""
    with session_scope() as session:
        return func(session, *args, **kwargs)


async def call(func, *args, **kwargs):
    """``in_session`` in a worker thread, so database work never blocks the app's event loop."""
    return await asyncio.to_thread(in_session, func, *args, **kwargs)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url: str | None = None) -> None:
    """Bring the database schema to the newest migration."""
    url = url or config.database_url()
    make_engine(url).dispose()  # creates the SQLite folder when needed
    command.upgrade(alembic_config(url), "heads")
