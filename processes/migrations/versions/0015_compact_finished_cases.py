"""cases: finished initiatives stored before keep only the final form of their workflow, and
their sent mails only who got which mail (what engine.final_state and the worker do for every
case that ends from now on); nothing a page, export or report reads goes

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-23 09:00:00
"""
# ruff: noqa: S608 - every statement is made of this revision's constants only (no input reaches it)
import json
import zlib
from typing import Any

import sqlalchemy as sa
import zstandard
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# Frozen copies of engine/final_state.py, engine/compression.py and engine/job_rows.py as they
# were when this revision was written.
FINAL_FORMAT = 'loket-final-1'
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
FINAL_LEVEL = 9
BATCH = 500
TRIM_MAILS = {
    'sqlite': "UPDATE job SET payload = json_remove(payload, '$.context') WHERE kind = 'mail' AND state = 'done' "
              "AND json_type(payload, '$.context') IS NOT NULL AND instance_id IN "
              "(SELECT id FROM process_instance WHERE state <> 'running')",
    'postgresql': "UPDATE job SET payload = (payload::jsonb - 'context')::json WHERE kind = 'mail' "
                  "AND state = 'done' AND payload -> 'context' IS NOT NULL AND instance_id IN "
                  "(SELECT id FROM process_instance WHERE state <> 'running')",
}


def _decompress(blob: bytes) -> bytes:
    if blob[:4] == ZSTD_MAGIC:
        return zstandard.ZstdDecompressor().decompress(blob)
    return zlib.decompress(blob)


def final_form(process_id: str, state: dict[str, Any], case_data: Any) -> dict[str, Any] | None:
    """The final form of a stored full state (None: it is one already, or not a state)."""
    if not isinstance(state, dict) or state.get('format') == FINAL_FORMAT or 'tasks' not in state:
        return None
    form: dict[str, Any] = {'format': FINAL_FORMAT, 'process': process_id, 'success': bool(state.get('success'))}
    last = state['tasks'].get(state.get('last_task') or '')
    if isinstance(last, dict) and last.get('task_spec'):
        form['last'] = last['task_spec']
    data = state.get('data')
    if data and data != case_data:
        form['data'] = data
    return form


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    conn = op.get_bind()
    compressor = zstandard.ZstdCompressor(level=FINAL_LEVEL)
    instances = sa.table('process_instance', sa.column('id'), sa.column('workflow_state'))
    last_id = 0
    while True:
        rows = conn.execute(sa.text(
            "SELECT id, process_id, case_data, workflow_state FROM process_instance "
            "WHERE state <> 'running' AND id > :last ORDER BY id LIMIT :batch"), {'last': last_id, 'batch': BATCH}).all()
        if not rows:
            break
        last_id = rows[-1][0]
        changed = []
        for instance_id, process_id, case_data, blob in rows:
            if not blob:
                continue
            try:
                state = json.loads(_decompress(bytes(blob)))
            except (ValueError, zlib.error, zstandard.ZstdError):
                continue  # not a state this revision knows: left as it is
            form = final_form(process_id, state, _json(case_data))
            if form is not None:
                text = json.dumps(form, separators=(',', ':')).encode('utf-8')
                changed.append({'instance_id': instance_id, 'state': compressor.compress(text)})
        if changed:
            conn.execute(instances.update().where(instances.c.id == sa.bindparam('instance_id'))
                         .values(workflow_state=sa.bindparam('state')), changed)
    conn.execute(sa.text(TRIM_MAILS['postgresql' if conn.dialect.name == 'postgresql' else 'sqlite']))


def downgrade() -> None:
    # The task trees and mail contexts of finished cases are gone; nothing older reads them.
    pass
