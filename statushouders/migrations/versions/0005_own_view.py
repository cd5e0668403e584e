"""the statushouder's own sign-in: access codes and person sessions

Revision ID: 0005_own_view
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_own_view"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_access_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["issued_by"], ["users.id"], name=op.f("fk_person_access_codes_issued_by_users")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_access_codes_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_access_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_person_access_codes_code_hash")),
    )
    op.create_index(op.f("ix_person_access_codes_person_id"), "person_access_codes", ["person_id"], unique=False)
    op.create_table(
        "person_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_sessions_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_person_sessions_token_hash")),
    )
    op.create_index(op.f("ix_person_sessions_person_id"), "person_sessions", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_person_sessions_person_id"), table_name="person_sessions")
    op.drop_table("person_sessions")
    op.drop_index(op.f("ix_person_access_codes_person_id"), table_name="person_access_codes")
    op.drop_table("person_access_codes")
