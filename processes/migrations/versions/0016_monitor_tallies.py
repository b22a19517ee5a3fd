"""monitoring tallies: the facts counted ahead per month, category, district and what each
figure groups by (lead times per whole working day), kept by triggers on the fact tables, so
the dashboard reads a row per group instead of a row per initiative; filled from the facts. The
triggers append deltas (monitor_tally_delta) the worker folds in, so concurrent steps share no row

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-23 09:00:00
"""
from alembic import op
import sqlalchemy as sa

from processes.tables.tally import DROP_POSTGRES, DROP_SQLITE, POSTGRES_DDL, REBUILD, SQLITE_DDL


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

TEXT = 201


def _counted() -> list[sa.Column[object]]:
    """A tally's group and its count (the tallies and their deltas have the same)."""
    return [
        sa.Column('figure', sa.String(length=20), nullable=False),
        sa.Column('district', sa.String(length=TEXT), nullable=False),
        sa.Column('category', sa.String(length=TEXT), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('k1', sa.String(length=TEXT), nullable=False),
        sa.Column('k2', sa.String(length=TEXT), nullable=False),
        sa.Column('i1', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        'monitor_tally',
        *_counted(),
        sa.PrimaryKeyConstraint('figure', 'district', 'category', 'month', 'k1', 'k2', 'i1',
                                name=op.f('pk_monitor_tally')),
        postgresql_with={'fillfactor': 50},
    )
    # What the triggers append (no shared row to lock); the worker folds it into the tallies.
    op.create_table(
        'monitor_tally_delta',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        *_counted(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_tally_delta')),
    )
    op.create_index('ix_monitor_tally_delta_group', 'monitor_tally_delta',
                    ['figure', 'district', 'category', 'month'])
    # The triggers as processes/tables/tally.py makes them (its statements are made of its own
    # constants); then the tallies of the facts already there.
    postgres = op.get_bind().dialect.name == 'postgresql'
    for statement in POSTGRES_DDL if postgres else SQLITE_DDL:
        op.execute(statement)
    for statement in REBUILD:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_POSTGRES if op.get_bind().dialect.name == 'postgresql' else DROP_SQLITE:
        op.execute(statement)
    op.drop_table('monitor_tally_delta')
    op.drop_table('monitor_tally')
