"""Benchmark: a month's payment run for 10,000 statushouders in ontzorgen (~40,000 fixed-cost payments
plus leefgeld), prepared, approved by a second user and exported as XSD-validated pain.001.

    python bench/payment_run.py [--persons 10000] [--database-url postgresql+psycopg://...]

SQLite (a scratch file) by default. The last line is ``payments=<n> seconds=<s>`` where seconds
covers prepare + approve (file build, XSD validation, archive) + download. Target: <= 10 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from statushouders import auth, db  # noqa: E402
from statushouders.budget import checks, runs, sepa  # noqa: E402
from statushouders.models import (  # noqa: E402
    Budget, BudgetHousehold, FixedCost, OntzorgenArrangement, OntzorgenCategory, Organisation, Person, User,
)

TODAY = date(2026, 11, 23)
MONTH = date(2026, 12, 1)


def _fresh_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def populate(url: str, persons: int) -> None:
    """Bulk-insert persons with a budget, four core fixed costs and the default arrangement each."""
    now = datetime.now(timezone.utc)
    with db.session_scope(url) as s:
        org = Organisation(name="Gemeente Hilversum", kind="gemeente", municipality="Hilversum")
        s.add(org)
        s.flush()
        for username in ("financien", "financien2"):
            s.add(User(username=username, full_name=username.title(), password_hash="x", organisation_id=org.id,
                       role="financien"))
        s.flush()
        person_rows = [{
            "id": i, "given_names": f"Persoon{i}", "family_name": "Bench", "name_own_script": "",
            "birth_date": date(1990, 1, 1), "country_of_origin": "SY", "v_number": f"{3000000000 + i}", "bsn": None,
            "residence_status": "asylum", "integration_duty": True, "municipality": "Hilversum", "azc": "",
            "spoken_languages": ["ar"], "read_languages": ["ar"], "letter_language": "ar", "literacy": "literate",
            "interpreter_needed": False, "preferred_channel": "letter", "address": "", "phone": "", "email": "",
            "functional_limitations": "", "iban": "NL20INGB0001234567", "education_history": "",
            "learning_limitations": "", "created_at": now, "created_by": 1,
        } for i in range(1, persons + 1)]
        s.execute(insert(Person), person_rows)
        s.execute(insert(Budget), [{"id": i, "person_id": i, "benefit_start": date(2026, 9, 1), "supplement_cents": 0,
                                    "updated_by": 1, "updated_at": now} for i in range(1, persons + 1)])
        s.execute(insert(BudgetHousehold), [{"budget_id": i, "valid_from": date(2026, 9, 1),
                                             "kind": "couple" if i % 3 == 0 else "single"}
                                            for i in range(1, persons + 1)])
        kenmerk = checks.make_betalingskenmerk("300000000000101")
        costs = [("rent", 65000, 1, kenmerk, True), ("energy", 12000, 15, "", False),
                 ("water", 2500, 20, "", False), ("health_insurance", 15500, 31, "", False)]
        s.execute(insert(FixedCost), [{
            "budget_id": i, "category": c, "label": c, "creditor_name": "Dudok Wonen",
            "creditor_iban": "NL63TRIO0212345678", "amount_cents": cents, "reference": ref,
            "structured_reference": structured, "day_of_month": day, "first_month": date(2026, 9, 1),
            "added_on": date(2026, 9, 1), "added_by": 1,
        } for i in range(1, persons + 1) for c, cents, day, ref, structured in costs])
        s.execute(insert(OntzorgenArrangement), [{"id": i, "budget_id": i, "start_month": date(2026, 9, 1), "months": 6,
                                                  "reason": "", "updated_by": 1, "updated_at": now}
                                                 for i in range(1, persons + 1)])
        s.execute(insert(OntzorgenCategory), [{"arrangement_id": i, "category": c, "mode": "direct", "reason": ""}
                                              for i in range(1, persons + 1) for c, *_ in costs])
        if url.startswith("postgresql"):
            for table in ("persons", "budgets", "ontzorgen_arrangements"):
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def populated(database_url: str, persons: int, tmp: tempfile.TemporaryDirectory):
    """A fresh, migrated database with ``persons`` in ontzorgen: (url, first financien, second financien).

    Shared with bench/camt_import.py. SQLite in ``tmp`` unless a PostgreSQL URL is given (its schema is wiped).
    """
    url = database_url or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    if url.startswith("postgresql"):
        _fresh_postgres(url)
    db.migrate(url)
    t0 = time.perf_counter()
    populate(url, persons)
    print(f"populated {persons} persons in {time.perf_counter() - t0:.1f}s ({url.split('://')[0]})")
    with db.session_scope(url) as s:
        first, second = (auth.actor_for(u) for u in s.query(User).order_by(User.id).all())
    return url, first, second


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--schema", default="pain.001.001.09")
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    url, first, second = populated(args.database_url, args.persons, tmp)
    start = time.perf_counter()
    with db.session_scope(url) as s:
        run = runs.prepare_run(s, first, MONTH, schema=args.schema)
        run_id, count = run.id, run.payment_count
    t_prepare = time.perf_counter()
    with db.session_scope(url) as s:
        run = runs.approve_run(s, second, run_id, TODAY)
        sha = run.xml_sha256
    t_approve = time.perf_counter()
    with db.session_scope(url) as s:
        _name, xml = runs.download(s, second, run_id)
    elapsed = time.perf_counter() - start
    assert sepa.sha256(xml) == sha
    print(f"prepare {t_prepare - start:.2f}s, approve+export+XSD {t_approve - t_prepare:.2f}s, "
          f"download {elapsed - (t_approve - start):.2f}s, file {len(xml) / 1e6:.1f} MB")
    # Rerun: nothing is paid twice.
    with db.session_scope(url) as s:
        try:
            runs.prepare_run(s, first, MONTH)
            print("rerun: UNEXPECTED new run")
            return 1
        except runs.RunError:
            print("rerun: nothing to pay again")
    db.engine_for(url).dispose()
    print(f"payments={count} seconds={elapsed:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
