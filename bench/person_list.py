"""Bench: one page of the person list (issue 18) over 2,000 persons, per sort key (SQLite, temporary database).

    python bench/person_list.py [--persons 2000] [--database-url postgresql+psycopg://...]

Every person has a plan (a quarter still at the intake), 12 actions (some shared with the taalschool, some
done), half of them a current PIP and the taalschool linked; 5 regisseurs are case owners. Timed: the
whole ``register.list_persons`` call (count, page query, two audit inserts) for page 1 and page 40, for
the regisseur (sees all) and the taalschool (a partner: visibility of each action's sharing in SQL).
Last line: the median per sort key. Target: under 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from statushouders import auth, db, register  # noqa: E402
from statushouders.models import Organisation, PartnerLink, Person, Pip, Plan, PlanAction, User  # noqa: E402

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
SYLLABLES = ["ab", "be", "ci", "do", "fu", "ga", "he", "ki", "lo", "mu", "na", "pe", "ra", "si", "tu", "wa"]


def _name(i: int) -> str:
    return "".join(SYLLABLES[(i >> (4 * k)) % 16] for k in range(3)).capitalize()


def populate(url: str, persons: int):
    with db.session_scope(url) as s:
        gemeente = Organisation(name="Gemeente Hilversum", kind="gemeente", municipality="Hilversum")
        school = Organisation(name="Taalschool", kind="taalschool", municipality=None)
        s.add_all([gemeente, school])
        regisseurs = [User(username=f"regie{n}", full_name=f"Regisseur {_name(n * 7)}", password_hash="x",
                           organisation=gemeente, role="regisseur") for n in range(5)]
        teacher = User(username="docent", full_name="Docent", password_hash="x", organisation=school, role="docent")
        s.add_all([*regisseurs, teacher])
        s.flush()
        regie, docent = auth.actor_for(regisseurs[0]), auth.actor_for(teacher)
        for i in range(persons):
            p = Person(given_names=_name(i * 3 + 1), family_name=_name(i), birth_date=date(1990, 1, 1),
                       country_of_origin="ER", v_number=f"{3000000000 + i}", residence_status="asylum",
                       integration_duty=True, municipality="Hilversum", spoken_languages=["ti_ER"],
                       read_languages=["ti_ER"], letter_language="ti_ER", literacy="limited",
                       preferred_channel="phone", created_at=NOW, created_by=regie.user_id)
            s.add(p)
            s.flush()
            s.add(PartnerLink(person_id=p.id, organisation_id=school.id, since=TODAY))
            plan = Plan(person_id=p.id, status=("intake", "concept", "actief", "actief")[i % 4],
                        intake_at=NOW - timedelta(days=i % 90), regisseur_id=regisseurs[i % 5].id if i % 7 else None,
                        created_at=NOW, created_by=regie.user_id, revision=1)
            s.add(plan)
            s.flush()
            for a in range(12):
                s.add(PlanAction(plan_id=plan.id, domain="inburgering", what=f"actie {a}", kind="begeleid",
                                 owner_id=school.id if a % 5 == 0 else gemeente.id,
                                 due_date=TODAY + timedelta(days=(i * 13 + a * 17) % 200),
                                 status="klaar" if a % 3 == 0 else "open",
                                 visible_to=[school.id] if a % 4 == 1 else [], version=1, updated_at=NOW))
            if i % 2:
                s.add(Pip(person_id=p.id, version=1, current=True, decided_on=TODAY, term_start=TODAY, route="b1",
                          duration_months=30, change_kind="eerste", created_at=NOW, created_by=regie.user_id))
    return regie, docent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    db.migrate(url)
    regie, docent = populate(url, args.persons)
    figures = {}
    for sort in register.SORT_KEYS:
        samples = []
        for actor in (regie, docent):
            for page in (0, args.persons // 25 // 2):
                for _ in range(5):
                    with db.session_scope(url) as s:
                        started = time.perf_counter()
                        rows, total = register.list_persons(s, actor, TODAY, page=page, page_size=25, sort=sort)
                        samples.append(time.perf_counter() - started)
                assert total == args.persons and len(rows) == 25
        figures[sort] = statistics.median(samples) * 1000, max(samples) * 1000
    print(" ".join(f"{k}={m:.1f}ms(max {x:.1f})" for k, (m, x) in figures.items()) + f" persons={args.persons}")
    return 0 if all(m < 200 for m, _x in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
