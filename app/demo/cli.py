"""``flask demo load``: a Dutch demo community that makes the product clear at first sight."""

from __future__ import annotations

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="De demo-community.")


@demo_cli.command("load")
def load() -> None:
    """Load the demo community (safe to run again: nothing is duplicated)."""
    click.echo("demo: nog niet beschikbaar")
