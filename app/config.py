"""Configuration, read from environment variables (see the table in README.md)."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.database import normalise_database_url
from app.research import video

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on", "ja"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    return int(raw) if raw else default


def _json_list(env: Mapping[str, str], name: str) -> list[dict[str, Any]] | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be a JSON list of objects: {error}") from error
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError(f"{name} must be a JSON list of objects")
    return value


def load_secret_key(env: Mapping[str, str], instance: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once into the instance folder."""
    from_env = env.get("SECRET_KEY", "").strip()
    if from_env:
        return from_env
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Create with owner-only permissions; never leave the key world-readable.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class Config:
    """Settings for a real server, taken from the environment when the app is created."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = dict(os.environ if environ is None else environ)
        instance = Path(env.get("INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()
        self.INSTANCE_PATH = str(instance)
        self.SECRET_KEY = load_secret_key(env, instance)
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{instance / 'community.db'}"
        )
        # hide_parameters: a database error in the log never repeats what someone wrote or
        # searched for.
        self.SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {
            "pool_pre_ping": True,
            "hide_parameters": True,
        }
        self.SQLITE_BUSY_TIMEOUT_MS = _int(env, "SQLITE_BUSY_TIMEOUT_MS", 15000)
        self.SEARCH_INDEX_DIR = env.get("SEARCH_INDEX_DIR") or str(instance / "search-index")
        self.SEARCH_BACKEND = (env.get("SEARCH_BACKEND") or "whoosh").strip().lower()
        self.SEARCH_BUILD_MEMORY_MB = _int(env, "SEARCH_BUILD_MEMORY_MB", 512)
        # Who applies index changes: "worker" (flask worker) or "web" (a thread in flask serve).
        self.SEARCH_WRITER = (env.get("SEARCH_WRITER") or "worker").strip().lower()
        self.SOCKETIO_MESSAGE_QUEUE = env.get("SOCKETIO_MESSAGE_QUEUE") or None
        # Two communities (or two test runs) on one Redis keep apart by channel.
        self.SOCKETIO_CHANNEL = env.get("SOCKETIO_CHANNEL") or "flask-socketio"
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI") or "memory://"
        self.RATELIMIT_ENABLED = _flag(env, "RATELIMIT_ENABLED", True)
        self.RATELIMIT_HEADERS_ENABLED = True

        self.SITE_NAME = env.get("SITE_NAME") or "Lotgenoten"
        self.QUICK_EXIT_URL = env.get("QUICK_EXIT_URL") or "https://www.google.nl/"
        # Video players research prompts may embed (their privacy-friendly variants only).
        self.RESEARCH_VIDEO_HOSTS = video.hosts_from_setting(env.get("RESEARCH_VIDEO_HOSTS"))
        self.HELP_LINES = _json_list(env, "HELP_LINES")
        self.BASE_URL = (env.get("BASE_URL") or "").rstrip("/")
        self.HOST = env.get("HOST") or "127.0.0.1"
        self.PORT = _int(env, "PORT", 5000)

        self.COOKIE_SECURE = _flag(env, "COOKIE_SECURE", True)
        self.SESSION_COOKIE_SECURE = self.COOKIE_SECURE
        self.SESSION_COOKIE_NAME = "__Host-session" if self.COOKIE_SECURE else "session"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_IDLE_MINUTES = _int(env, "SESSION_IDLE_MINUTES", 120)
        self.SESSION_ABSOLUTE_HOURS = _int(env, "SESSION_ABSOLUTE_HOURS", 12)
        self.REMEMBER_DAYS = _int(env, "REMEMBER_DAYS", 30)
        # Flask-Login's own remember cookie would outlive a server-side logout: never use it.
        self.REMEMBER_COOKIE_DURATION = 0

        self.WTF_CSRF_TIME_LIMIT = _int(env, "CSRF_TIME_LIMIT_SECONDS", 3600 * 12)
        self.WTF_CSRF_SSL_STRICT = False
        self.MAX_CONTENT_LENGTH = _int(env, "MAX_CONTENT_LENGTH", 512 * 1024)
        self.MAX_FORM_MEMORY_SIZE = self.MAX_CONTENT_LENGTH

        self.BABEL_DEFAULT_LOCALE = "nl"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
        self.LANGUAGES = ["nl", "en"]

        self.MAIL_SERVER = env.get("MAIL_SERVER") or ""
        self.MAIL_PORT = _int(env, "MAIL_PORT", 587)
        self.MAIL_USERNAME = env.get("MAIL_USERNAME") or ""
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD") or ""
        self.MAIL_USE_TLS = _flag(env, "MAIL_USE_TLS", True)
        self.MAIL_FROM = env.get("MAIL_FROM") or "noreply@localhost"
        # argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane) unless told more.
        self.ARGON2_MEMORY_KIB = _int(env, "ARGON2_MEMORY_KIB", 19456)
        self.ARGON2_TIME_COST = _int(env, "ARGON2_TIME_COST", 2)
        self.ARGON2_PARALLELISM = _int(env, "ARGON2_PARALLELISM", 1)
        self.PASSWORD_RESET_HOURS = _int(env, "PASSWORD_RESET_HOURS", 2)

        # How long records are kept before the worker removes them (app/retention.py).
        self.RETENTION_NOTIFICATIONS_READ_DAYS = _int(env, "RETENTION_NOTIFICATIONS_READ_DAYS", 90)
        self.RETENTION_NOTIFICATIONS_DAYS = _int(env, "RETENTION_NOTIFICATIONS_DAYS", 365)
        self.RETENTION_READS_DAYS = _int(env, "RETENTION_READS_DAYS", 400)
        self.RETENTION_DEVICE_MARKS_DAYS = _int(env, "RETENTION_DEVICE_MARKS_DAYS", 180)
        # A deleted account's pseudonym is kept from new accounts this long.
        self.PSEUDONYM_RESERVED_DAYS = _int(env, "PSEUDONYM_RESERVED_DAYS", 365)
        self.DEMO_MODE = _flag(env, "DEMO_MODE", False)
        # "production" refuses DEMO_MODE (its accounts share a known password, and its staff
        # need no second step).
        self.ENVIRONMENT = (env.get("ENVIRONMENT") or "development").strip().lower()
        # Staff act only after two-step verification (TOTP). Off only in the test suite.
        self.STAFF_TWO_FACTOR = True
        self.DEMO_PASSWORD = env.get("DEMO_PASSWORD") or ""
        self.LOG_LEVEL = env.get("LOG_LEVEL") or "INFO"
        # "json": one JSON object per line, for production's log collector.
        self.LOG_FORMAT = (env.get("LOG_FORMAT") or "text").strip().lower()
        self.PROCESSES_HINT = _int(env, "WEB_CONCURRENCY", 1)
        self.TESTING = False

    def as_dict(self) -> dict[str, Any]:
        """Return the settings as a plain mapping for ``app.config``."""
        return {key: value for key, value in vars(self).items() if key.isupper()}


class TestConfig(Config):
    """Settings for the test suite: a throwaway instance folder and a known secret."""

    __test__ = False  # not a pytest test class

    def __init__(self, instance: Path, database_url: str | None = None) -> None:
        super().__init__(
            {
                "INSTANCE_PATH": str(instance),
                "SECRET_KEY": "test-secret-key-not-for-production",
                "DATABASE_URL": database_url or f"sqlite:///{instance / 'test.db'}",
            }
        )
        self.TESTING = True
        # Cheaper argon2id parameters keep the suite fast; the algorithm is the same.
        self.ARGON2_MEMORY_KIB = 1024
        self.ARGON2_TIME_COST = 1
        # Most tests share a first story; the moderation tests switch the hold on themselves.
        self.MODERATION_NEW_MEMBER_HELD_POSTS = 0
        # Most tests act as staff straight away; tests/functional/test_two_factor.py asks
        # for the second step, as production does.
        self.STAFF_TWO_FACTOR = False
