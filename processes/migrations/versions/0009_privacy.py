"""privacy (AVG): a retention policy per category, and attachments whose content the policy
deleted keep their row with the moment it was deleted

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 06:00:00
"""
from alembic import op
import sqlalchemy as sa
import engine


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'org_retention',
        sa.Column('category', sa.String(length=40), nullable=False),
        sa.Column('anonymise_months', sa.Integer(), nullable=False),
        sa.Column('attachments_months', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('category', name=op.f('pk_org_retention')),
    )
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', engine.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
    op.drop_table('org_retention')
