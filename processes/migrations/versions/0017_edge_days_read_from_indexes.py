"""monitoring: the days of a month a dashboard period covers in part are read from indexes — the
initiatives of one category and district (with their ids), and an initiative's steps with what
they count (this index replaces the one on the initiative alone)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-24 09:00:00
"""
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_fact_category_district', 'case_fact', ['category', 'district', 'created_at', 'instance_id'],
                    unique=False)
    op.create_index('ix_step_fact_case', 'step_fact',
                    ['instance_id', 'created_at', 'process', 'element', 'work_days', 'calendar_days'], unique=False)
    op.drop_index('ix_step_fact_instance_id', table_name='step_fact')


def downgrade() -> None:
    op.create_index('ix_step_fact_instance_id', 'step_fact', ['instance_id'], unique=False)
    op.drop_index('ix_step_fact_case', table_name='step_fact')
    op.drop_index('ix_case_fact_category_district', table_name='case_fact')
