"""payments of an approved (exported) run can never be deleted, and an approved run stays approved

Revision ID: 0013_payment_once
Revises: 0012_login_throttle

The unique (fixed cost, month) and end-to-end id constraints stop a second payment only while the
first one's row exists. These triggers keep the rows of every approved run: cancelling a run can
never remove payments that are already in a SEPA file, so preparing the month again finds them.
"""

from alembic import op

revision = "0013_payment_once"
down_revision = "0012_login_throttle"
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE TRIGGER payments_keep_exported BEFORE DELETE ON payments
    WHEN (SELECT status FROM payment_runs WHERE id = OLD.run_id) = 'approved'
    BEGIN SELECT RAISE(ABORT, 'payments of an approved run are kept'); END""",
    """CREATE TRIGGER payment_runs_stay_approved BEFORE UPDATE OF status ON payment_runs
    WHEN OLD.status = 'approved' AND NEW.status <> 'approved'
    BEGIN SELECT RAISE(ABORT, 'an approved run stays approved'); END""",
]
POSTGRES = [
    """CREATE FUNCTION payments_keep_exported() RETURNS trigger AS $$
    BEGIN
      IF (SELECT status FROM payment_runs WHERE id = OLD.run_id) = 'approved' THEN
        RAISE EXCEPTION 'payments of an approved run are kept';
      END IF;
      RETURN OLD;
    END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER payments_keep_exported BEFORE DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_keep_exported()""",
    """CREATE FUNCTION payment_runs_stay_approved() RETURNS trigger AS $$
    BEGIN
      IF OLD.status = 'approved' AND NEW.status <> 'approved' THEN
        RAISE EXCEPTION 'an approved run stays approved';
      END IF;
      RETURN NEW;
    END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER payment_runs_stay_approved BEFORE UPDATE OF status ON payment_runs
    FOR EACH ROW EXECUTE FUNCTION payment_runs_stay_approved()""",
]


def upgrade() -> None:
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRES:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER payments_keep_exported")
        op.execute("DROP TRIGGER payment_runs_stay_approved")
    else:
        op.execute("DROP TRIGGER payments_keep_exported ON payments")
        op.execute("DROP FUNCTION payments_keep_exported()")
        op.execute("DROP TRIGGER payment_runs_stay_approved ON payment_runs")
        op.execute("DROP FUNCTION payment_runs_stay_approved()")
