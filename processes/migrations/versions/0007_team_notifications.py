"""how a team hears of new work (a mail per task, a daily overview or none) and which open tasks
have been made known

Revision ID: 0007_team_notifications
Revises: 0006
Create Date: 2026-12-05 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import engine


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('org_team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify', sa.String(length=10), server_default=sa.text("'each'"),
                                      nullable=False))
        batch_op.add_column(sa.Column('notify_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('digest_sent_at', engine.UtcDateTime(timezone=True), nullable=True))
    op.create_table(
        'staff_task_notice',
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('noticed_at', engine.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'],
                                name=op.f('fk_staff_task_notice_instance_id_process_instance'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('task_id', name=op.f('pk_staff_task_notice')),
    )
    with op.batch_alter_table('staff_task_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_task_notice_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_task_notice_noticed_at'), ['noticed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff_task_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_task_notice_noticed_at'))
        batch_op.drop_index(batch_op.f('ix_staff_task_notice_instance_id'))
    op.drop_table('staff_task_notice')
    with op.batch_alter_table('org_team', schema=None) as batch_op:
        batch_op.drop_column('digest_sent_at')
        batch_op.drop_column('notify_email')
        batch_op.drop_column('notify')
