"""scale: the assignee index of open tasks includes the group and the assignee (PostgreSQL), so
counting "mijn taken" reads the index only

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-22 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_COLUMNS: list[str | sa.TextClause] = [sa.text('lower(assignee)'), 'due_at', 'created_at', 'task_id']


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_open_task_assignee_due', table_name='open_task')
    op.create_index('ix_open_task_assignee_due', 'open_task', _COLUMNS, unique=False,
                    postgresql_include=['candidate_group', 'assignee'])


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_open_task_assignee_due', table_name='open_task')
    op.create_index('ix_open_task_assignee_due', 'open_task', _COLUMNS, unique=False)
