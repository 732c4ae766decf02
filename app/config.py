"""Configuration defaults and the environment variables that override them."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

TILE_PROVIDERS = ("openstreetmap", "none")


# secret keys that are not secret: production refuses to start with them
PLACEHOLDER_SECRETS = {None, "", "dev"}


# the key `make` writes for a local checkout (never used when SECRET_KEY is set)
LOCAL_SECRET_FILE = "secret_key"


class ConfigError(SystemExit):
    """A setting the site cannot run with; the message says what to set.

    A ``SystemExit``: uncaught, in ``flask`` or ``gunicorn``, it ends the
    process with its one-line message and status 1 instead of a traceback.
    """


def defaults(instance_path: str) -> dict[str, Any]:
    """Return the settings a local checkout runs with when nothing is set."""
    local_secret = Path(instance_path) / LOCAL_SECRET_FILE
    return {
        # a checkout set up by `make` has its own key; tests and debug runs may
        # sign with "dev"; production must set SECRET_KEY
        "SECRET_KEY": local_secret.read_text().strip() if local_secret.is_file() else "dev",
        "HTTPS": False,
        "TRUSTED_HOSTS": None,
        "PROXY_COUNT": 0,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'atlas.sqlite3'}",
        "CATALOG_DIR": str(ROOT / "data"),
        "GEODATA_DIR": str(ROOT / "geodata"),
        "MAP_TILES": "openstreetmap",
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": 0,  # entries live until the catalog changes
        # a pins body of a 50,000-place catalog is 10 MB: keep the cache small
        "CACHE_THRESHOLD": 500,
        "CACHE_KEY_PREFIX": "atlas:",
        # Flask-Limiter's counts (app/suggestions/limits.py): per process unless REDIS_URL
        "RATELIMIT_STORAGE_URI": "memory://",
        # the compiled message catalogs (`make` builds them from translations/*/messages.po)
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "BABEL_DEFAULT_LOCALE": "en",
    }


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read the documented environment variables (see README) into settings."""
    names = {
        "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
        "SECRET_KEY": "SECRET_KEY",
        "CATALOG_DIR": "CATALOG_DIR",
        "MAP_TILES": "MAP_TILES",
    }
    settings: dict[str, Any] = {
        key: environ[name] for name, key in names.items() if environ.get(name)
    }
    if "SECRET_KEY" in environ:
        # an empty SECRET_KEY is a mistake to report, not a setting to skip
        settings["SECRET_KEY"] = environ["SECRET_KEY"]
    if "SQLALCHEMY_DATABASE_URI" in settings:
        settings["SQLALCHEMY_DATABASE_URI"] = database_uri(settings["SQLALCHEMY_DATABASE_URI"])
    if environ.get("HTTPS"):
        settings["HTTPS"] = environ["HTTPS"].lower() in {"1", "true", "yes", "on"}
    if environ.get("TRUSTED_HOSTS"):
        settings["TRUSTED_HOSTS"] = [h.strip() for h in environ["TRUSTED_HOSTS"].split(",")]
    if environ.get("PROXY_COUNT"):
        settings["PROXY_COUNT"] = int(environ["PROXY_COUNT"])
    if environ.get("REDIS_URL"):
        # one cache for every worker and host: a load invalidates them all at once
        settings["CACHE_TYPE"] = "RedisCache"
        settings["CACHE_REDIS_URL"] = environ["REDIS_URL"]
        # and one count of rate limits (suggestions, sign-ins) for all of them
        settings["RATELIMIT_STORAGE_URI"] = environ["REDIS_URL"]
    return settings


def check(settings: Mapping[str, Any], *, debug: bool) -> None:
    """Refuse settings production cannot run with.

    :raise ConfigError: with one line saying what to set.
    """
    if debug or settings.get("TESTING"):
        return
    if settings.get("SECRET_KEY") in PLACEHOLDER_SECRETS:
        raise ConfigError(
            "Error: SECRET_KEY is unset, empty or 'dev': set SECRET_KEY to a long random value, "
            "e.g. export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )


def database_uri(url: str) -> str:
    """Point plain ``postgresql://`` URLs at the psycopg 3 driver we install."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def environ() -> Mapping[str, str]:
    """Return the process environment (a seam for tests)."""
    return os.environ
