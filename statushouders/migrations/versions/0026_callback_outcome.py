"""call-backs: the outcome of a call (reached, not reached) and the attempts counted

Revision ID: 0026_callback_outcome
Revises: 0025_learnability
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_callback_outcome"
down_revision = "0025_learnability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("callback_requests") as batch:
        batch.add_column(sa.Column("outcome", sa.String(length=20), server_default="", nullable=False))
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("callback_requests") as batch:
        batch.drop_column("last_attempt_at")
        batch.drop_column("attempts")
        batch.drop_column("outcome")
