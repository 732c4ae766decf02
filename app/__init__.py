"""Welcoming Atlas: a map of how US communities welcome immigrants."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the Flask application.

    Settings are layered: safe local defaults, then ``FLASK_*`` variables, then
    the documented variables (``DATABASE_URL``, ``SECRET_KEY``, ...), then
    ``test_config``.

    :raise config.ConfigError: outside debug and testing, for a placeholder ``SECRET_KEY``.
    """
    from app import i18n

    app = i18n.Atlas(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(config.defaults(app.instance_path))
    app.config.from_prefixed_env()
    app.config.from_mapping(config.from_environ(config.environ()))
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config["MAP_TILES"] not in config.TILE_PROVIDERS:
        raise ValueError(
            f"MAP_TILES={app.config['MAP_TILES']!r}: expected one of "
            f"{', '.join(config.TILE_PROVIDERS)}"
        )
    config.check(app.config, debug=app.debug)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        # behind N reverse proxies, trust their X-Forwarded-* (and nobody else's)
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    i18n.init_app(app)

    from app import assets
    from app import cli
    from app import database
    from app import errors
    from app import formatting
    from app import health
    from app import responses
    from app import security
    from app import suggestions
    from app.cache import cache
    from app.models import db
    from app.models import migrate
    from app.views import api
    from app.views import case_studies
    from app.views import categories
    from app.views import downloads
    from app.views import embed
    from app.views import feeds
    from app.views import pages
    from app.views import places
    from app.views import search
    from app.views import states

    security.init_app(app)
    # in this order: their after-request functions run in reverse (see each module)
    responses.init_app(app)
    assets.init_app(app)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", database.engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )
    db.init_app(app)
    with app.app_context():
        database.init_app(app, db.engine)
    health.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    cache.init_app(app)
    for blueprint in (pages.bp, places.bp, categories.bp, case_studies.bp, states.bp, api.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(embed.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(downloads.bp)
    suggestions.init_app(app)
    errors.init_app(app)
    formatting.init_app(app)
    cli.init_app(app)
    return app
