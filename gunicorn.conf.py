"""gunicorn settings, read from the working directory (the checkout).

Workers build the app themselves (no preload, so ``kill -HUP`` reloads code),
but a worker that refuses its configuration would only be started again and
again: the master builds the app once first, so a bad setting such as a
missing ``SECRET_KEY`` stops gunicorn at once with its one-line message.
The master also compresses the static files and the map's outlines then
(``app/assets.py``, under a second): the workers it forks start with the copies, so
no visitor waits for a file's first compression.
"""


def on_starting(server) -> None:
    from app import assets
    from app import create_app
    from app.views.common import web_outlines

    app = create_app()
    with app.app_context():
        assets.warm([web_outlines()])
