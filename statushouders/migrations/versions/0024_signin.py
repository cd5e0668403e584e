"""sign-in: TOTP second factor with recovery codes, OpenID Connect accounts, how a session signed in

Revision ID: 0024_signin
Revises: 0013_payment_once
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_signin"
down_revision = "0022_plan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("oidc_issuer", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("oidc_subject", sa.String(length=300), nullable=True))
        batch.create_unique_constraint(op.f("uq_users_oidc_issuer"), ["oidc_issuer", "oidc_subject"])
    with op.batch_alter_table("login_sessions") as batch:
        batch.add_column(sa.Column("method", sa.String(length=100), server_default="local", nullable=False))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=300), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes")
    op.drop_table("recovery_codes")
    with op.batch_alter_table("login_sessions") as batch:
        batch.drop_column("method")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("uq_users_oidc_issuer"), type_="unique")
        for column in ("oidc_subject", "oidc_issuer", "totp_last_step", "totp_secret", "email"):
            batch.drop_column(column)
