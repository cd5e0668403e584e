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


def _int_setting(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


def date_past_years() -> int:
    """How far back a move, plan, intake or budget date may lie (``STATUSHOUDERS_DATES_PAST_YEARS``, 2)."""
    return _int_setting("STATUSHOUDERS_DATES_PAST_YEARS", 2)


def date_future_years() -> int:
    """How far ahead such a date may lie (``STATUSHOUDERS_DATES_FUTURE_YEARS``, 2)."""
    return _int_setting("STATUSHOUDERS_DATES_FUTURE_YEARS", 2)


def payment_months_back() -> int:
    """Oldest payment-run month, in months before this month (``STATUSHOUDERS_PAYMENT_MONTHS_BACK``, 12)."""
    return _int_setting("STATUSHOUDERS_PAYMENT_MONTHS_BACK", 12)


def payment_months_ahead() -> int:
    """Latest payment-run month, in months after this month (``STATUSHOUDERS_PAYMENT_MONTHS_AHEAD``, 3)."""
    return _int_setting("STATUSHOUDERS_PAYMENT_MONTHS_AHEAD", 3)
