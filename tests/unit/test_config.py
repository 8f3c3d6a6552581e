import stat

from app.config import Config


def test_a_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = Config({"INSTANCE_PATH": str(tmp_path)})
    second = Config({"INSTANCE_PATH": str(tmp_path)})
    assert len(first.SECRET_KEY) >= 64
    assert first.SECRET_KEY == second.SECRET_KEY
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_the_environment_wins(tmp_path):
    config = Config(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "from-env",
            "DATABASE_URL": "postgres://u@h/db",
            "PORT": "5123",
            "HOST": "0.0.0.0",
            "SOCKETIO_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
            "SEARCH_INDEX_DIR": "/tmp/elders",
        }
    )
    assert config.SECRET_KEY == "from-env"
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@h/db"
    assert (config.HOST, config.PORT) == ("0.0.0.0", 5123)
    assert config.SOCKETIO_MESSAGE_QUEUE == "redis://127.0.0.1:6379/0"
    assert config.SEARCH_INDEX_DIR == "/tmp/elders"


def test_the_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    config = Config({"INSTANCE_PATH": str(tmp_path)})
    assert config.SQLALCHEMY_DATABASE_URI == f"sqlite:///{tmp_path / 'community.db'}"


def test_cookies_are_secure_and_host_prefixed_unless_switched_off(tmp_path):
    secure = Config({"INSTANCE_PATH": str(tmp_path)})
    assert secure.SESSION_COOKIE_SECURE and secure.SESSION_COOKIE_NAME == "__Host-session"
    plain = Config({"INSTANCE_PATH": str(tmp_path), "COOKIE_SECURE": "0"})
    assert not plain.SESSION_COOKIE_SECURE and plain.SESSION_COOKIE_NAME == "session"


def test_help_lines_come_from_json_and_bad_json_is_refused_clearly(tmp_path):
    import pytest

    config = Config(
        {"INSTANCE_PATH": str(tmp_path), "HELP_LINES": '[{"name": "Lijn", "phone": "1"}]'}
    )
    assert config.HELP_LINES == [{"name": "Lijn", "phone": "1"}]
    with pytest.raises(ValueError, match="HELP_LINES"):
        Config({"INSTANCE_PATH": str(tmp_path), "HELP_LINES": "{niet goed"})
