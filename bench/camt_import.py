"""Benchmark: importing a 40,000-line camt.053 statement of the municipality's account.

    python bench/camt_import.py [--persons 10000] [--database-url postgresql+psycopg://...]

Populates the payment-run bench data (10,000 persons), prepares and approves December (50,000
payments), then generates one statement with 40,000 entries (every rent, energy, water and health
insurance payment: 1% returned with AC04/AM04/MD07, 0.5% with an unknown end-to-end id) and
imports it (XSD validation, matching, lines, returns, audit). Then the same file again (refused).
The last line is ``lines=<n> seconds=<s>`` for the import. Target: <= 10 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "unit" / "budget"))

from sqlalchemy import select  # noqa: E402

from camt import Entry, statement  # noqa: E402
from payment_run import MONTH, TODAY, populated  # noqa: E402
from statushouders import db  # noqa: E402
from statushouders.budget import bank, runs  # noqa: E402
from statushouders.models import Payment  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    url, first, second = populated(args.database_url, args.persons, tmp)
    with db.session_scope(url) as s:
        run_id = runs.prepare_run(s, first, MONTH).id
    with db.session_scope(url) as s:
        runs.approve_run(s, second, run_id, TODAY)
    with db.session_scope(url) as s:
        rows = s.execute(select(Payment.end_to_end_id, Payment.amount_cents).where(Payment.kind == "fixed_cost")
                         .order_by(Payment.id)).all()
    reasons = ("AC04", "AM04", "MD07")
    entries = []
    for i, (e2e, cents) in enumerate(rows):
        if i % 200 == 7:
            entries.append(Entry(cents, end_to_end_id=f"UNKNOWN-{i}"))
        elif i % 100 == 3:
            entries.append(Entry(cents, credit=True, end_to_end_id=e2e, reason=reasons[i % 3]))
        else:
            entries.append(Entry(cents, end_to_end_id=e2e))
    data = statement(entries, statement_id="BENCH-2026-12-02")
    print(f"statement: {len(entries)} entries, {len(data) / 1e6:.1f} MB ({url.split('://')[0]})")
    start = time.perf_counter()
    with db.session_scope(url) as s:
        result = bank.import_statement(s, first, data, "bench.xml")
    elapsed = time.perf_counter() - start
    print(f"booked {result.booked}, returned {result.returned}, income {result.income}, unmatched {result.unmatched}")
    again = time.perf_counter()
    try:
        with db.session_scope(url) as s:
            bank.import_statement(s, first, data, "bench.xml")
        print("second import: UNEXPECTED")
        return 1
    except bank.StatementError:
        print(f"second import: refused in {time.perf_counter() - again:.2f}s")
    db.engine_for(url).dispose()
    print(f"lines={result.lines} seconds={elapsed:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
