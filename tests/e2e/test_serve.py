"""`flask serve` (what `make run` starts) answers pages and Socket.IO on the configured port."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, seconds: float = 20) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "INSTANCE_PATH": str(tmp_path),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "COOKIE_SECURE": "0",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([FLASK, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [FLASK, "serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode(errors="replace")
        assert "127.0.0.1 - -" not in output, "the request log names client addresses"


def test_the_server_answers_pages_and_socketio_on_the_configured_port(served):
    page = _wait_for(served + "/").decode()
    assert 'lang="nl"' in page
    handshake = _wait_for(served + "/socket.io/?EIO=4&transport=polling").decode()
    assert handshake.startswith("0{") and '"sid"' in handshake
