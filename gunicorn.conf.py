"""gunicorn settings, read from the working directory (the checkout).

Workers build the app themselves (no preload, so ``kill -HUP`` reloads code),
but a worker that refuses its configuration would only be started again and
again: the master builds the app once first, so a bad setting such as a
missing ``SECRET_KEY`` stops gunicorn at once with its one-line message.
"""


def on_starting(server) -> None:
    from app import create_app

    create_app()
