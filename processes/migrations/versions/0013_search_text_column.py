"""scale: the contact centre's search text as a stored generated column with its own trigram
index (PostgreSQL), so counting the hits of a common word no longer decodes every counted
initiative's case data; SQLite keeps its FTS5 table

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-22 09:00:00
"""
# ruff: noqa: S608 - every statement is made of this revision's constants only (no input reaches it)
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# Frozen copies of processes/tables/search.py as it was when this revision was written.


def _text(prefix: str, field: str) -> str:
    parts = [f"{prefix}case_ref", f"{prefix}title", field.format(p=prefix, f="naam"), f"{prefix}initiator",
             field.format(p=prefix, f="postcode")]
    return "lower(" + " || ' ' || ".join(f"coalesce({part}, '')" for part in parts) + ")"


POSTGRES_TEXT = _text("", "{p}case_data ->> '{f}'")


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("ALTER TABLE process_instance ADD COLUMN IF NOT EXISTS search_text text "
               f"GENERATED ALWAYS AS ({POSTGRES_TEXT}) STORED")
    op.execute("CREATE INDEX IF NOT EXISTS ix_process_instance_search_text ON process_instance "
               "USING gin (search_text gin_trgm_ops)")
    op.execute("DROP INDEX IF EXISTS ix_process_instance_search")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_process_instance_search ON process_instance "
               f"USING gin (({POSTGRES_TEXT}) gin_trgm_ops)")
    op.execute("DROP INDEX IF EXISTS ix_process_instance_search_text")
    op.execute("ALTER TABLE process_instance DROP COLUMN IF EXISTS search_text")
