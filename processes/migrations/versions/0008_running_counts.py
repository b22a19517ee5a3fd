"""running instances per version and process kept as counters, so the process owner's page does
not read every running initiative (the counters are filled by ``loket db upgrade`` from the stored
workflows, see engine.running)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'running_count',
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('process_id', sa.String(length=200), nullable=False),
        sa.Column('running', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['version_id'], ['model_version.id'],
                                name=op.f('fk_running_count_version_id_model_version')),
        sa.PrimaryKeyConstraint('version_id', 'process_id', name=op.f('pk_running_count')),
    )


def downgrade() -> None:
    op.drop_table('running_count')
