"""The files in use are kept per bundle content hash (processes.studio): every caller gets its
own copy, and a deployment with other content is read at once."""

from __future__ import annotations

from processes import MODELS_DIR, studio
from tests.factories import loket_for
from tests.processes.factories import create_loket_engine

WIJKWENS = "wijkwens.bpmn"


def test_each_caller_gets_its_own_copy_and_a_new_deployment_is_seen_at_once(database_url: str) -> None:
    engine, _mailer = create_loket_engine(database_url)
    loket = loket_for(engine)
    first = studio.bundle_in_use(loket)
    first["kladblok.bpmn"] = b"changed by a caller"
    assert "kladblok.bpmn" not in studio.bundle_in_use(loket), "a caller's change stays its own"
    in_use = [name for name in studio.files_in_use(loket) if name.endswith(WIJKWENS)]
    assert in_use
    original = (MODELS_DIR / WIJKWENS).read_bytes()
    changed = original.replace(b"De regiegroep van uw wijk beoordeelt uw wijkwens.",
                               b"De regiegroep van uw wijk kijkt naar uw wijkwens.")
    assert changed != original and studio.file_in_use(loket, in_use[0]) == original
    files = studio.bundle_in_use(loket)
    files[in_use[0]] = changed
    engine.deploy_files(files, actor="test")
    assert studio.file_in_use(loket, in_use[0]) == changed, "the new bundle's content, not the kept one"
    engine.db.dispose()
