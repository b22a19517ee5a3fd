"""The ``loket`` command: a Flask CLI group (run, db, worker, models, demo, report, bench)."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app, session
from flask.cli import FlaskGroup, with_appcontext

from engine import (
    ModelInvalid,
    format_bench_report,
    read_bundle_files,
    run_engine_bench,
    validate_paths,
)
from processes import MODELS_DIR, moving, replay, scenarios, studio
from processes.handlers import handlers
from processes.housekeeping import notify_staff, work
from processes.loket import bundle_catalog_for
from processes.notifications import send_digests
from processes.schema import upgrade_database
from web import create_app, engine_of, loket_of
from web.cli_bench_case import bench_case
from web.cli_bench_load import bench_chaos, bench_load
from web.cli_bench_pages import bench_pages
from web.cli_privacy import privacy_group
from web.cli_serve import COMMANDS, job_retention_of, stop_on_signals


def _create_app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def cli() -> None:
    """Initiatievenloket: beheer en gebruik vanaf de opdrachtregel."""


for command in COMMANDS:  # loket run, loket serve, loket jobs
    cli.add_command(command)


@cli.group("db")
def db_group() -> None:
    """Database."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Breng de database naar de nieuwste versie."""
    upgrade_database(current_app.config["DATABASE_URL"])
    counted = loket_of(current_app).engine.fill_running_counts()
    if counted is not None:
        click.echo(f"Lopende initiatieven per versie geteld: {counted}.")
    from processes.facts import fill_facts

    if (filled := fill_facts(loket_of(current_app).engine)) is not None:
        click.echo(f"Cijfers voor de monitor bijgewerkt: {filled} initiatieven.")
    click.echo("Database is bijgewerkt.")


@cli.command("backup")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Het bestand voor de reservekopie (bevat persoonsgegevens).")
@with_appcontext
def backup_command(out: Path) -> None:
    """Maak een reservekopie van de hele database (SQLite of PostgreSQL)."""
    from processes import backup

    try:
        backup.backup(current_app.config["DATABASE_URL"], out)
    except backup.BackupFailed as failed:
        click.echo(str(failed))
        sys.exit(1)
    click.echo(f"Reservekopie gemaakt: {out}")


@cli.command("restore")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--yes", "-y", "confirmed", is_flag=True, help="Niet vragen, meteen terugzetten.")
@with_appcontext
def restore_command(source: Path, confirmed: bool) -> None:
    """Zet een reservekopie terug: alles in de database wordt vervangen (stop eerst de website en de workers)."""
    from processes import backup

    if not confirmed:
        click.confirm("Alles in de database wordt vervangen door de reservekopie. Doorgaan?", abort=True)
    engine_of(current_app).db.dispose()  # this process holds no connection during the restore
    try:
        backup.restore(current_app.config["DATABASE_URL"], source)
    except backup.BackupFailed as failed:
        click.echo(str(failed))
        sys.exit(1)
    click.echo(f"Reservekopie teruggezet uit {source}. Draai daarna `loket db upgrade` als de kopie van een "
               "eerdere versie van het loket is.")


@cli.command("worker")
@click.option("--once", is_flag=True, help="Voer de jobs uit die nu klaarstaan en stop.")
@click.option("--id", "worker_id", default=None, help="Naam van deze worker.")
@with_appcontext
def worker_command(once: bool, worker_id: str | None) -> None:
    """Voer timers, servicetaken en uitgaande mail uit."""
    loket = loket_of(current_app)
    engine = loket.engine
    name = worker_id or f"worker-{os.getpid()}"
    if once:
        notify_staff(loket)
        ran = engine.run_due_jobs(worker_id=name, limit=10_000)
        click.echo(f"{ran} job(s) uitgevoerd.")
        return
    click.echo(f"Worker {name} gestart.")
    work(loket, name, job_retention=job_retention_of(current_app), stop=stop_on_signals())
    click.echo(f"Worker {name} gestopt.")


@cli.command("meldingen")
@click.option("--overzicht-nu", "digest_now", is_flag=True,
              help="Stuur de teams met een dagelijks overzicht hun overzicht nu (anders alleen als het tijd is).")
@with_appcontext
def notifications_command(digest_now: bool) -> None:
    """Meld nieuwe taken aan medewerkers en teams en stuur de dagelijkse overzichten (de worker doet dit ook)."""
    loket = loket_of(current_app)
    queued = notify_staff(loket)
    if digest_now:
        queued += send_digests(loket, force=True)
    ran = loket.engine.run_due_jobs(worker_id=f"meldingen-{os.getpid()}", limit=10_000)
    click.echo(f"{queued} melding(en) klaargezet, {ran} job(s) uitgevoerd.")


