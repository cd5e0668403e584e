"""sign-in throttling, void own-view codes after failed tries, idle timeout of sessions

Revision ID: 0012_login_throttle
Revises: 0011_audit_keyed
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_login_throttle"
down_revision = "0011_audit_keyed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("login_sessions") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("person_sessions") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("person_access_codes") as batch:
        batch.add_column(sa.Column("prefix", sa.String(length=4), nullable=True))
        batch.add_column(sa.Column("failures", sa.Integer(), server_default="0", nullable=False))
    op.create_index(op.f("ix_person_access_codes_prefix"), "person_access_codes", ["prefix"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_person_access_codes_prefix"), table_name="person_access_codes")
    with op.batch_alter_table("person_access_codes") as batch:
        batch.drop_column("failures")
        batch.drop_column("prefix")
    with op.batch_alter_table("person_sessions") as batch:
        batch.drop_column("last_seen_at")
    with op.batch_alter_table("login_sessions") as batch:
        batch.drop_column("last_seen_at")
    op.drop_table("login_throttle")
