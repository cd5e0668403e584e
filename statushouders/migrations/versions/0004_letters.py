"""letter archive

Revision ID: 0004_letters
Revises: 0001
Create Date: 2026-11-23 10:55:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0004_letters"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("letter_type", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("template_version", sa.String(length=40), nullable=False),
        sa.Column("catalog_version", sa.String(length=60), nullable=False),
        sa.Column("gaps", sa.JSON(), nullable=False),
        sa.Column("produced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("produced_by", sa.Integer(), nullable=True),
        sa.Column("produced_by_name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("batch", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_letters_person_id_persons")),
        sa.ForeignKeyConstraint(["produced_by"], ["users.id"], name=op.f("fk_letters_produced_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters")),
        sa.UniqueConstraint("reference", name=op.f("uq_letters_reference")),
    )
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letters_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_letters_batch"), ["batch"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letters_batch"))
        batch_op.drop_index(batch_op.f("ix_letters_person_id"))
    op.drop_table("letters")
