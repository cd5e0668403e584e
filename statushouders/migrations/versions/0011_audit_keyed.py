"""audit log: rows keyed with an HMAC key kept outside the database (issue 14 point 4)

Existing rows keep their plain SHA-256 and an empty ``key_id``; ``audit.verify`` accepts them only
as the chain's beginning, before the first keyed row. Nothing is re-hashed: the migration does not
need the key.

Revision ID: 0011_audit_keyed
Revises: 0010_callback_requests
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_audit_keyed"
down_revision = "0010_callback_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: on SQLite a batch would rebuild the table and drop the
    # append-only triggers with it.
    op.add_column("audit_entries", sa.Column("key_id", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_entries", "key_id")