@cli.group("models")
def models_group() -> None:
    """BPMN- en DMN-modellen."""


@models_group.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
def models_validate(paths: tuple[Path, ...], lang: str) -> None:
    """Controleer modellen; exit 1 als er problemen zijn."""
    targets = list(paths) or [MODELS_DIR]
    shipped = bundle_catalog_for()({})
    found = validate_paths(targets, form_exists=shipped.exists, handler_exists=handlers.__contains__,
                           form_fields=shipped.fields, catalog_for=bundle_catalog_for())
    for problem in found:
        click.echo(("" if problem.blocking else "Let op: " if lang == "nl" else "Note: ") + problem.format(lang))
    problems = [problem for problem in found if problem.blocking]
    if problems:
        word = "probleem" if len(problems) == 1 else "problemen"
        click.echo(f"{len(problems)} {word} gevonden." if lang == "nl" else f"{len(problems)} problem(s) found.")
        sys.exit(1)
    click.echo("Geen problemen gevonden." if lang == "nl" else "No problems found.")


@models_group.command("test")
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True, file_okay=False))
def models_test(path: Path | None) -> None:
    """Draai de scenario's (scenarios/*.json) in het geheugen; exit 1 als er een mislukt."""
    outcomes, broken = scenarios.run_folder(path or MODELS_DIR, bundle_catalog_for())
    for outcome in outcomes:
        verdict = "geslaagd" if outcome.passed else f"MISLUKT: {outcome.difference}"
        click.echo(f"{outcome.scenario.file} ({outcome.scenario.name}): {verdict}")
    for name, message in broken.items():
        click.echo(f"{name}: MISLUKT: dit scenario klopt niet: {message}")
    failed = sum(not outcome.passed for outcome in outcomes) + len(broken)
    click.echo(f"{len(outcomes) + len(broken) - failed} passed, {failed} failed")
    if failed:
        sys.exit(1)


@models_group.command("replay")
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True))
@click.option("--van", "since", type=click.DateTime(["%Y-%m-%d"]), help="Vanaf deze dag (JJJJ-MM-DD).")
@click.option("--tot", "until", type=click.DateTime(["%Y-%m-%d"]), help="Tot en met deze dag.")
@with_appcontext
def models_replay(path: Path | None, since: datetime | None, until: datetime | None) -> None:
    """Welke eerdere initiatieven krijgen met de beslistabel in PATH een andere categorie?"""
    loket = loket_of(current_app)
    target = path or MODELS_DIR
    changed = read_bundle_files(target) if target.is_dir() else {target.name: target.read_bytes()}
    try:
        report = replay.replay(loket, changed, studio.bundle_in_use(loket), since=since and since.date(),
                               until=until and until.date())
    except replay.DecisionUnusable as unusable:
        click.echo(str(unusable))
        sys.exit(1)
    click.echo(f"{report.total} initiatieven opnieuw beslist in {report.seconds:.2f} s; "
               f"{report.switched} krijgen een andere categorie.")
    for name, (before, after) in report.per_category.items():
        click.echo(f"  {name}: {before} -> {after}")
    for switch in report.switches:
        click.echo(f"  {switch.case_ref}: {switch.before} ({switch.before_rule}) -> {switch.after} "
                   f"({switch.after_rule})")
    if report.unreadable:
        click.echo(f"{report.unreadable} initiatieven hadden niet alle antwoorden die de tabel nodig heeft.")


@models_group.command("migrate")
@click.option("--process", "process_id", required=True, help="Het proces, bijvoorbeeld complex.")
@click.option("--to-version", "version_no", required=True, type=int, help="Het versienummer.")
@click.option("--dry-run", is_flag=True, help="Alleen laten zien wat er zou gebeuren.")
@click.option("--case", "case_refs", multiple=True, help="Alleen dit initiatief (vaker te geven).")
@click.option("--at", "at", default=None, help="Alleen initiatieven die bij deze stap zijn (element-id).")
@with_appcontext
def models_migrate(process_id: str, version_no: int, dry_run: bool, case_refs: tuple[str, ...],
                   at: str | None) -> None:
    """Zet lopende initiatieven over op een andere versie (met --dry-run: alleen kijken)."""
    loket = loket_of(current_app)
    try:
        to = moving.target(loket, process_id, version_no)
    except moving.InvalidInput:
        click.echo(f"{process_id} heeft geen versie {version_no}.")
        sys.exit(1)
    checks = moving.candidates(loket, to, case_refs=case_refs, at=at)
    if dry_run:
        for check in checks:
            click.echo(f"{check.case_ref} (bij {', '.join(check.at) or '-'}): "
                       + ("kan mee" if check.can_move else f"kan niet mee: {check.reason}"))
        click.echo(f"{sum(c.can_move for c in checks)} van {len(checks)} initiatieven kunnen naar {to.label}.")
        return
    moved = moving.move(loket, to, checks, actor="procesbeheerder (CLI)")
    for result in moved:
        outcome = "overgezet" if result.reason is None else f"niet overgezet: {result.reason}"
        click.echo(f"{result.case_ref}: {outcome}")
    click.echo(f"{sum(r.reason is None for r in moved)} van {len(moved)} initiatieven overgezet naar {to.label}.")


