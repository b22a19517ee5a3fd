"""districts and teams can be switched off, a district has an English name; a version has its deployer and change note

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('org_district', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('org_team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('model_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deployed_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('model_version', schema=None) as batch_op:
        batch_op.drop_column('note')
        batch_op.drop_column('deployed_by')
    with op.batch_alter_table('org_team', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('org_district', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('name_en')
