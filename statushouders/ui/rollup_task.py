"""Keeps the dashboard's rollup warm in the background, so opening the dashboard seldom has to wait.

Correctness does not depend on it: every dashboard read refreshes the rollup itself first
(``kpis.dashboard``). This only takes that work off the request, e.g. after a payment run
touched thousands of persons, or the first opening after midnight.

``keep_audit_anchored`` is the audit log's periodic anchor (``audit_anchor.write_if_grown``), a
lifespan task beside it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from .. import audit_anchor, config, db, kpis

INTERVAL_SECONDS = 60
log = logging.getLogger(__name__)


def _refresh() -> None:
    with db.session_scope() as session:
        kpis.refresh_rollup(session, date.today())


async def keep_rollup_fresh() -> None:
    """Refresh the rollup every minute for as long as the app runs."""
    while True:
        await asyncio.sleep(INTERVAL_SECONDS)
        try:
            await asyncio.to_thread(_refresh)
        except Exception:  # noqa: BLE001 - a failed background run only costs the next dashboard the work
            log.exception("dashboard rollup refresh failed")


async def keep_audit_anchored() -> None:
    """Anchor the audit log at start and then every ``STATUSHOUDERS_AUDIT_ANCHOR_MINUTES`` (0: never)."""
    minutes = config.audit_anchor_minutes()
    while minutes > 0:
        try:
            await asyncio.to_thread(audit_anchor.write_if_grown)
        except Exception:  # noqa: BLE001 - the next round tries again; verify-audit anchors as well
            log.exception("audit anchor write failed")
        await asyncio.sleep(minutes * 60)
