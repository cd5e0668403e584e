"""Deployment settings, read from the environment so the same code runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("STATUSHOUDERS_DATA_DIR", ROOT / "data"))


def database_url() -> str:
    """``DATABASE_URL`` when set (PostgreSQL in real deployments), else the embedded SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'statushouders.db'}"


def session_minutes() -> int:
    """How long a staff login stays valid."""
    return int(os.environ.get("STATUSHOUDERS_SESSION_MINUTES", "480"))


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def idle_minutes() -> int:
    """A staff or own-view session ends after this many minutes without any activity."""
    return _int("STATUSHOUDERS_IDLE_MINUTES", 30)


def secure_cookies() -> bool:
    """Send the session cookies only over HTTPS (set when the app is served over HTTPS)."""
    return os.environ.get("STATUSHOUDERS_SECURE_COOKIES", "").strip().lower() in {"1", "true", "yes", "on"}


def login_delay_after() -> int:
    """Failed staff logins per account after which each next try must wait (growing delays)."""
    return _int("STATUSHOUDERS_LOGIN_DELAY_AFTER", 5)


def login_lock_after() -> int:
    """Failed staff logins per account that lock it for ``login_lock_minutes``."""
    return _int("STATUSHOUDERS_LOGIN_LOCK_AFTER", 10)


def login_delay_seconds() -> int:
    """The first delay; it doubles with every further failure."""
    return _int("STATUSHOUDERS_LOGIN_DELAY_SECONDS", 2)


def login_lock_minutes() -> int:
    """How long a lock lasts; failures older than this are forgotten too."""
    return _int("STATUSHOUDERS_LOGIN_LOCK_MINUTES", 15)


def address_delay_after() -> int:
    """Failed sign-ins (staff or own view) from one client address before delays begin."""
    return _int("STATUSHOUDERS_ADDRESS_DELAY_AFTER", 20)


def address_lock_after() -> int:
    """Failed sign-ins from one client address that lock that address."""
    return _int("STATUSHOUDERS_ADDRESS_LOCK_AFTER", 50)


def own_code_max_failures() -> int:
    """Wrong tries against one own-view code after which the code is void."""
    return _int("STATUSHOUDERS_OWN_CODE_MAX_FAILURES", 10)
