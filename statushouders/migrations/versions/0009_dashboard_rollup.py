"""chain dashboard rollup: facts, audiences, totals, dirty markers (kept by triggers), state, indexes

Revision ID: 0009_dashboard_rollup
Revises: 0008_dashboard

Every insert, update or delete on a table the KPI facts are computed from writes the ids of the
persons it touches into ``dashboard_dirty``, in the same transaction (a trigger: so no write path,
ORM, Core or raw SQL, can forget it). ``statushouders.rollup`` recomputes those persons' facts
before the dashboard reads them. The facts themselves are filled on the first refresh (the state
row starts without a definition, which means: rebuild).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_dashboard_rollup"
down_revision = "0008_dashboard"
branch_labels = None
depends_on = None

# table -> (key column of its rows, SQL giving person ids for a set of keys, or None: the key is one)
SOURCES = {
    "persons": ("id", None),
    "person_milestones": ("person_id", None),
    "plans": ("person_id", None),
    "pips": ("person_id", None),
    "letters": ("person_id", None),
    "payments": ("person_id", None),
    "budgets": ("person_id", None),
    "plan_actions": ("plan_id", "SELECT person_id FROM plans WHERE id IN {keys}"),
    "payment_runs": ("id", "SELECT person_id FROM payments WHERE run_id IN {keys}"),
    "ontzorgen_arrangements": ("budget_id", "SELECT person_id FROM budgets WHERE id IN {keys}"),
    "ontzorgen_categories": ("arrangement_id", "SELECT b.person_id FROM ontzorgen_arrangements a "
                                               "JOIN budgets b ON b.id = a.budget_id WHERE a.id IN {keys}"),
    "consents": ("person_id", None),
    "partner_links": ("person_id", None),
    "organisations": ("id", "SELECT person_id FROM consents WHERE organisation_id IN {keys} "
                            "UNION SELECT person_id FROM partner_links WHERE organisation_id IN {keys}"),
}
OPS = ("INSERT", "UPDATE", "DELETE")
# SQLite fires row by row: approving a run would mark every payment's person for an update of its file.
SQLITE_UPDATE_OF = {"payment_runs": "id, status, approved_at"}  # the only run columns the facts read
INDEXES = [
    ("ix_dash_consents_by_org", "consents", ["organisation_id", "purpose", "withdrawn_at", "person_id"]),
    ("ix_dash_partner_links_by_org", "partner_links", ["organisation_id", "ended_at", "person_id"]),
    ("ix_dash_actions_due", "plan_actions", ["due_date", "status", "plan_id"]),
]


def _name(table: str, op_: str = "") -> str:
    return f"dashboard_dirty_{table}" + (f"_{op_.lower()}" if op_ else "")


def _sqlite_select(op_: str, column: str, lookup: str | None) -> str:
    rows = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}[op_]
    if lookup is None:  # VALUES: the cheapest form for the bulk case, one row inserted
        return f"VALUES ({rows[0]}.{column})" if len(rows) == 1 else f"SELECT NEW.{column} UNION SELECT OLD.{column}"
    return "SELECT DISTINCT * FROM (" + lookup.format(keys="(" + ", ".join(f"{r}.{column}" for r in rows) + ")") + ")"


def _postgres_select(op_: str, column: str, lookup: str | None) -> str:
    rows = {"INSERT": ["new_rows"], "UPDATE": ["new_rows", "old_rows"], "DELETE": ["old_rows"]}[op_]
    keys = " UNION ".join(f"SELECT {column} FROM {r}" for r in rows)
    return keys if lookup is None else lookup.format(keys=f"({keys})")


def _sqlite_triggers() -> None:
    for table, (column, lookup) in SOURCES.items():
        for op_ in OPS:
            event = f"UPDATE OF {SQLITE_UPDATE_OF[table]}" if op_ == "UPDATE" and table in SQLITE_UPDATE_OF else op_
            op.execute(f"CREATE TRIGGER {_name(table, op_)} AFTER {event} ON {table} BEGIN "
                       f"INSERT INTO dashboard_dirty (person_id) {_sqlite_select(op_, column, lookup)}; END")


def _postgres_triggers() -> None:
    # TRUNCATE has no rows to name: it makes the next refresh rebuild everything.
    op.execute("CREATE FUNCTION dashboard_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$ "
               "BEGIN UPDATE dashboard_rollup_state SET definition = NULL; RETURN NULL; END $$")
    referencing = {"INSERT": "NEW TABLE AS new_rows", "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                   "DELETE": "OLD TABLE AS old_rows"}
    for table, (column, lookup) in SOURCES.items():
        branches = " ".join(
            f"{'IF' if i == 0 else 'ELSIF'} TG_OP = '{op_}' THEN INSERT INTO dashboard_dirty (person_id) "
            f"SELECT DISTINCT * FROM ({_postgres_select(op_, column, lookup)}) AS keys;"
            for i, op_ in enumerate(OPS))
        op.execute(f"CREATE FUNCTION {_name(table)}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN {branches} END IF; RETURN NULL; END $$")
        for op_ in OPS:
            op.execute(f"CREATE TRIGGER {_name(table, op_)} AFTER {op_} ON {table} "
                       f"REFERENCING {referencing[op_]} FOR EACH STATEMENT EXECUTE FUNCTION {_name(table)}()")
        op.execute(f"CREATE TRIGGER {_name(table, 'TRUNCATE')} AFTER TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rebuild()")


KEYS = ("audience", "kind", "month", "org_id", "worker_id", "days")


def _summed_columns() -> list[sa.Column]:
    lengths = {"audience": 110, "kind": 30, "month": 7}
    keys = [sa.Column(c, sa.String(length=lengths[c]) if c in lengths else sa.Integer(), nullable=False,
                      autoincrement=False) for c in KEYS]
    return keys + [sa.Column(c, sa.Integer(), nullable=False) for c in ("n", "k", "persons", "leefgeld", "below")]


def upgrade() -> None:
    op.create_table(
        "dashboard_facts",
        sa.Column("person_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("worker_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("days", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("cents", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("person_id", "kind", "month", "org_id", "worker_id", "days",
                                name=op.f("pk_dashboard_facts")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "dashboard_audiences",
        sa.Column("person_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("audience", sa.String(length=110), nullable=False),
        sa.PrimaryKeyConstraint("person_id", "audience", name=op.f("pk_dashboard_audiences")),
        sqlite_with_rowid=False,
    )
    op.create_table("dashboard_totals", *_summed_columns(),
                    sa.PrimaryKeyConstraint(*KEYS, name=op.f("pk_dashboard_totals")), sqlite_with_rowid=False)
    for table, owner in (("dashboard_changes", sa.Column("person_id", sa.Integer(), nullable=False)),
                         ("dashboard_delta", sa.Column("audience", sa.String(length=110), nullable=False))):
        op.create_table(table, sa.Column("id", sa.Integer(), nullable=False), owner, *_summed_columns()[1:],
                        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")))
    op.create_table(
        "dashboard_audience_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=110), nullable=False),
        sa.Column("sign", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_audience_changes")),
    )
    op.create_table(
        "dashboard_dirty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("claimed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_dirty")),
    )
    state = op.create_table(
        "dashboard_rollup_state",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("definition", sa.String(length=64), nullable=True),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_rollup_state")),
    )
    op.bulk_insert(state, [{"id": 1}])
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in SOURCES:
        for op_ in OPS + (("TRUNCATE",) if postgres else ()):
            op.execute(f"DROP TRIGGER {_name(table, op_)}" + (f" ON {table}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION {_name(table)}()")
    if postgres:
        op.execute("DROP FUNCTION dashboard_rebuild()")
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("dashboard_rollup_state")
    op.drop_table("dashboard_dirty")
    op.drop_table("dashboard_audience_changes")
    op.drop_table("dashboard_delta")
    op.drop_table("dashboard_changes")
    op.drop_table("dashboard_totals")
    op.drop_table("dashboard_audiences")
    op.drop_table("dashboard_facts")
