"""Configuration defaults and the environment variables that override them."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

TILE_PROVIDERS = ("openstreetmap", "none")


def defaults(instance_path: str) -> dict[str, Any]:
    """Return the settings a local checkout runs with when nothing is set."""
    return {
        "SECRET_KEY": "dev",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'atlas.sqlite3'}",
        "CATALOG_DIR": str(ROOT / "data"),
        "GEODATA_DIR": str(ROOT / "geodata"),
        "MAP_TILES": "openstreetmap",
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": 0,  # entries live until the catalog changes
        # a pins body of a 50,000-place catalog is 10 MB: keep the cache small
        "CACHE_THRESHOLD": 32,
    }


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read the documented environment variables (see README) into settings."""
    names = {
        "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
        "SECRET_KEY": "SECRET_KEY",
        "CATALOG_DIR": "CATALOG_DIR",
        "MAP_TILES": "MAP_TILES",
    }
    settings = {key: environ[name] for name, key in names.items() if environ.get(name)}
    if "SQLALCHEMY_DATABASE_URI" in settings:
        settings["SQLALCHEMY_DATABASE_URI"] = database_uri(settings["SQLALCHEMY_DATABASE_URI"])
    return settings


def database_uri(url: str) -> str:
    """Point plain ``postgresql://`` URLs at the psycopg 3 driver we install."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def environ() -> Mapping[str, str]:
    """Return the process environment (a seam for tests)."""
    return os.environ
