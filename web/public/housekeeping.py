"""Regular clean-up the worker runs: personal data we may no longer keep is deleted on time,
not only when someone happens to create a new draft or login link."""

from __future__ import annotations

from engine.service import Engine
from web.public.drafts import purge_expired
from web.public.tokens import purge_expired_tokens


def purge_portal_data(engine: Engine) -> int:
    with engine.db.transaction() as session:
        return purge_expired(session) + purge_expired_tokens(session)
