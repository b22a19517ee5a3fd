"""``loket privacy apply``: applies the retention policy now, says what it did, and a second run
finds nothing left to do."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from flask import Flask

from engine import clock
from processes.personal_data import MARKER
from tests.processes.factories import INITIATOR
from tests.web.staff.support import GROEN, green_case
from web import engine_of
from web.cli import cli


def test_privacy_apply_anonymises_what_is_due(app: Flask) -> None:
    engine = engine_of(app)
    case = green_case(engine)
    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                       "afspraken": "Onderhoud door de buurt."}, actor=GROEN)
    case.complete("tevredenheid", {"tevredenheid_score": 4}, actor=INITIATOR)
    clock.set_time(clock.now() + timedelta(days=800))
    env = {"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test"}

    first = CliRunner().invoke(cli, ["privacy", "apply"], env=env)

    assert first.exit_code == 0, first.output
    assert "eenvoudig: bijlagen na 12 maanden, persoonsgegevens na 24 maanden" in first.output
    assert "Persoonsgegevens verwijderd: 1 initiatief" in first.output
    assert "Inzagelog: 0 regel(s) ouder dan 24 maanden verwijderd." in first.output
    assert case.refresh().data["naam"] == MARKER
    second = CliRunner().invoke(cli, ["privacy", "apply", "--once"], env=env)
    assert second.exit_code == 0 and "Persoonsgegevens verwijderd: 0 initiatief" in second.output
