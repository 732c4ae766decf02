import pytest

from app import config
from app import create_app


def test_defaults_use_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.setattr(config, "environ", lambda: {"SECRET_KEY": "s3cret"})
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/atlas.sqlite3")
    assert app.config["MAP_TILES"] == "openstreetmap"
    assert app.config["CACHE_TYPE"] == "SimpleCache"
    assert not app.config["HTTPS"]
    assert not app.testing


@pytest.mark.parametrize("environ", [{}, {"SECRET_KEY": ""}, {"SECRET_KEY": "dev"}])
def test_production_refuses_a_placeholder_secret_key(monkeypatch, environ):
    monkeypatch.setattr(config, "environ", lambda: environ)
    # a checkout that `make` has set up has its own key under instance/
    monkeypatch.setattr(config, "LOCAL_SECRET_FILE", "no-such-file")
    with pytest.raises(config.ConfigError, match="set SECRET_KEY to a long random value") as info:
        create_app()
    assert "\n" not in str(info.value)
    assert isinstance(info.value, SystemExit)  # uncaught, the message ends the process


def test_a_local_checkout_uses_the_key_make_wrote(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "environ", lambda: {})
    (tmp_path / config.LOCAL_SECRET_FILE).write_text("0123abcd\n")
    assert config.defaults(str(tmp_path))["SECRET_KEY"] == "0123abcd"


def test_debug_and_testing_may_use_the_development_key(monkeypatch):
    monkeypatch.setattr(config, "environ", lambda: {})
    monkeypatch.setattr(config, "LOCAL_SECRET_FILE", "no-such-file")
    assert create_app({"TESTING": True}).config["SECRET_KEY"] == "dev"
    assert create_app({"DEBUG": True}).config["SECRET_KEY"] == "dev"


def test_deployment_variables_are_read(monkeypatch):
    environ = {
        "SECRET_KEY": "s3cret",
        "HTTPS": "1",
        "TRUSTED_HOSTS": "atlas.example.org, .example.net",
        "PROXY_COUNT": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    monkeypatch.setattr(config, "environ", lambda: environ)
    app = create_app()
    assert app.config["HTTPS"] is True
    assert app.config["TRUSTED_HOSTS"] == ["atlas.example.org", ".example.net"]
    assert app.config["CACHE_TYPE"] == "RedisCache"
    assert app.config["CACHE_REDIS_URL"] == "redis://127.0.0.1:6379/0"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_test_config_overrides_defaults():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_environment_variables_override_defaults(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/atlas")
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("MAP_TILES", "none")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://postgres@127.0.0.1:5432/atlas"
    )
    assert app.config["SECRET_KEY"] == "s3cret"
    assert app.config["MAP_TILES"] == "none"


def test_flask_prefixed_variables_are_read(monkeypatch):
    monkeypatch.setattr(config, "environ", lambda: {"SECRET_KEY": "s3cret"})
    monkeypatch.setenv("FLASK_CATALOG_DIR", "/tmp/elsewhere")
    assert create_app().config["CATALOG_DIR"] == "/tmp/elsewhere"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_are_pointed_at_the_installed_driver(url, expected):
    assert config.database_uri(url) == expected


def test_unknown_tile_setting_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="openstreetmap, none"):
        create_app({"TESTING": True, "MAP_TILES": "satellite"})
