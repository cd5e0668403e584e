"""National-scale test data for the chain dashboard: statushouders, households, milestones, plans,
letters and payments, written with bulk inserts (COPY on PostgreSQL, executemany on SQLite).

Reproducible: the same ``seed`` and ``today`` give the same database. Realistic shape, not real
people: permits spread over four years, municipalities of very different sizes (Zipf), each
municipality with its own pace (some slow, so lights go orange and red), about 15 plan actions
per plan, a few letters per person (tiny placeholder PDFs) and twelve months of ontzorgen payments.

The demo logins (``seed.DEMO_PASSWORD``) work on the result: ``regisseur``, ``coordinator`` and
``financien`` of the largest municipality, ``coa``, ``vwn``, ``taalschool``, ``budgetcoach``.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Engine, text

from . import auth, db, kpis
from .seed import DEMO_PASSWORD

COUNTRIES = [("SY", "ar", 0.30), ("ER", "tir", 0.18), ("AF", "prs", 0.12), ("TR", "tr", 0.10), ("YE", "ar", 0.06),
             ("IQ", "ckb", 0.05), ("SO", "so", 0.05), ("IR", "fa", 0.05), ("ET", "am", 0.04), ("CD", "fr", 0.03),
             ("SD", "ar", 0.02)]
LOCALE = {"ar": "ar", "tir": "ti_ER", "prs": "fa_AF", "tr": "tr", "ckb": "ckb", "so": "so", "fa": "fa", "am": "am",
          "fr": "fr"}
DOMAINS = ["verblijf", "wonen", "inburgering", "werk", "financien", "gezondheid", "gezin", "sociaal", "dagelijks"]
REGIONS = ["Noord", "Oost", "Midden", "West", "Zuid", "Zuidwest", "Noordwest", "Zuidoost", "Holland", "Brabant",
           "Limburg", "Gelderland"]
CATEGORIES = [("rent", 65000), ("energy", 14000), ("water", 2500), ("health_insurance", 15500)]


def _zipf_weights(n: int) -> list[float]:
    return [1.0 / (i + 1) ** 0.9 for i in range(n)]


class _Writer:
    """Bulk insert of tuples: COPY on PostgreSQL, executemany on SQLite; ids are assigned here."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.pg = engine.dialect.name == "postgresql"

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        with self.engine.begin() as conn:
            if self.pg:
                raw = conn.connection.driver_connection
                with raw.cursor() as cur:
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row([json.dumps(v) if isinstance(v, list) else v for v in row])
            else:
                marks = ", ".join("?" for _ in columns)
                conn.exec_driver_sql(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                    [tuple(_sqlite(v) for v in row) for row in rows],
                )

    def fix_sequences(self, tables: list[str]) -> None:
        if not self.pg:
            return
        with self.engine.begin() as conn:
            for table in tables:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"COALESCE((SELECT max(id) FROM {table}), 1))"))


def _sqlite(v):
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return json.dumps(v)
    return v


