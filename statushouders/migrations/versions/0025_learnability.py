"""plan: the learnability test's score from the intake (leerbaarheidstoets), used by the route proposal

Revision ID: 0025_learnability
Revises: 0024_signin
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_learnability"
down_revision = "0024_signin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("learnability_score", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("learnability_score")
