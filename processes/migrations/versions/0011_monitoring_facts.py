"""monitoring facts: a typed row per initiative and per completed task, kept by every step, so
the dashboard counts with grouped queries and indexes instead of reading case data and audit
details (the rows of initiatives already there are filled by ``loket db upgrade``, see
processes.facts.fill)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-20 09:00:00
"""
from alembic import op
import sqlalchemy as sa
import engine


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

COMMENTED = sa.text('commented_at IS NOT NULL')
ASKED = sa.text('asked > 0')


def upgrade() -> None:
    op.create_table(
        'case_fact',
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('case_ref', sa.String(length=40), nullable=False),
        sa.Column('created_at', engine.UtcDateTime(timezone=True), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('created_work', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('category', sa.String(length=200), nullable=True),
        sa.Column('suggested', sa.String(length=200), nullable=True),
        sa.Column('rule', sa.String(length=200), nullable=True),
        sa.Column('district', sa.String(length=200), nullable=True),
        sa.Column('kind', sa.String(length=200), nullable=True),
        sa.Column('channel', sa.String(length=200), nullable=True),
        sa.Column('outcome', sa.String(length=200), nullable=True),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.Column('commented_at', engine.UtcDateTime(timezone=True), nullable=True),
        sa.Column('withdrawn', sa.Boolean(), nullable=False),
        sa.Column('decided_at', engine.UtcDateTime(timezone=True), nullable=True),
        sa.Column('decision_days', sa.Integer(), nullable=True),
        sa.Column('asked', sa.Integer(), nullable=False),
        sa.Column('first_asked_at', engine.UtcDateTime(timezone=True), nullable=True),
        sa.Column('asked_work', sa.Integer(), nullable=True),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('first_answered_at', engine.UtcDateTime(timezone=True), nullable=True),
        sa.Column('answered_work', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'],
                                name=op.f('fk_case_fact_instance_id_process_instance'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('instance_id', name=op.f('pk_case_fact')),
    )
    op.create_index('ix_case_fact_created', 'case_fact', ['created_at'], unique=False)
    op.create_index('ix_case_fact_category', 'case_fact', ['category', 'created_at'], unique=False)
    op.create_index('ix_case_fact_district', 'case_fact', ['district', 'created_at'], unique=False)
    op.create_index('ix_case_fact_commented', 'case_fact', ['commented_at'], unique=False,
                    sqlite_where=COMMENTED, postgresql_where=COMMENTED)
    op.create_index('ix_case_fact_asked', 'case_fact',
                    ['created_at', 'asked', 'answered', 'withdrawn', 'first_asked_at', 'first_answered_at', 'asked_work',
                     'answered_work'], unique=False,
                    sqlite_where=ASKED, postgresql_where=ASKED)
    op.create_table(
        'step_fact',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('case_ref', sa.String(length=40), nullable=False),
        sa.Column('created_at', engine.UtcDateTime(timezone=True), nullable=False),
        sa.Column('process', sa.String(length=200), nullable=False),
        sa.Column('element', sa.String(length=200), nullable=False),
        sa.Column('done_at', engine.UtcDateTime(timezone=True), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=False),
        sa.Column('work_days', sa.Integer(), nullable=False),
        sa.Column('calendar_days', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'],
                                name=op.f('fk_step_fact_instance_id_process_instance'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_step_fact')),
    )
    op.create_index(op.f('ix_step_fact_instance_id'), 'step_fact', ['instance_id'], unique=False)
    op.create_index('ix_step_fact_period', 'step_fact',
                    ['created_at', 'process', 'element', 'work_days', 'calendar_days'], unique=False)
    op.create_index('ix_step_fact_step', 'step_fact', ['process', 'element', 'work_days', 'calendar_days'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_step_fact_step', table_name='step_fact')
    op.drop_index('ix_step_fact_period', table_name='step_fact')
    op.drop_index(op.f('ix_step_fact_instance_id'), table_name='step_fact')
    op.drop_table('step_fact')
    op.drop_index('ix_case_fact_asked', table_name='case_fact')
    op.drop_index('ix_case_fact_commented', table_name='case_fact')
    op.drop_index('ix_case_fact_district', table_name='case_fact')
    op.drop_index('ix_case_fact_category', table_name='case_fact')
    op.drop_index('ix_case_fact_created', table_name='case_fact')
    op.drop_table('case_fact')
