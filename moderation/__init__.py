"""Moderation: reports, automatic checks before publishing, the review queue and the audit log.

It builds on ``app``'s models and plugs itself in from ``create_app`` through ``init_app``;
``app`` reaches it only through the interfaces it defines (``app.screening``).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the moderation pages and the screener that checks everything published."""
    from app import screening
    from app.worker import Job, register
    from moderation import (
        api_review_routes,  # noqa: F401 (adds its routes to api_bp)
        escalation,
        models,
    )
    from moderation.api_routes import bp as api_bp
    from moderation.figures_routes import bp as figures_bp
    from moderation.keep_out_routes import bp as keep_out_bp
    from moderation.report_routes import bp as reports_bp
    from moderation.routes import bp as moderation_bp
    from moderation.screening import ModerationScreener
    from moderation.statement_routes import bp as statements_bp

    assert models.ModerationItem.__tablename__  # the tables are known to migrations
    app.register_blueprint(moderation_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(figures_bp)
    app.register_blueprint(statements_bp)
    app.register_blueprint(keep_out_bp)
    app.register_blueprint(api_bp)
    screening.use(app, ModerationScreener())
    register(app, Job("moderatie", escalation.escalate))