@models_group.command("deploy")
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True))
@click.option("--actor", default="procesbeheerder")
@click.option("--reden", "reason", default=None, help="Waarom toch in gebruik nemen als scenario's mislukken.")
@with_appcontext
def models_deploy(path: Path | None, actor: str, reason: str | None) -> None:
    """Zet de modellen in een map in gebruik (nieuwe versie alleen als er iets veranderd is)."""
    try:
        result = studio.deploy_directory(loket_of(current_app), path or MODELS_DIR, actor=actor, reason=reason)
    except ModelInvalid as exc:
        for problem in exc.problems:
            click.echo(problem.format("nl"))
        click.echo("Niets in gebruik genomen.")
        sys.exit(1)
    for version in result.versions:
        state = "nieuw" if version.new else "ongewijzigd"
        click.echo(f"{version.process_id}: versie {version.version_no} ({state})")


@models_group.command("list")
@with_appcontext
def models_list() -> None:
    """Toon de processen die in gebruik zijn."""
    from sqlalchemy import select

    from engine import ModelVersion

    engine = engine_of(current_app)
    with engine.reading() as session:
        rows = session.execute(
            select(ModelVersion.process_id, ModelVersion.version_no, ModelVersion.deployed_at)
            .order_by(ModelVersion.process_id, ModelVersion.version_no)
        ).all()
    for process_id, version_no, deployed_at in rows:
        click.echo(f"{process_id}\tversie {version_no}\t{deployed_at:%Y-%m-%d %H:%M}")


@cli.command("demo")
@click.option("--cases", type=click.IntRange(0, 1_000_000), default=0,
              help="Maak daarnaast zoveel initiatieven met een geschiedenis over de afgelopen maanden.")
@with_appcontext
def demo_command(cases: int) -> None:
    """Laad demogegevens (één keer); met --cases N ook N initiatieven met een geschiedenis."""
    from processes.demo.cases import load_demo

    app_loket = loket_of(current_app)
    created = load_demo(app_loket, report=click.echo)
    click.echo("Demogegevens geladen." if created else "Demogegevens waren al geladen.")
    if cases:
        from processes.demo.cases import has_real_cases
        from processes.monitoring.history import generate

        if has_real_cases(app_loket):
            raise click.ClickException("Deze database bevat echte initiatieven: er worden geen demogegevens gemaakt.")
        generate(app_loket, cases, progress=lambda done: click.echo(f"{done} van {cases} initiatieven gemaakt"))
        click.echo(f"{cases} initiatieven met een geschiedenis gemaakt.")


