"""Bench: the plan's hot paths on a municipality-sized caseload (SQLite, temporary database).

Figures: generating one draft plan, opening one plan, "my actions" for a partner over the
whole caseload, and one live-update poll (the plan revision). Last line: the figures.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from statushouders import auth, db, plans, register  # noqa: E402
from statushouders.models import Organisation, User  # noqa: E402

PERSONS = 200
TODAY = date(2026, 11, 22)
LEVELS = {"financien": ("1", "L1"), "inburgering": ("2", "L1"), "dagelijks": ("2", "L1"), "werk": ("4", "L3"),
          "gezondheid": ("2", "L1")}


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


def main() -> None:
    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    db.migrate(url)
    with db.session_scope(url) as s:
        orgs = {k: Organisation(name=n, kind=k, municipality=m) for k, n, m in [
            ("gemeente", "Gemeente Hilversum", "Hilversum"), ("taalschool", "Taalschool", None),
            ("vwn", "VluchtelingenWerk", None), ("budgetcoach", "Budgetcoach", None)]}
        s.add_all(orgs.values())
        users = {k: User(username=k, full_name=k, password_hash="x", organisation=o,
                         role={"gemeente": "regisseur", "taalschool": "docent", "vwn": "begeleider",
                               "budgetcoach": "coach"}[k]) for k, o in orgs.items()}
        s.add_all(users.values())
        s.flush()
        regie, school = auth.actor_for(users["gemeente"]), auth.actor_for(users["taalschool"])
        school_id = orgs["taalschool"].id
    person_ids, generate = [], []
    for i in range(PERSONS):
        with db.session_scope(url) as s:
            form = {
                "given_names": "Test", "family_name": "Persoon " + "".join("abcdefghij"[int(c)] for c in f"{i:04d}"), "azc": "AZC Zeist", "birth_date": "1990-01-01",
                "country_of_origin": "ER", "v_number": f"{3000000000 + i}", "residence_status": "asylum",
                "integration_duty": "on", "permit_date": "2026-02-02", "koppeling_date": "2026-02-13",
                "municipality": "Hilversum", "spoken_languages": "tir", "read_languages": "tir",
                "letter_language": "tir", "literacy": "limited", "preferred_channel": "phone",
            }
            person = register.register(s, regie, form, [], TODAY)
            register.link_partner(s, regie, person.id, school_id, TODAY)
            plans.schedule_intake(s, regie, person.id, "2026-11-23T10:00", "", TODAY)
            plans.invite(s, regie, person.id, school_id, TODAY)
            for domain, (score, level) in LEVELS.items():
                plans.save_assessment(s, regie, person.id, {"domain": domain, "score": score, "level": level,
                                                            "relevance": "bench", "level_reason": "bench"}, TODAY)
            started = time.perf_counter()
            plans.generate_draft(s, regie, person.id, TODAY)
            generate.append(time.perf_counter() - started)
            person_ids.append(person.id)
    opened, mine, polls = [], [], []
    for pid in person_ids[:50]:
        with db.session_scope(url) as s:
            started = time.perf_counter()
            plans.load_plan(s, regie, pid, TODAY)
            opened.append(time.perf_counter() - started)
        with db.session_scope(url) as s:
            started = time.perf_counter()
            plans.plan_revision(s, pid)
            polls.append(time.perf_counter() - started)
    for _ in range(5):
        with db.session_scope(url) as s:
            started = time.perf_counter()
            rows = plans.my_actions(s, school, TODAY)
            mine.append(time.perf_counter() - started)
    print(f"persons={PERSONS} school_actions={len(rows)} generate_draft={_ms(generate)} load_plan={_ms(opened)} "
          f"my_actions={_ms(mine)} poll={_ms(polls)}")


if __name__ == "__main__":
    main()
