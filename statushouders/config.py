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
