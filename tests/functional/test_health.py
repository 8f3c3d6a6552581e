"""``/healthz``: what a load balancer or monitor asks the installation."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app import clock
from app.database import unit_of_work
from app.extensions import db
from app.health import checks
from app.health.models import WorkerBeat
from app.worker import run_round


def _health(client: FlaskClient) -> tuple[int, dict]:
    response = client.get("/healthz")
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    return response.status_code, response.get_json()


def test_without_a_worker_round_the_installation_is_not_healthy(client: FlaskClient):
    status, body = _health(client)
    assert status == 503
    assert body["status"] == "fout"
    assert body["checks"]["worker"] == {"ok": False, "detail": "nog nooit een ronde gedaan"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"] == {"ok": None, "detail": "niet ingesteld"}


def test_after_a_worker_round_everything_is_ok(app: Flask, client: FlaskClient):
    outcome = run_round(app)
    assert outcome["hartslag"] == {}
    status, body = _health(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["worker"]["ok"] is True
    assert body["checks"]["search"]["ok"] is True
    # Only the four parts, with a verdict and a reason: nothing about anyone.
    assert set(body["checks"]) == {"database", "redis", "search", "worker"}
    assert all(set(check) == {"ok", "detail"} for check in body["checks"].values())


def test_a_worker_that_stopped_beating_is_reported(app: Flask, client: FlaskClient):
    start = clock.utcnow()
    with clock.frozen(start):
        run_round(app)
    with clock.frozen(start + checks.BEAT_LATE_AFTER + timedelta(seconds=30)):
        status, body = _health(client)
    assert status == 503
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["detail"] == "laatste ronde 210 s geleden"


def test_an_unreachable_redis_is_reported(app: Flask, client: FlaskClient):
    run_round(app)
    app.config["SOCKETIO_MESSAGE_QUEUE"] = "redis://127.0.0.1:1/0"
    status, body = _health(client)
    assert status == 503
    assert body["checks"]["redis"]["ok"] is False


@pytest.mark.redis
def test_a_reachable_redis_is_ok(app: Flask, client: FlaskClient):
    url = os.environ.get("TEST_REDIS_URL", "").strip()
    if not url:
        pytest.skip("TEST_REDIS_URL is not set: no Redis to test with")
    run_round(app)
    app.config["RATELIMIT_STORAGE_URI"] = url
    status, body = _health(client)
    assert body["checks"]["redis"] == {"ok": True, "detail": "bereikbaar"}
    assert status == 200


def test_old_beats_are_forgotten(app: Flask, ctx):
    long_ago = clock.utcnow() - checks.BEAT_FORGOTTEN_AFTER - timedelta(hours=1)
    with unit_of_work() as session:
        session.add(WorkerBeat(worker="oude-machine:1", beat_at=long_ago))
    checks.beat(clock.utcnow())
    names = set(db.session.execute(sa.select(WorkerBeat.worker)).scalars())
    assert names == {checks.worker_name()}
