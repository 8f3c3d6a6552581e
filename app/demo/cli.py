"""``flask demo load``: a Dutch demo community that makes the product clear at first sight."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.demo import loader

demo_cli = AppGroup("demo", help="De demo-community.")


@demo_cli.command("load")
def load() -> None:
    """Load the demo community (safe to run again: nothing is duplicated)."""
    try:
        report = loader.load()
    except loader.DemoConflict as conflict:
        raise click.ClickException(str(conflict)) from conflict
    counts = loader.count_rows()
    click.echo(
        f"Demo-community geladen. Nieuw: {report.groups_added} groepen, "
        f"{report.members_added} leden, {report.stories_added} verhalen, "
        f"{report.replies_added} reacties."
    )
    click.echo(
        f"In de database: {counts['groups']} groepen, {counts['users']} accounts, "
        f"{counts['stories']} verhalen, {counts['replies']} reacties."
    )
    names = loader.demo_account_names()
    if current_app.config.get("DEMO_MODE"):
        click.echo("")
        click.echo("Demo-accounts om mee in te loggen:")
        width = max(len(name) for name, _ in names)
        for name, purpose in names:
            click.echo(f"  {name.ljust(width)}  {purpose}")
        click.echo("")
        click.echo(f"Wachtwoord (voor alle demo-accounts): {report.password.value}")
        click.echo("De schrijvers van de demoverhalen hebben hetzelfde wachtwoord.")
    else:
        click.echo(
            "Er bestaan demo-accounts ("
            + ", ".join(name for name, _ in names)
            + "). Het wachtwoord wordt alleen getoond met DEMO_MODE=1."
        )
        if report.password.source == "config":
            click.echo("Het wachtwoord is de waarde van DEMO_PASSWORD.")
        else:
            click.echo(f"Het wachtwoord staat in {loader.password_file()}.")
    if report.password_updated:
        click.echo("Het wachtwoord van de bestaande demo-accounts is bijgewerkt.")
