"""login sessions kept on the server, so logging out ends a session for every copy of its cookie

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-18 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import engine


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'login_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('staff_user_id', sa.Integer(), nullable=True),
        sa.Column('initiator_email', sa.String(length=254), nullable=True),
        sa.Column('created_at', engine.UtcDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', engine.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_login_session_staff_user_id_staff_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_login_session_token_hash')),
    )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_session_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_session_staff_user_id'), ['staff_user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_session_staff_user_id'))
        batch_op.drop_index(batch_op.f('ix_login_session_expires_at'))
    op.drop_table('login_session')
