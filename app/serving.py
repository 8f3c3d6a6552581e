"""``flask serve``: the embedded server with Socket.IO, for ``make run`` and small set-ups."""

from __future__ import annotations

import logging
import os

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import socketio
from app.search import current_engine, indexer


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default: HOST or 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default: PORT or 5000).")
@with_appcontext
def serve(host: str | None, port: int | None) -> None:
    """Serve the community with Socket.IO on one process (use gunicorn in production)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    host = host or app.config["HOST"]
    port = port or app.config["PORT"]
    # Werkzeug's request log names the client's IP address; we keep no trace of it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if app.config["SEARCH_WRITER"] == "web":
        # One process in `make run`: it keeps the search index up to date itself.
        indexer.BackgroundWriter(app, current_engine(app)).start()
    click.echo(f" * De community draait op http://{host}:{port}/ (stoppen: Ctrl+C)")
    # Flask refuses app.run() inside a `flask` command unless told this is deliberate.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    socketio.run(
        app,
        host=host,
        port=port,
        debug=False,
        use_reloader=False,
        log_output=False,
        allow_unsafe_werkzeug=True,
    )
