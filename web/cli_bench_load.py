"""``loket bench load`` (many simulated users against the site as served in production) and
``loket bench chaos`` (the same under killed processes, then consistency checks)."""

from __future__ import annotations

import json
from collections.abc import Callable

import click


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        found = (float(low), float(high or low))
    except ValueError:
        raise click.BadParameter("verwacht min-max, bijvoorbeeld 1-3") from None
    if not 0 <= found[0] <= found[1]:
        raise click.BadParameter("verwacht 0 ≤ min ≤ max")
    return found


def _site_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options both benches share: output, the database server, the site and the users' pace."""
    for option in reversed([
        click.option("--json", "as_json", is_flag=True, help="Print één JSON-object."),
        click.option("--postgres-url", default=None,
                     help="PostgreSQL-server (standaard LOKET_TEST_POSTGRES_URL of lokaal)."),
        click.option("--workers", default=None, type=click.IntRange(1, 32),
                     help="Processen van de website (standaard als loket serve)."),
        click.option("--think", default="1-3", show_default=True, hidden=True,
                     callback=lambda _c, _p, v: _think(v),
                     help="Bedenktijd tussen pagina's in seconden, min-max (korter alleen voor tests)."),
    ]):
        command = option(command)
    return command


@click.command("load")
@click.option("--users", default=200, show_default=True, type=click.IntRange(1, 2000), help="Gesimuleerde gebruikers.")
@click.option("--seconds", default=60.0, show_default=True, type=click.FloatRange(1, 3600), help="Duur van de meting.")
@_site_options
def bench_load(users: int, seconds: float, as_json: bool, postgres_url: str | None, workers: int | None,
               think: tuple[float, float]) -> None:
    """Gebruikers die aanmelden, hun status bekijken, taken afronden en zoeken, tegen `loket serve` op een
    nieuwe PostgreSQL-database (doel op 2 kernen: p95 ≤ 100 ms per stap, 0 fouten)."""
    from processes.bench_load import run_load_bench
    from processes.bench_stats import format_summary

    found = run_load_bench(users, seconds, postgres_url, workers, think)
    click.echo(json.dumps(found) if as_json else format_summary(found))


@click.command("chaos")
@click.option("--seconds", default=60.0, show_default=True, type=click.FloatRange(10, 3600),
              help="Duur van de belasting.")
@click.option("--users", default=40, show_default=True, type=click.IntRange(1, 2000), help="Gesimuleerde gebruikers.")
@click.option("--kills", default=3, show_default=True, type=click.IntRange(1, 100),
              help="Hoe vaak een site-proces en de worker gedood worden.")
@_site_options
def bench_chaos(seconds: float, users: int, kills: int, as_json: bool, postgres_url: str | None,
                workers: int | None, think: tuple[float, float]) -> None:
    """Belasting terwijl site-processen en de worker met SIGKILL gedood worden; daarna controles: elke bevestigde
    aanmelding klopt, elke timer vuurde één keer, geen mail dubbel, niets vastgelopen. Exit 1 als iets niet klopt."""
    from processes.bench_chaos import format_chaos_report, run_chaos_bench

    found = run_chaos_bench(seconds, users, kills, postgres_url, workers, think)
    click.echo(json.dumps(found) if as_json else format_chaos_report(found))
    if not found["ok"]:
        raise SystemExit(1)
