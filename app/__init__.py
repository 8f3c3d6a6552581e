"""The community server: ``create_app`` wires configuration, extensions and the areas."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import Flask

from app import logs
from app.config import PROJECT_ROOT, Config


def create_app(config: Config | Mapping[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` is a Config object or a mapping of overrides."""
    settings = config if isinstance(config, Config) else Config()
    app = Flask(
        __name__,
        instance_path=settings.INSTANCE_PATH,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings.as_dict())
    app.config.setdefault("TRANSLATIONS_DIR", str(PROJECT_ROOT / "app" / "translations"))
    if isinstance(config, Mapping):
        app.config.update(config)
    if app.config.get("DEMO_MODE") and app.config.get("ENVIRONMENT") == "production":
        raise RuntimeError(
            "DEMO_MODE is not allowed with ENVIRONMENT=production: the demo accounts share a "
            "known password and its staff need no two-step verification."
        )
    logs.configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])

    _init_extensions(app)
    _register_areas(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app import csrf, database, errors, http_headers, i18n, models, templating
    from app.accounts import sessions
    from app.extensions import db, limiter, migrate, socketio
    from app.realtime import recheck

    assert models.__all__  # every table is known before migrations or queries run
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    database.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    sessions.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    http_headers.init_app(app)
    templating.init_app(app)
    socketio.init_app(
        app,
        # Our own client manager: it also checks rooms again after an access change.
        client_manager=recheck.manager_for(
            app.config["SOCKETIO_MESSAGE_QUEUE"], app.config["SOCKETIO_CHANNEL"]
        ),
        async_mode="threading",
        cors_allowed_origins=app.config["BASE_URL"] or None,
        manage_session=False,
    )
    recheck.init_app(app)


def _register_areas(app: Flask) -> None:
    import moderation
    from app import api, retention, search, startup_checks
    from app.accounts import data_export
    from app.accounts.data_export_routes import bp as data_export_bp
    from app.accounts.erasure_routes import bp as erasure_bp
    from app.accounts.routes import bp as accounts_bp
    from app.accounts.token_routes import bp as access_tokens_bp
    from app.accounts.two_factor_routes import bp as two_factor_bp
    from app.audit.routes import bp as audit_bp
    from app.backup.cli import backup_command, restore_command
    from app.blocks.routes import bp as blocks_bp
    from app.dashboard import daily as dashboard_daily
    from app.dashboard.cli import cli as dashboard_cli
    from app.dashboard.routes import bp as dashboard_bp
    from app.demo.cli import demo_cli
    from app.feeds.routes import bp as feeds_bp
    from app.groups.manage_routes import bp as group_admin_bp
    from app.groups.routes import bp as groups_bp
    from app.guarantee import ladder
    from app.guarantee.routes import bp as guarantee_bp
    from app.health.routes import bp as health_bp
    from app.home.routes import bp as home_bp
    from app.notifications.routes import bp as notifications_bp
    from app.onboarding.routes import bp as onboarding_bp
    from app.pages.admin_routes import bp as site_admin_bp
    from app.pages.routes import bp as pages_bp
    from app.realtime import handlers as realtime
    from app.research import programme as research_programme
    from app.research.routes import bp as research_bp
    from app.research.tool_routes import bp as research_tools_bp
    from app.serving import serve
    from app.stories.reaction_routes import bp as reactions_bp
    from app.stories.routes import bp as stories_bp
    from app.worker import Job, register, worker

    for blueprint in (
        home_bp,
        accounts_bp,
        two_factor_bp,
        data_export_bp,
        erasure_bp,
        access_tokens_bp,
        onboarding_bp,
        groups_bp,
        stories_bp,
        reactions_bp,
        feeds_bp,
        notifications_bp,
        pages_bp,
        site_admin_bp,
        guarantee_bp,
        group_admin_bp,
        audit_bp,
        dashboard_bp,
        health_bp,
        blocks_bp,
        research_bp,
        research_tools_bp,
    ):
        app.register_blueprint(blueprint)
    app.cli.add_command(demo_cli)
    app.cli.add_command(dashboard_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(serve)
    app.cli.add_command(worker)
    register(app, Job("reactiegarantie", lambda now: ladder.climb(now).as_dict()))
    register(app, Job("onderzoeksvragen", research_programme.announce_due))
    register(app, Job("bewaartermijnen", retention.purge))
    register(app, Job("gegevensbestanden", data_export.prepare_waiting))
    register(app, Job("dagcijfers", dashboard_daily.keep_up))
    # Last: the heartbeat says a whole round was done.
    register(app, Job("hartslag", _beat))
    startup_checks.init_app(app)
    search.init_app(app)
    api.init_app(app)
    realtime.init_app(app)
    moderation.init_app(app)


def _beat(now: datetime) -> dict[str, int]:
    """The worker's heartbeat, for ``/healthz``."""
    from app.health import checks

    checks.beat(now)
    return {}
