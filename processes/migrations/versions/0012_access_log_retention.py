"""privacy (AVG): how long the access log of personal data is kept, set by a beheerder

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-21 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'org_log_retention',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('months', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_org_log_retention')),
    )


def downgrade() -> None:
    op.drop_table('org_log_retention')
