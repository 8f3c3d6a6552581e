"""The schema is built by the migrations, from empty, and matches the models."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.config import TestConfig
from app.extensions import db


def test_the_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def _scratch_url(tmp_path: Path, database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'scratch.db'}"
    engine = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    name = engine.url.database + "_scratch"
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return engine.url.set(database=name).render_as_string(hide_password=False)


def test_migrations_run_from_empty_down_to_nothing_and_up_again(tmp_path, database_url):
    url = _scratch_url(tmp_path, database_url)
    app = create_app(TestConfig(tmp_path, url))
    with app.app_context():
        upgrade()
        assert "users" in sa.inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "stories" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app, database_url):
    if database_url.startswith("postgresql"):
        pytest.skip("SQLite-only settings")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
