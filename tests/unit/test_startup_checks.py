from app import create_app
from app.config import TestConfig
from app.startup_checks import check_process_model


def test_several_processes_on_sqlite_get_a_warning(tmp_path):
    app = create_app(TestConfig(tmp_path))
    warnings = check_process_model(app, processes=4)
    assert any("SQLite" in warning and "PostgreSQL" in warning for warning in warnings)


def test_one_process_on_sqlite_is_fine(tmp_path):
    app = create_app(TestConfig(tmp_path))
    app.config["SOCKETIO_MESSAGE_QUEUE"] = None
    assert check_process_model(app, processes=1) == []


def test_postgres_with_a_message_queue_is_fine_for_many_processes(tmp_path):
    app = create_app(TestConfig(tmp_path, "postgresql://postgres@127.0.0.1/none"))
    app.config["SOCKETIO_MESSAGE_QUEUE"] = "redis://127.0.0.1:6379/0"
    assert check_process_model(app, processes=4) == []
