"""scale: a row per candidate group of an open task, an assignee index in list order, and an
indexed search text for the contact centre (pg_trgm on PostgreSQL, FTS5 on SQLite)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-15 10:00:00
"""
# ruff: noqa: S608 - every statement is made of this revision's constants only (no input reaches it)
from alembic import op
import sqlalchemy as sa
import engine


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Frozen copies of processes/tables/search.py as it was when this revision was written.
FTS_TABLE = 'case_search'


def _text(prefix: str, field: str) -> str:
    parts = [f"{prefix}case_ref", f"{prefix}title", field.format(p=prefix, f="naam"), f"{prefix}initiator",
             field.format(p=prefix, f="postcode")]
    return "lower(" + " || ' ' || ".join(f"coalesce({part}, '')" for part in parts) + ")"


def _sqlite_text(row: str) -> str:
    return _text(f"{row}.", "json_extract({p}case_data, '$.{f}')")


POSTGRES_TEXT = _text("", "{p}case_data ->> '{f}'")


def _fill_groups() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT task_id, candidate_group, due_at, created_at FROM open_task "
                                "WHERE candidate_group IS NOT NULL")).all()
    # Untyped: the stored times go back as they were read (text on SQLite, timestamps on PostgreSQL).
    groups = sa.table('open_task_group', sa.column('task_id'), sa.column('group_code'), sa.column('due_at'),
                      sa.column('created_at'))
    values = [{'task_id': task_id, 'group_code': group, 'due_at': due_at, 'created_at': created_at}
              for task_id, candidate_group, due_at, created_at in rows
              for group in sorted({part.strip() for part in candidate_group.split(',') if part.strip()})]
    for start in range(0, len(values), 5000):
        conn.execute(groups.insert(), values[start:start + 5000])


def _search_upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_process_instance_search ON process_instance "
                   f"USING gin (({POSTGRES_TEXT}) gin_trgm_ops)")
        return
    # Contentless, without sizes: a start writes only the index pages of its text.
    op.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(body, tokenize='trigram', content='', "
               "columnsize=0)")
    op.execute(f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON process_instance BEGIN "
               f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (new.id, {_sqlite_text('new')}); END")
    op.execute(f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF case_ref, title, initiator, "
               f"case_data ON process_instance WHEN {_sqlite_text('old')} IS NOT {_sqlite_text('new')} BEGIN "
               f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, {_sqlite_text('old')}); "
               f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (new.id, {_sqlite_text('new')}); END")
    op.execute(f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON process_instance BEGIN "
               f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, {_sqlite_text('old')}); "
               "END")
    op.execute(f"INSERT INTO {FTS_TABLE} (rowid, body) SELECT id, {_sqlite_text('process_instance')} "
               "FROM process_instance")


def upgrade() -> None:
    op.create_table(
        'open_task_group',
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('group_code', sa.String(length=200), nullable=False),
        sa.Column('due_at', engine.UtcDateTime(timezone=True), nullable=True),
        sa.Column('created_at', engine.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['open_task.task_id'],
                                name=op.f('fk_open_task_group_task_id_open_task'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('task_id', 'group_code', name=op.f('pk_open_task_group')),
        sqlite_with_rowid=False,
    )
    op.create_index('ix_open_task_group_queue', 'open_task_group', ['group_code', 'due_at', 'created_at', 'task_id'],
                    unique=False)
    _fill_groups()
    op.drop_index('ix_open_task_group_due', table_name='open_task')
    op.create_index('ix_open_task_assignee_due', 'open_task',
                    [sa.text('lower(assignee)'), 'due_at', 'created_at', 'task_id'], unique=False)
    _search_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_process_instance_search")
    else:
        for trigger in ('insert', 'update', 'delete'):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    op.drop_index('ix_open_task_assignee_due', table_name='open_task')
    op.create_index('ix_open_task_group_due', 'open_task', ['candidate_group', 'due_at'], unique=False)
    op.drop_index('ix_open_task_group_queue', table_name='open_task_group')
    op.drop_table('open_task_group')
