"""`portal load-reference`, `import-kldb`, `municipality` and `programme`: the reference data
on the command line, for scripts (the console has the same for people)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from portal.cli.common import STARTED_IN, bind, settings
from portal.reference import loading, services


@click.command("load-reference")
def load_reference() -> None:
    """Load the occupations that ship with the portal (KldB 2010; safe to run repeatedly)."""
    bind(settings())

    result = asyncio.run(loading.load_reference())
    click.echo(
        f"Occupations: {result.added} added, {result.changed} changed, "
        f"{result.unchanged} unchanged."
    )


@click.command("import-kldb")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_kldb(file: Path) -> None:
    """Import the complete KldB 2010 from the spreadsheet the Bundesagentur für Arbeit publishes.

    Rows that cannot be read are listed and skipped; the others are added or updated.
    """
    bind(settings())

    path = file if file.is_absolute() else STARTED_IN / file
    if not path.is_file():
        raise click.ClickException(f"no such file: {file}")
    try:
        sheet = loading.read_kldb_xlsx(path)
    except services.InvalidInput as exc:
        raise click.ClickException(str(exc)) from None
    for problem in sheet.problems:
        click.echo(f"row {problem.row}: {problem.reason}", err=True)
    if not sheet.rows:
        raise click.ClickException("no occupation could be read from the file")
    result = asyncio.run(loading.load_occupations(sheet.rows))
    click.echo(
        f"Occupations: {len(sheet.rows)} read, {len(sheet.problems)} rows skipped; "
        f"{result.added} added, {result.changed} changed."
    )


@click.group()
def municipality() -> None:
    """The municipalities of the region."""


@municipality.command("add")
@click.argument("name")
@click.option("--ags", default=None, help="Amtlicher Gemeindeschlüssel (8 digits)")
@click.option("--district", default="", help="the district (Landkreis) it belongs to")
def municipality_add(name: str, ags: str | None, district: str) -> None:
    """Add a municipality."""
    bind(settings())

    try:
        added = asyncio.run(services.add_municipality(name, ags=ags, district=district))
    except services.InvalidInput as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Municipality added: {added.name}")


@municipality.command("list")
def municipality_list() -> None:
    """List the municipalities (AGS, name, district)."""
    bind(settings())

    for row in asyncio.run(services.all_municipalities()):
        inactive = "" if row["active"] else "  (inactive)"
        click.echo(f"{row['ags'] or '-':<8}  {row['name']:<30}  {row['district']}{inactive}")


@click.group()
def programme() -> None:
    """The funding programmes cases belong to."""


@programme.command("add")
@click.argument("name")
@click.option("--description", default="", help="a sentence on what the programme does")
def programme_add(name: str, description: str) -> None:
    """Add a programme."""
    bind(settings())

    try:
        added = asyncio.run(services.add_programme(name, description=description))
    except services.InvalidInput as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Programme added: {added.name}")


@programme.command("list")
def programme_list() -> None:
    """List the programmes."""
    bind(settings())

    for row in asyncio.run(services.all_programmes()):
        inactive = "  (inactive)" if not row["active"] else ""
        click.echo(f"{row['name']}{inactive}")
