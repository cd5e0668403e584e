"""household_members: a member still abroad who arrives later (gezinshereniging), and the arrival day

Revision ID: 0029_household_abroad
Revises: 0028_agenda
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_household_abroad"
down_revision = "0028_agenda"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("household_members") as batch:
        batch.add_column(sa.Column("abroad", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("arrived_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("household_members") as batch:
        batch.drop_column("arrived_on")
        batch.drop_column("abroad")
