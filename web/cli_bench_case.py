"""``loket bench case``: whole cases of the bundled models' three paths, engine against raw
SpiffWorkflow, on SQLite and PostgreSQL (:mod:`processes.bench_case`)."""

from __future__ import annotations

import json

import click


@click.command("case")
@click.option("--json", "as_json", is_flag=True, help="Print één JSON-object.")
@click.option("--rounds", default=20, show_default=True, help="Rondes per pad (mediaan).")
@click.option("--postgres-url", default=None, help="PostgreSQL-server (er wordt een verse database gemaakt).")
@click.option("--no-postgres", is_flag=True, help="Alleen SQLite.")
def bench_case(as_json: bool, rounds: int, postgres_url: str | None, no_postgres: bool) -> None:
    """Hele zaken (complex, wijkwens, eenvoudig): engine tegen ruw SpiffWorkflow, en bytes per zaak."""
    from processes.bench_case import format_case_report, run_case_bench

    report = run_case_bench(rounds=max(1, rounds), postgres_url="none" if no_postgres else postgres_url)
    click.echo(json.dumps(report) if as_json else format_case_report(report))
