"""``flask cijfers tellen``: count every past day into the dashboard's daily aggregates at
once (the worker does it bit by bit on its own)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.dashboard import daily

cli = AppGroup("cijfers", help="De cijfers van de community.")


@cli.command("tellen")
def count_everything() -> None:
    """Count every day up to yesterday again."""
    days = daily.count_all()
    click.echo(f"{days} dagen geteld.")
