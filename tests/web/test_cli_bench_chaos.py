"""``loket bench chaos``, briefly: a few users against ``loket serve`` on a fresh PostgreSQL
database while a site process and the job worker are each killed once with SIGKILL. Both come
back, and afterwards every check passes: confirmed submissions are stored and consistent, the
short timers fired once each, no mail went twice, nothing is stuck."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.conftest import POSTGRES_URL
from web.cli import cli


def test_killing_a_site_process_and_the_worker_leaves_everything_consistent() -> None:
    result = CliRunner().invoke(cli, ["bench", "chaos", "--users", "4", "--seconds", "16", "--kills", "1",
                                      "--think", "0.05-0.3", "--workers", "2", "--json",
                                      "--postgres-url", POSTGRES_URL])
    found = json.loads(result.output.splitlines()[-1] if result.output else "{}")
    assert result.exit_code == 0, found.get("checks", result.output)
    assert found["ok"] is True
    assert sorted(kill["what"] for kill in found["kills"]) == ["site-proces", "worker"]
    assert all(kill["back_after_seconds"] is not None for kill in found["kills"])
    checks = {check["check"]: check for check in found["checks"]}
    assert set(checks) == {"aanmeldingen", "timers", "mail", "vastgelopen"}
    for check in checks.values():
        assert check["failed"] == 0 and check["checked"] > 0, check
    assert found["load"]["confirmed_submissions"] == checks["aanmeldingen"]["checked"]
