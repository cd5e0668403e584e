"""Bench: the chain dashboard on a national-scale database (100,000 statushouders by default).

Generates the database once into bench/out/ (SQLite) or into ``--database-url`` (PostgreSQL:
use a database of your own; it is generated when it has no persons yet) and reuses it.

The KPIs are read from the dashboard rollup (``statushouders/rollup.py``); it is brought up to date
first (a full rebuild when the database or the KPI definitions are new) and that time is printed.

Figures (median of --runs):
- dashboard_ms: every KPI with its 12-month trend for the whole chain of the largest municipality,
  as its coordinator sees it (about 15% of all persons);
- partner_dashboard_ms: the same for the largest VluchtelingenWerk region (consent-based access
  filter, own actions only);
- also printed: national_ms, the unrestricted computation over all persons.
Last line: ``statushouders=<n> dashboard_ms=<median> partner_dashboard_ms=<median>``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from statushouders import auth, db, generate, kpis  # noqa: E402
from statushouders.models import Person, User  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TODAY = date(2026, 11, 22)


def _median_ms(fn, runs: int) -> float:
    fn()  # warm caches
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{OUT / f'dashboard_{args.persons}.db'}"
    db.migrate(url)
    with db.session_scope(url) as s:
        n = s.scalar(select(func.count()).select_from(Person))
    if not n:
        print(f"generating {args.persons} statushouders into {url.split('@')[-1]} ...", flush=True)
        t = time.perf_counter()
        generate.generate(url, persons=args.persons, today=TODAY)
        print(f"generated in {time.perf_counter() - t:.0f} s", flush=True)
    with db.session_scope(url) as s:
        t = time.perf_counter()
        kpis.refresh_rollup(s, TODAY)  # a no-op unless the data or the KPI definitions changed since last time
        print(f"rollup up to date in {time.perf_counter() - t:.1f} s", flush=True)
    with db.session_scope(url) as s:
        n = s.scalar(select(func.count()).select_from(Person))
        users = {u.username: auth.actor_for(u) for u in s.scalars(
            select(User).where(User.username.in_(["coordinator", "vwn"])))}
        cfg = kpis.config()

        def run(actor):
            scope = kpis.scope_for(actor, TODAY, kpis.Filters())
            return lambda: kpis.dashboard(s, scope, cfg)

        national_ms = _median_ms(run(None), max(1, args.runs // 2))
        chain_ms = _median_ms(run(users["coordinator"]), args.runs)
        partner_ms = _median_ms(run(users["vwn"]), args.runs)
        for r in kpis.dashboard(s, kpis.scope_for(users["coordinator"], TODAY, kpis.Filters()), cfg):
            print(f"  {r.label:<40} {r.value_text():<24} n={r.n:<7} {r.light}")
    print(f"backend={url.split(':')[0]} national_ms={national_ms:.0f}")
    print(f"statushouders={n} dashboard_ms={chain_ms:.0f} partner_dashboard_ms={partner_ms:.0f}")


if __name__ == "__main__":
    main()
