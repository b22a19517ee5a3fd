"""the process owner's drafts: a bundle file being edited, kept per owner until it is put into use

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-11 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import engine


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'studio_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('saved_at', engine.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_studio_draft')),
        sa.UniqueConstraint('owner', 'name', name=op.f('uq_studio_draft_owner')),
    )


def downgrade() -> None:
    op.drop_table('studio_draft')
