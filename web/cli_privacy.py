"""``loket privacy``: apply the retention policy now (the worker does it once a day)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from processes import log_retention, retention
from processes.anonymise import BATCH, apply_all, apply_retention
from web import loket_of


@click.group("privacy")
def privacy_group() -> None:
    """Privacy (AVG): bewaartermijnen toepassen."""


@privacy_group.command("apply")
@click.option("--batch", type=click.IntRange(1, 10_000), default=BATCH, show_default=True,
              help="Hoeveel initiatieven per ronde.")
@click.option("--once", is_flag=True, help="Eén ronde, ook als er daarna nog meer aan de beurt is.")
@with_appcontext
def privacy_apply(batch: int, once: bool) -> None:
    """Verwijder bijlagen en persoonsgegevens van afgesloten initiatieven waarvan de bewaartermijn voorbij is,
    en regels van het inzagelog die ouder zijn dan de termijn van het log."""
    loket = loket_of(current_app)
    for policy in retention.current_policies(loket).values():
        click.echo(f"{policy.category}: bijlagen na {policy.attachments_months} maanden, "
                   f"persoonsgegevens na {policy.anonymise_months} maanden")
    months = log_retention.current_term(loket).months
    removed = log_retention.purge_access_log(loket)
    click.echo(f"Inzagelog: {removed} regel(s) ouder dan {months} maanden verwijderd.")
    run = apply_retention(loket, batch=batch) if once else apply_all(loket, batch=batch)
    click.echo(f"Persoonsgegevens verwijderd: {len(run.anonymised)} initiatief/initiatieven.")
    click.echo(f"Bijlagen verwijderd: {run.documents} bestand(en) bij "
               f"{len(run.attachments) + len(run.anonymised)} initiatief/initiatieven.")
    if run.failed:
        click.echo(f"Niet gelukt (zie het log; de volgende keer opnieuw): {len(run.failed)} initiatief/initiatieven.")
        raise SystemExit(1)
