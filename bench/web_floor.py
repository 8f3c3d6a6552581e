"""The floor of ``bench.web``: the least a Flask page on this stack can cost.

One route that runs the same primary-key query as the story page (``db.session.get`` of a
story, on the same engine with the same settings) and renders a trivial template, served by
the same gunicorn set-up. Every real page's throughput is reported as a fraction of this.
"""

from __future__ import annotations

from flask import Flask, abort, render_template_string

import app.models  # noqa: F401 (every mapped class, so that relationships resolve)
from app import database
from app.config import Config
from app.extensions import db
from app.stories.models import Story

TEMPLATE = "<!doctype html><title>{{ story.title }}</title><h1>{{ story.title }}</h1>"


def create_app() -> Flask:
    """The minimal app: configuration from the environment, as the real app reads it."""
    config = Config()
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=config.SECRET_KEY,
        SQLALCHEMY_DATABASE_URI=config.SQLALCHEMY_DATABASE_URI,
        SQLALCHEMY_ENGINE_OPTIONS=config.SQLALCHEMY_ENGINE_OPTIONS,
        SQLITE_BUSY_TIMEOUT_MS=config.SQLITE_BUSY_TIMEOUT_MS,
    )
    db.init_app(app)
    database.init_app(app)

    @app.get("/verhalen/<int:story_id>")
    def story(story_id: int) -> str:
        found = db.session.get(Story, story_id)
        if found is None:
            abort(404)
        return render_template_string(TEMPLATE, story=found)

    return app