@cli.command("report")
@click.option("--from", "since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Eerste dag (JJJJ-MM-DD).")
@click.option("--to", "until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Laatste dag (JJJJ-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "xlsx", "csv"]), default="pdf", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Het bestand om te maken.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@with_appcontext
def report_command(since: datetime | None, until: datetime | None, fmt: str, out: Path, lang: str) -> None:
    """Het evaluatierapport (pdf, html) of de cijfers (xlsx: initiatieven en stappen; csv: initiatieven)."""
    from processes.monitoring import Filters
    from web.staff.monitor_report import report

    filters = Filters(since.date() if since else None, until.date() if until else None)
    if filters.since and filters.until and filters.since > filters.until:
        raise click.BadParameter("--from ligt na --to.")
    with current_app.test_request_context("/"):
        session["lang"] = lang
        content = report(loket_of(current_app), fmt, filters)
    out.write_bytes(content)
    click.echo(f"{out} gemaakt ({len(content)} bytes).")


@cli.group("bench")
def bench_group() -> None:
    """Metingen."""


bench_group.add_command(bench_pages)
bench_group.add_command(bench_load)
bench_group.add_command(bench_chaos)
bench_group.add_command(bench_case)


@bench_group.command("engine")
@click.option("--json", "as_json", is_flag=True, help="Print één JSON-object.")
@click.option("--rounds", default=300, show_default=True)
@click.option("--postgres-url", default=None, help="Standaard: LOKET_TEST_POSTGRES_URL.")
@click.option("--no-postgres", is_flag=True, help="Sla PostgreSQL over.")
def bench_engine(as_json: bool, rounds: int, postgres_url: str | None, no_postgres: bool) -> None:
    """Ruwe SpiffWorkflow tegen de opgeslagen engine, op SQLite en PostgreSQL."""
    report = run_engine_bench(rounds=rounds, postgres_url="none" if no_postgres else postgres_url)
    click.echo(json.dumps(report) if as_json else format_bench_report(report))


@bench_group.command("replay")
@click.option("--cases", default=100_000, show_default=True)
@click.option("--postgres-url", default=None, help="Standaard: LOKET_TEST_POSTGRES_URL.")
@click.option("--no-postgres", is_flag=True, help="Sla PostgreSQL over.")
def bench_replay(cases: int, postgres_url: str | None, no_postgres: bool) -> None:
    """Een gewijzigde beslistabel opnieuw toepassen op eerdere initiatieven, getimed."""
    from processes.bench_replay import format_replay_report, run_replay_bench

    click.echo(format_replay_report(run_replay_bench(cases, "none" if no_postgres else postgres_url)))


@bench_group.command("waiting")
@click.option("--cases", default=100_000, show_default=True)
@click.option("--postgres-url", default=None, help="Standaard: LOKET_TEST_POSTGRES_URL.")
@click.option("--no-postgres", is_flag=True, help="Sla PostgreSQL over.")
def bench_waiting(cases: int, postgres_url: str | None, no_postgres: bool) -> None:
    """Het overzicht van waar initiatieven wachten, op de geschiedenis van een hele proef, getimed."""
    from processes.bench_waiting import format_waiting_report, run_waiting_bench

    click.echo(format_waiting_report(run_waiting_bench(cases, "none" if no_postgres else postgres_url)))


@bench_group.command("dashboard")
@click.option("--sizes", default="1000,100000", show_default=True, help="Aantallen initiatieven, met komma's.")
@click.option("--rounds", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print één JSON-object: per weergave p50/p95 per aantal.")
@click.option("--postgres-url", default=None, help="Standaard: LOKET_TEST_POSTGRES_URL.")
def bench_dashboard(sizes: str, rounds: int, as_json: bool, postgres_url: str | None) -> None:
    """Elke weergave van de monitor en elke download getimed op PostgreSQL, bij elk aantal initiatieven."""
    from processes.monitoring.bench import format_dashboard_report, run_dashboard_bench

    try:
        counts = tuple(sorted({int(part) for part in sizes.split(",") if part.strip()}))
    except ValueError as exc:
        raise click.BadParameter("Geef aantallen als 1000,100000.") from exc
    if not counts or min(counts) < 1:
        raise click.BadParameter("Geef aantallen als 1000,100000.")
    found = run_dashboard_bench(counts, rounds=rounds, postgres_url=postgres_url)
    click.echo(json.dumps(found) if as_json else format_dashboard_report(found))


@bench_group.command("scale")
@click.option("--sizes", default="1000,100000", show_default=True, help="Aantallen initiatieven, met komma's.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: één object per pagina.")
@click.option("--rounds", default=30, show_default=True)
@click.option("--postgres-url", default=None, help="Standaard: LOKET_TEST_POSTGRES_URL.")
def bench_scale(sizes: str, as_json: bool, rounds: int, postgres_url: str | None) -> None:
    """Elke medewerkerspagina getimed bij elke omvang op PostgreSQL, met de verhouding grootste/kleinste."""
    from processes.bench_scale import format_scale_report, ratios, run_scale_bench
    from web.bench_pages import SitePages

    try:
        wanted = tuple(sorted({int(part) for part in sizes.split(",") if part.strip()}))
    except ValueError:
        raise click.BadParameter("geef aantallen zoals 1000,100000", param_hint="--sizes") from None
    if not wanted or min(wanted) < 30:
        raise click.BadParameter("elke omvang is minstens 30 initiatieven", param_hint="--sizes")
    found = run_scale_bench(wanted, SitePages, rounds=rounds, postgres_url=postgres_url)
    click.echo(json.dumps(ratios(found)) if as_json else format_scale_report(found))


cli.add_command(privacy_group)


def main() -> None:
    cli(prog_name="loket")
