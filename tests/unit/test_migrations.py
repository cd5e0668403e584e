"""A fresh database built by the migrations has exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from statushouders import db
from statushouders.models import Base


def test_migrations_match_the_models(db_url):
    with db.engine_for(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_migrating_twice_changes_nothing(db_url):
    db.migrate(db_url)
    test_migrations_match_the_models(db_url)
