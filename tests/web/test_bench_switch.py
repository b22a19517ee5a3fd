"""The load benches' switch that lifts the rate limits works only for their own throw-away site."""

from __future__ import annotations

from pathlib import Path

import pytest

from web import create_app


@pytest.mark.parametrize(("switch", "database", "limited"), [
    (None, "loket_load_0a1b2c3d", True),
    ("1", "loket_load_0a1b2c3d", False),
    ("1", "loket", True),  # set by mistake on a real site: the limits stay
    ("yes", "loket_load_0a1b2c3d", True),
])
def test_rate_limits_are_lifted_only_for_a_bench_site(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      switch: str | None, database: str, limited: bool) -> None:
    url = f"sqlite:///{tmp_path}/{database}.sqlite3"
    monkeypatch.setenv("DATABASE_URL", url)
    if switch is None:
        monkeypatch.delenv("LOKET_BENCH_UNLIMITED", raising=False)
    else:
        monkeypatch.setenv("LOKET_BENCH_UNLIMITED", switch)
    app = create_app({"DATABASE_URL": url, "MAIL_FOLDER": str(tmp_path / "mail")})
    assert app.config["RATELIMIT_ENABLED"] is limited
