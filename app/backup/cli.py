"""``flask backup PATH`` and ``flask restore PATH``: the whole database in one zip, and back."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.backup import archive

_KEEP_THE_KEY = (
    "Bewaar ook SECRET_KEY (of instance/secret_key), veilig en los van dit bestand: zonder "
    "die sleutel herkent de site na een herstel lezers, gereserveerde pseudoniemen en "
    "apparaten niet meer."
)
_SAME_KEY = (
    "Gebruik dezelfde SECRET_KEY (of instance/secret_key) als de site waar de kopie vandaan "
    "komt: lezers, gereserveerde pseudoniemen en apparaten zijn met die sleutel vastgelegd."
)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write the whole database to PATH: a zip that any database engine can restore."""
    summary = archive.write_backup(path)
    click.echo(
        f"Reservekopie gemaakt: {_number(summary.total)} rijen uit "
        f"{_number(len(summary.tables))} tabellen in {path} (databaseversie {summary.revision})."
    )
    click.echo(_KEEP_THE_KEY)


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(path: Path) -> None:
    """Restore a backup made by `flask backup` into an empty database at the same revision."""
    summary = archive.restore_backup(path)
    click.echo(
        f"Hersteld: {_number(summary.total)} rijen in {_number(len(summary.tables))} tabellen "
        f"uit {path} (databaseversie {summary.revision})."
    )
    click.echo(
        "De zoekindex zit niet in de reservekopie: bouw hem opnieuw op met `flask search reindex`."
    )
    click.echo(_SAME_KEY)


def _number(count: int) -> str:
    """A count the Dutch way: 12.345."""
    return f"{count:,}".replace(",", ".")
