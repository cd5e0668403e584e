"""Production start (``make serve``): migrate, then Reflex's production build on several Granian workers.

Every worker can serve every tab because Reflex keeps the tab state in Redis (``REFLEX_REDIS_URL``)
and the app keeps everything else in PostgreSQL (``DATABASE_URL``); so both are required when more
than one worker runs. A worker that dies is replaced: Reflex starts Granian without
``respawn_failed_workers``, and then one crashed worker stops the whole server.
"""

from __future__ import annotations

import os

from . import config

REQUIRED = {
    "DATABASE_URL": "postgresql+psycopg://gebruiker:wachtwoord@db-host:5432/statushouders",
    "REFLEX_REDIS_URL": "redis://redis-host:6379",
}


def problems(workers: int, environ=os.environ) -> list[str]:
    """What stops a production start: each missing or unsuitable setting, with an example value."""
    found = []
    if workers < 1:
        found.append("--workers moet minstens 1 zijn.")
    if workers > 1:
        for name, example in REQUIRED.items():
            if not environ.get(name):
                found.append(f"{name} ontbreekt (bijvoorbeeld {name}={example}).")
        if not (environ.get("STATUSHOUDERS_AUDIT_KEY") or environ.get("STATUSHOUDERS_AUDIT_KEY_FILE")):
            found.append("STATUSHOUDERS_AUDIT_KEY of STATUSHOUDERS_AUDIT_KEY_FILE ontbreekt: elke server moet "
                         "dezelfde sleutel van de auditlog gebruiken.")
        if environ.get("DATABASE_URL", "").startswith("sqlite"):
            found.append("Met meer dan één worker is PostgreSQL nodig, geen SQLite (DATABASE_URL).")
    return found


def _respawning_workers() -> None:
    """Make the Granian server Reflex builds replace a worker that exits instead of shutting down."""
    from granian.server import Server

    original = Server.__init__
    if getattr(original, "respawns", False):
        return

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("respawn_failed_workers", True)
        kwargs.setdefault("respawn_interval", 1.0)
        original(self, *args, **kwargs)

    __init__.respawns = True
    Server.__init__ = __init__


def serve(port: int, workers: int, host: str = "0.0.0.0") -> None:
    """Run until stopped: the built frontend and the backend on one port, ``workers`` processes."""
    from reflex.reflex import cli

    os.environ["GRANIAN_WORKERS"] = str(workers)
    _respawning_workers()
    print(f"Eén plan (productie) op poort {port} met {workers} workers; database {config.database_url()}")
    cli.main(["run", "--env", "prod", "--single-port", "--backend-port", str(port), "--backend-host", host],
             prog_name="reflex", standalone_mode=True)
