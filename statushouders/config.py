"""Deployment settings, read from the environment so the same code runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A hidden folder: Reflex's dev-mode hot reload watches every visible entry of the app folder, and
# SQLite's -wal/-shm files change on every write (each login, each audited read), which restarted
# the backend and lost logins. Hidden top-level folders are never watched.
DATA_DIR = Path(os.environ.get("STATUSHOUDERS_DATA_DIR", ROOT / ".data"))


def database_url() -> str:
    """``DATABASE_URL`` when set (PostgreSQL in real deployments), else the embedded SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'statushouders.db'}"


def session_minutes() -> int:
    """How long a staff login stays valid."""
    return int(os.environ.get("STATUSHOUDERS_SESSION_MINUTES", "480"))


def served_over_https() -> bool:
    """``STATUSHOUDERS_HTTPS=1`` behind a TLS-terminating proxy: Secure cookies and HSTS."""
    return os.environ.get("STATUSHOUDERS_HTTPS", "").strip().lower() in {"1", "true", "yes", "on"}