def _dt(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, n: int) -> date:
    total = day.year * 12 + day.month - 1 + n
    return date(total // 12, total % 12 + 1, 1)


def generate(url: str, persons: int = 100_000, seed: int = 2026, today: date | None = None,
             municipalities: int = 120, progress=print) -> dict[str, int]:
    """Migrate ``url`` and fill it (it must be empty). Returns the row counts written."""
    today = today or date.today()
    rnd = random.Random(seed)
    db.migrate(url)
    engine = db.make_engine(url)
    w = _Writer(engine)
    counts: dict[str, int] = {}
    pw = auth.hash_password(DEMO_PASSWORD)
    now = _dt(today, 8)

    # --- organisations and staff ----------------------------------------------------------
    orgs, users = [], []
    muni_names = ["Hilversum"] + [f"Gemeente{i:03d}" for i in range(1, municipalities)]
    weights = _zipf_weights(municipalities)
    muni_org, muni_region = {}, {}
    oid = 0
    for i, name in enumerate(muni_names):
        oid += 1
        orgs.append((oid, f"Gemeente {name}", "gemeente", name, "", "14 0xx", "ma-vr 9-17", ""))
        muni_org[name] = oid
        muni_region[name] = i % len(REGIONS)
    oid += 1
    coa_id = oid
    orgs.append((oid, "COA", "coa", None, "", "", "", ""))
    vwn_ids, coach_ids = [], []
    for r in REGIONS:
        oid += 1
        vwn_ids.append(oid)
        orgs.append((oid, f"VluchtelingenWerk {r}", "vwn", None, "", "", "", ""))
    for r in REGIONS:
        oid += 1
        coach_ids.append(oid)
        orgs.append((oid, f"Budgetcoaching {r}", "budgetcoach", None, "", "", "", ""))
    school_ids = []
    for i in range(40):
        oid += 1
        school_ids.append(oid)
        orgs.append((oid, f"Taalschool {i + 1:02d}", "taalschool", None, "", "", "", ""))
    muni_school = {m: school_ids[i % len(school_ids)] for i, m in enumerate(muni_names)}
    w.write("organisations", ["id", "name", "kind", "municipality", "address", "phone", "phone_hours", "email"], orgs)

    total_w = sum(weights)
    expected = {m: persons * weights[i] / total_w for i, m in enumerate(muni_names)}
    uid = 0
    workers: dict[int, list[int]] = {}

    def add_user(username, name, org, role):
        nonlocal uid
        uid += 1
        users.append((uid, username, name, pw, org, role, True))
        workers.setdefault(org, []).append(uid) if role in ("regisseur", "begeleider", "docent", "coach") else None
        return uid

    biggest = muni_names[0]
    for m in muni_names:
        org = muni_org[m]
        prefix = "" if m == biggest else f"{m.lower()}_"
        add_user(f"{prefix}financien", f"Financiën {m}", org, "financien")
        add_user(f"{prefix}coordinator", f"Coördinator {m}", org, "coordinator")
        add_user(f"{prefix}privacy", f"Privacy {m}", org, "privacy")
        for k in range(max(1, round(expected[m] / 35))):
            add_user("regisseur" if (m == biggest and k == 0) else f"{prefix}regisseur{k}", f"Regisseur {m} {k}", org, "regisseur")
    add_user("coa", "COA medewerker", coa_id, "medewerker")
    region_persons = [0.0] * len(REGIONS)
    for m in muni_names:
        region_persons[muni_region[m]] += expected[m]
    for r, org in enumerate(vwn_ids):
        for k in range(max(1, round(region_persons[r] * 0.75 / 40))):
            add_user("vwn" if (r == 0 and k == 0) else f"vwn{r}_{k}", f"Begeleider {REGIONS[r]} {k}", org, "begeleider")
    for r, org in enumerate(coach_ids):
        for k in range(max(1, round(region_persons[r] * 0.3 / 40))):
            add_user("budgetcoach" if (r == 0 and k == 0) else f"coach{r}_{k}", f"Coach {REGIONS[r]} {k}", org, "coach")
    for i, org in enumerate(school_ids):
        for k in range(max(1, round(persons / len(school_ids) / 60))):
            add_user("taalschool" if (i == 0 and k == 0) else f"docent{i}_{k}", f"Docent {i} {k}", org, "docent")
    w.write("users", ["id", "username", "full_name", "password_hash", "organisation_id", "role", "active"], users)
    creator = users[0][0]
    counts["organisations"], counts["users"] = len(orgs), len(users)
    progress(f"organisaties {len(orgs)}, gebruikers {len(users)}")

    # --- persons, households, milestones ---------------------------------------------------
    pace = {m: rnd.choice([0.7, 0.9, 1.0, 1.0, 1.2, 1.6, 2.2]) for m in muni_names}
    pace[biggest] = 1.6  # the demo municipality is slow somewhere: red lights to discuss
    cum, acc = [], 0.0
    for wgt in weights:
        acc += wgt
        cum.append(acc)
    P, H, M, L, C = [], [], [], [], []
    facts = []  # per person: (id, muni, permit, koppeling, offer, move, locale, vwn consent, coach consent)
    hid = lid = cid = 0
    start_span = 4 * 365
    for pid in range(1, persons + 1):
        x = rnd.random() * acc
        lo, hi = 0, municipalities - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cum[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        muni = muni_names[lo]
        f = pace[muni]
        country, lang, _ = rnd.choices(COUNTRIES, weights=[c[2] for c in COUNTRIES])[0]
        permit = today - timedelta(days=rnd.randint(3, start_span))

        def step(prev, mean):
            if prev is None:
                return None
            d = prev + timedelta(days=max(0, int(rnd.gammavariate(2.0, mean * f / 2.0))))
            return d if d <= today else None

        koppeling = step(permit, 12)
        offer = step(koppeling, 60)
        move = step(offer, 12)
        first_lesson = step(move, 35)
        birth = date(rnd.randint(1960, 2007), rnd.randint(1, 12), rnd.randint(1, 28))
        P.append((pid, f"Voornaam{pid}", f"Achternaam{pid % 9973}", "", birth, country, f"{4000000000 + pid}", None,
                  "asylum", True, permit, koppeling, move, muni, "AZC" if move is None else "", [lang], [lang], lang,
                  "literate", False, "phone", "", "", "", "", "", None, "", "", now, creator))
        for _k in range(rnd.choice([0, 0, 1, 1, 2, 3, 4])):
            hid += 1
            H.append((hid, pid, f"Gezinslid {hid}", rnd.choice(["partner", "child", "child"]),
                      date(rnd.randint(1970, 2024), rnd.randint(1, 12), rnd.randint(1, 28))))
        if offer or first_lesson:
            M.append((pid, offer, first_lesson))
        region = muni_region[muni]
        vwn = rnd.random() < 0.75
        coach = move is not None and rnd.random() < 0.3
        if vwn:
            cid += 1
            C.append((cid, pid, vwn_ids[region], "maatschappelijke_begeleiding", "v1", lang, True,
                      koppeling or permit, creator, None, None))
        if coach:
            cid += 1
            C.append((cid, pid, coach_ids[region], "budgetcoaching", "v1", lang, True, move, creator, None, None))
        if move is not None:
            lid += 1
            L.append((lid, pid, muni_school[muni], move, None))
        facts.append((pid, muni, permit, koppeling, offer, move, LOCALE[lang], vwn, coach, f))
    w.write("persons", ["id", "given_names", "family_name", "name_own_script", "birth_date", "country_of_origin",
                        "v_number", "bsn", "residence_status", "integration_duty", "permit_date", "koppeling_date",
                        "move_date", "municipality", "azc", "spoken_languages", "read_languages", "letter_language",
                        "literacy", "interpreter_needed", "preferred_channel", "address", "phone", "email",
                        "functional_limitations", "iban", "education_years", "education_history",
                        "learning_limitations", "created_at", "created_by"], P)
    w.write("household_members", ["id", "person_id", "name", "relationship_kind", "birth_date"], H)
    w.write("person_milestones", ["person_id", "housing_offer_date", "first_lesson_date"], M)
    w.write("consents", ["id", "person_id", "organisation_id", "purpose", "text_version", "language",
                         "interpreter_present", "given_on", "recorded_by", "withdrawn_at", "withdrawn_by"], C)
    w.write("partner_links", ["id", "person_id", "organisation_id", "since", "ended_at"], L)
    counts.update(persons=len(P), household_members=len(H), person_milestones=len(M), consents=len(C),
                  partner_links=len(L))
    progress(f"personen {len(P)}, gezinsleden {len(H)}")
    del P, H, M, C, L

    # --- plans, assessments, actions, PIPs, letters -----------------------------------------
    plan_cols = ["id", "person_id", "status", "intake_at", "intake_location", "interpreter_present",
                 "interpreter_language", "brp_date", "family_reunification", "private_notes", "private_held",
                 "agreed_at", "agreed_by", "agreement_note", "revision", "created_at", "created_by"]
    part_cols = ["id", "plan_id", "organisation_id", "present"]
    da_cols = ["id", "plan_id", "domain", "relevance", "situation", "score", "goals", "level", "level_reason"]
    act_cols = ["id", "plan_id", "domain", "what", "kind", "owner_id", "worker_id", "own_part", "milestone",
                "due_date", "norm_date", "status", "blocked_reason", "visible_to", "template", "version", "updated_at"]
    pip_cols = ["id", "person_id", "version", "current", "decided_on", "term_start", "route", "language_level",
                "duration_months", "preconditions", "guidance", "map_intensity", "pvt_intensity", "ontzorgen",
                "ontzorgen_months", "monitoring", "vve", "lesson_hours", "in_person_hours", "linked_person_id",
                "change_kind", "reason", "created_at", "created_by"]
    let_cols = ["id", "person_id", "letter_type", "language", "reference", "sha256", "size", "pdf",
                "template_version", "catalog_version", "gaps", "produced_at", "produced_by", "produced_by_name",
                "organisation", "batch"]
    plan_id = part_id = da_id = act_id = pip_id = let_id = 0
    pdf = b"%PDF-1.4\n% placeholder\n"
    ontzorgen = []  # (person, muni, move)
    batch_n = 0
    PL, PA, DA, AC, PI, LE = [], [], [], [], [], []

    def flush():
        w.write("plans", plan_cols, PL)
        w.write("plan_participants", part_cols, PA)
        w.write("domain_assessments", da_cols, DA)
        w.write("plan_actions", act_cols, AC)
        w.write("pips", pip_cols, PI)
        w.write("letters", let_cols, LE)
        for name, rows in (("plans", PL), ("plan_participants", PA), ("domain_assessments", DA),
                           ("plan_actions", AC), ("pips", PI), ("letters", LE)):
            counts[name] = counts.get(name, 0) + len(rows)
            rows.clear()

    for pid, muni, permit, koppeling, offer, move, locale, vwn, coach, f in facts:
        if koppeling is None:
            continue
        gem = muni_org[muni]
        region = muni_region[muni]
        intake = (move or koppeling + timedelta(days=30)) + timedelta(days=int(rnd.gammavariate(2, 7 * f)))
        if intake > today + timedelta(days=30):
            intake = today + timedelta(days=rnd.randint(1, 30))
        brp = move
        pip_day = brp + timedelta(days=int(rnd.gammavariate(2.2, 30 * f))) if brp else None
        if pip_day and pip_day > today:
            pip_day = None
        agreed = (pip_day or intake) + timedelta(days=rnd.randint(0, 20)) if intake <= today else None
        if agreed and (agreed > today or (move is None and rnd.random() < 0.5)):
            agreed = None
        held = intake <= today
        status = "actief" if agreed else ("concept" if held else "intake")
        plan_id += 1
        PL.append((plan_id, pid, status, _dt(intake), "Stadhuis", True, locale, brp, False, "", False,
                   _dt(agreed, 15) if agreed else None, creator if agreed else None, "", 1, now, creator))
        owners = [(gem, "gemeente")]
        if vwn:
            owners.append((vwn_ids[region], "vwn"))
        if move is not None:
            owners.append((muni_school[muni], "taalschool"))
        if coach:
            owners.append((coach_ids[region], "budgetcoach"))
        for org, _kind in owners:
            part_id += 1
            PA.append((part_id, plan_id, org, held))
        if not held:
            continue
        levels = []
        for dom in rnd.sample(DOMAINS, rnd.randint(3, 6)):
            score = rnd.randint(1, 5)
            level = "L1" if score <= 2 else "L2" if score == 3 else "L3"
            levels.append(level)
            da_id += 1
            DA.append((da_id, plan_id, dom, "besproken", "", score, "", level, ""))
        worker_of = {org: rnd.choice(workers[org]) for org, _k in owners}
        n_actions = int(rnd.gauss(16 if "L1" in levels else 13, 3))
        for _a in range(max(5, n_actions)):
            org, kind = owners[rnd.randrange(len(owners))]
            due = intake + timedelta(days=rnd.randint(3, 600))
            if due < today - timedelta(days=45):
                st = "klaar" if rnd.random() < (0.97 if f < 1.5 else 0.88) else rnd.choice(["open", "bezig", "geblokkeerd"])
            elif due < today:
                st = "klaar" if rnd.random() < 0.6 else rnd.choice(["open", "bezig"])
            else:
                st = "klaar" if rnd.random() < 0.15 else rnd.choice(["open", "open", "bezig"])
            act_id += 1
            AC.append((act_id, plan_id, rnd.choice(DOMAINS), "Actie uit sjabloon", "coaching", org,
                       worker_of[org] if rnd.random() < 0.9 else None, "", "intake", due, None, st,
                       "wacht op documenten" if st == "geblokkeerd" else "", [], "gen", 1, now))
        if pip_day:
            pip_id += 1
            PI.append((pip_id, pid, 1, True, pip_day, pip_day, rnd.choice(["b1", "b1", "onderwijs", "z"]), "B1", 36,
                       "", "", "", "", "", 6, "", "", 0, 0, None, "eerste", "", now, creator))
        for kind_, day in (("intake_invitation", intake - timedelta(days=7)), ("plan_summary", agreed),
                           ("pip_summary", pip_day), ("progress_talk", (pip_day + timedelta(days=90)) if pip_day else None)):
            if day is None or day > today:
                continue
            let_id += 1
            r = rnd.random()
            lang = locale if r > 0.03 else "nl"
            gaps = ["Bezwaar maken"] if 0.03 <= r < 0.10 else []
            LE.append((let_id, pid, kind_, lang, f"EP-{let_id:08d}", "0" * 64, len(pdf), pdf, "gen", f"{lang}:gen",
                       gaps, _dt(day, 11), creator, "Generator", f"Gemeente {muni}", None))
        if move is not None and move >= _add_months(today, -18):
            ontzorgen.append((pid, muni, max(move, intake), f, coach))
        batch_n += 1
        if len(AC) >= 200_000:
            flush()
            progress(f"plannen {counts.get('plans', 0)}, acties {counts.get('plan_actions', 0)}")
    flush()
    progress(f"plannen {counts['plans']}, acties {counts['plan_actions']}, brieven {counts['letters']}")
    del facts

    # --- budgets, ontzorgen and 12 months of payment runs -----------------------------------
    B, HH, FC, AR, OC, RUNS, PAY = [], [], [], [], [], [], []
    bid = fcid = arid = ocid = run_id = pay_id = 0
    runs: dict[tuple[str, date], int] = {}
    first_month = _add_months(today, -12)
    fin_user = creator
    for pid, muni, move, f, _coach in ontzorgen:
        bid += 1
        start = _add_months(move, 1)  # ``move`` here: the later of move and intake
        B.append((bid, pid, start, 0, fin_user, now))
        HH.append((bid, bid, start, rnd.choice(["single", "couple", "single_parent"])))
        arid += 1
        months = rnd.choice([6, 6, 6, 9, 12])
        AR.append((arid, bid, start, months, "", fin_user, now))
        costs = []
        for cat, base in CATEGORIES:
            fcid += 1
            amount = int(base * rnd.uniform(0.8, 1.3))
            FC.append((fcid, bid, cat, cat, "Crediteur BV", "NL91ABNA0417164300", amount, "", False, 1, start, None,
                       move, fin_user))
            hand_back = _add_months(start, months + (rnd.randint(0, 4) if cat in ("rent", "health_insurance") else 0))
            ocid += 1
            OC.append((ocid, arid, cat, "direct", hand_back, ""))
            costs.append((fcid, cat, amount, hand_back))
        leefgeld = int(rnd.gauss(42000, 14000))
        month = max(start, first_month)
        while month <= _month_start(today):
            key = (muni, month)
            if key not in runs:
                run_id += 1
                runs[key] = run_id
                late = rnd.random() < (0.02 if f < 1.5 else 0.15)
                approved = month + timedelta(days=rnd.randint(-8, -2) if not late else rnd.randint(2, 6))
                RUNS.append((run_id, muni, month, "approved", False, None, "pain.001.001.09", fin_user,
                             _dt(approved - timedelta(days=1)), creator, _dt(approved, 12), None,
                             f"MSG{run_id:010d}", None, None, 0, 0, []))
            rid = runs[key]
            paid_any = False
            for fc, cat, amount, hand_back in costs:
                if month < hand_back:
                    pay_id += 1
                    paid_any = True
                    PAY.append((pay_id, rid, pid, fc, "fixed_cost", cat, month, amount, "Crediteur BV",
                                "NL91ABNA0417164300", "", False, month, f"EP{pid}-FC{fc}-{month:%Y%m}"))
            if paid_any:
                pay_id += 1
                PAY.append((pay_id, rid, pid, None, "leefgeld", "leefgeld", month, max(0, leefgeld), f"P{pid}",
                            "NL91ABNA0417164300", "", False, month, f"EP{pid}-LG-{month:%Y%m}"))
            month = _add_months(month, 1)
    w.write("budgets", ["id", "person_id", "benefit_start", "supplement_cents", "updated_by", "updated_at"], B)
    w.write("budget_households", ["id", "budget_id", "valid_from", "kind"], HH)
    w.write("fixed_costs", ["id", "budget_id", "category", "label", "creditor_name", "creditor_iban", "amount_cents",
                            "reference", "structured_reference", "day_of_month", "first_month", "ended_month",
                            "added_on", "added_by"], FC)
    w.write("ontzorgen_arrangements", ["id", "budget_id", "start_month", "months", "reason", "updated_by",
                                       "updated_at"], AR)
    w.write("ontzorgen_categories", ["id", "arrangement_id", "category", "mode", "hand_back_month", "reason"], OC)
    w.write("payment_runs", ["id", "municipality", "month", "status", "correction", "open_key", "schema",
                             "prepared_by", "prepared_at", "approved_by", "approved_at", "cancelled_at", "message_id",
                             "xml", "xml_sha256", "payment_count", "total_cents", "problems"], RUNS)
    w.write("payments", ["id", "run_id", "person_id", "fixed_cost_id", "kind", "category", "month", "amount_cents",
                         "creditor_name", "creditor_iban", "reference", "structured_reference", "due_date",
                         "end_to_end_id"], PAY)
    counts.update(budgets=len(B), fixed_costs=len(FC), payment_runs=len(RUNS), payments=len(PAY))
    progress(f"budgetten {len(B)}, betalingen {len(PAY)}")
    w.fix_sequences(["organisations", "users", "persons", "household_members", "consents", "partner_links", "plans",
                     "plan_participants", "domain_assessments", "plan_actions", "pips", "letters", "budgets",
                     "budget_households", "fixed_costs", "ontzorgen_arrangements", "ontzorgen_categories",
                     "payment_runs", "payments"])
    _analyze(engine)
    with db.session_scope(url) as session:
        kpis.refresh_rollup(session, today)
    progress("dashboard-rollup bijgewerkt")
    _analyze(engine)
    engine.dispose()
    return counts


def _analyze(engine: Engine) -> None:
    """Fresh planner statistics (the rollup's queries are planned on them)."""
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")

