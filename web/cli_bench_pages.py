"""``loket bench pages``: every page's server time, single user, on a fresh demo database."""

from __future__ import annotations

import json

import click


@click.command("pages")
@click.option("--rounds", default=20, show_default=True, help="Metingen per pagina.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: één object per pagina en gebruiker.")
@click.option("--database-url", default=None, help="Standaard: een tijdelijke SQLite-database.")
def bench_pages(rounds: int, as_json: bool, database_url: str | None) -> None:
    """Elke pagina die een gebruiker kan openen, per soort gebruiker getimed (doel: p50 ≤ 8 ms)."""
    from web.bench_every_page import format_pages_report, prepared_app, run_pages_bench

    found = run_pages_bench(prepared_app(database_url), rounds=max(1, rounds))
    click.echo(json.dumps([page.as_json() for page in found]) if as_json else format_pages_report(found))
