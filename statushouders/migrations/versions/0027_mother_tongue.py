"""persons: the mother tongue (any ISO 639 language, also one the chain writes no letters in)

Revision ID: 0027_mother_tongue
Revises: 0026_callback_outcome
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_mother_tongue"
down_revision = "0026_callback_outcome"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("mother_tongue", sa.String(length=10), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_column("mother_tongue")
