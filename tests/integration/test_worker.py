"""``flask worker``: runs every job each round, and one failing job stops nothing else."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from app import clock
from app.extensions import db
from app.groups.models import GroupRole
from app.notifications import kinds
from app.notifications.models import Notification
from app.worker import Job, jobs, register, run_round
from tests.support import Factory


def test_the_worker_climbs_the_ladder_once(app: Flask, runner, make: Factory):
    group = make.group()
    ambassador = make.user()
    make.membership(ambassador, group, GroupRole.AMBASSADOR)
    make.story(group)
    with clock.frozen(clock.utcnow() + timedelta(hours=13)):
        result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "reactiegarantie" in result.output
    with app.app_context():
        sent = db.session.execute(
            sa.select(Notification.kind).filter_by(user_id=ambassador.id)
        ).scalars()
        assert list(sent) == [kinds.STORY_WAITING]


def test_a_failing_job_is_logged_and_the_others_still_run(app: Flask, caplog):
    ran: list[str] = []

    def broken(_now):
        raise RuntimeError("kapot")

    def fine(_now):
        ran.append("fine")
        return {"done": 1}

    register(app, Job("kapot", broken))
    register(app, Job("goed", fine))
    outcome = run_round(app)
    assert outcome["kapot"] is None
    assert outcome["goed"] == {"done": 1}
    assert ran == ["fine"]
    assert "worker job kapot failed" in caplog.text
    assert jobs(app)[0].name == "reactiegarantie"
