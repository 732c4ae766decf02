"""``flask catalog ...``: validate, load and export the curated catalog."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask import current_app
from flask import url_for
from flask.cli import AppGroup

from app.catalog.files import Catalog
from app.catalog.files import CatalogError
from app.catalog.files import read_catalog
from app.catalog.loader import SchemaMissing
from app.catalog.loader import load_catalog
from app.catalog.queries import export_collection
from app.catalog.report import build_report
from app.catalog.report import report_lines
from app.geo import load_states
from app.health import loaded_digest
from app.models import db

catalog_cli = AppGroup("catalog", help="Validate, load and export the curated catalog.")

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Catalog folder to read (default: CATALOG_DIR, i.e. data/).",
)


def init_app(app: Flask) -> None:
    """Register the ``catalog`` command group."""
    app.cli.add_command(catalog_cli)


def _read(data_dir: Path | None) -> Catalog:
    """Read the catalog or print every problem and exit with status 1."""
    data_dir = data_dir or Path(current_app.config["CATALOG_DIR"])
    if not data_dir.is_dir():
        raise click.UsageError(f"{data_dir} is not a folder")
    try:
        return read_catalog(data_dir, load_states(current_app.config["GEODATA_DIR"]))
    except CatalogError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s) in {data_dir}; nothing was loaded.", err=True)
        raise SystemExit(1) from None


@catalog_cli.command("validate")
@DATA_OPTION
def validate(data_dir: Path | None) -> None:
    """Check every catalog file and report every problem at once."""
    catalog = _read(data_dir)
    click.echo(
        f"Catalog is valid: {len(catalog.records)} initiatives, "
        f"{len(catalog.categories)} categories, {len(catalog.case_studies)} case studies."
    )


@catalog_cli.command("load")
@DATA_OPTION
@click.option(
    "--if-empty",
    is_flag=True,
    help="Load only when the database holds no catalog yet (used by `make`).",
)
def load(data_dir: Path | None, if_empty: bool) -> None:
    """Replace the catalog tables' rows with the catalog, all or nothing."""
    if if_empty and loaded_digest() is not None:
        click.echo("A catalog is loaded already; nothing to do.")
        return
    try:
        summary = load_catalog(db.session, _read(data_dir))
    except SchemaMissing as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Loaded {summary} into {db.engine.url.render_as_string(hide_password=True)}.")


@catalog_cli.command("report")
def report() -> None:
    """Print the data-quality report of the loaded catalog."""
    for line in report_lines(build_report()):
        click.echo(line)


@catalog_cli.command("export")
def export() -> None:
    """Write the loaded catalog to stdout as one GeoJSON FeatureCollection."""
    with current_app.test_request_context():
        collection = export_collection(
            lambda i: url_for("places.detail", slug=i.place_slug, _anchor=i.id)
        )
    click.echo(json.dumps(collection, ensure_ascii=False, indent=1))
