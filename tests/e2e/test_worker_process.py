"""`flask worker` as process managers run it: it beats, and stops cleanly on SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


def test_the_worker_stops_cleanly_on_sigterm_after_beating(tmp_path):
    env = {**os.environ, "FLASK_APP": "app", "INSTANCE_PATH": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    worker = subprocess.Popen(
        [FLASK, "worker", "--interval", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'community.db'}")
    try:
        deadline = time.monotonic() + 30
        beats = 0
        while time.monotonic() < deadline and not beats:
            time.sleep(0.3)
            try:
                with engine.connect() as connection:
                    beats = connection.execute(
                        sa.text("SELECT count(*) FROM worker_beats")
                    ).scalar_one()
            except sa.exc.OperationalError:
                beats = 0
        assert beats == 1, "the worker finished no round"
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
        engine.dispose()
    assert worker.returncode == 0, output
    assert "Achtergrondtaken gestopt" in output
