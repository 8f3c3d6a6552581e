"""``flask search``: rebuild the index, apply what waits, or see how it is doing."""

from __future__ import annotations

import os

import click
from flask.cli import AppGroup

from app import search
from app.search import documents, indexer

search_cli = AppGroup("search", help="De zoekindex: opnieuw opbouwen, bijwerken, bekijken.")


@search_cli.command("reindex")
@click.option(
    "--processes",
    default=min(4, os.cpu_count() or 1),
    show_default=True,
    help="Processes that analyse text at once (Whoosh).",
)
def reindex(processes: int) -> None:
    """Build the index again from the database; search keeps working meanwhile."""
    engine = search.current_engine()
    total = documents.count_posts()
    with click.progressbar(length=total, label="Zoekindex opbouwen", show_pos=True) as bar:
        count = indexer.rebuild(engine, progress=bar.update, processes=max(1, processes))
    click.echo(f"Klaar: {count} verhalen en reacties in de zoekindex ({engine.name}).")


@search_cli.command("apply")
def apply() -> None:
    """Apply every waiting change to the index now, then stop."""
    engine = search.current_engine()
    done = indexer.run_once(engine)
    click.echo(f"Bijgewerkt: {done}.")


@search_cli.command("status")
def status() -> None:
    """Which engine, how many documents, and how many changes wait."""
    engine = search.current_engine()
    click.echo(f"zoekmachine: {engine.name}")
    click.echo(f"bruikbaar: {'ja' if engine.is_ready() else 'nee'}")
    if engine.is_ready():
        click.echo(f"documenten: {engine.document_count()}")
    click.echo(f"wachtende wijzigingen: {indexer.pending_count()}")
