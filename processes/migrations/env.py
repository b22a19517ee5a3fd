"""Alembic environment: the metadata of the engine and of ``processes/``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, event

import processes.tables  # noqa: F401 - registers every table
from engine import Base, sqlite_file_settings

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = create_engine(str(config.get_main_option("sqlalchemy.url")))
    if connectable.dialect.name == "sqlite":  # the migrations usually create the file
        event.listen(connectable, "connect", sqlite_file_settings)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
