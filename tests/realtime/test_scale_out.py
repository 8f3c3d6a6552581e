"""Several web processes behind one Redis: an event raised in one process, or in a worker-like
process that serves nobody, reaches a page connected to another; and an access change made
through one process takes a page on another out of the rooms it may no longer be in.

Real processes (``flask serve``), a real Redis (``TEST_REDIS_URL``) and the python-socketio
client: Flask-SocketIO's test client refuses to run with a message queue. The processes share
a SQLite file, or with ``TEST_DATABASE_URL`` a PostgreSQL database made beside that one.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask_migrate import upgrade

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.groups.models import Visibility
from tests.processes import (
    CSRF,
    REDIS_URL,
    ROOT,
    Page,
    cookies_of,
    free_port,
    logged_in,
    post_form,
    server_env,
    shared_database,
    wait_until_up,
)
from tests.support import Factory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis to test with"),
]


@pytest.fixture
def community(tmp_path: Path) -> Iterator[dict]:
    """A shared database with a public story and a closed group's story, and two server
    processes using it."""
    with shared_database(tmp_path, "scale_out") as database_url:
        yield from _serve(tmp_path, database_url)


def _serve(tmp_path: Path, database_url: str) -> Iterator[dict]:
    application = create_app(TestConfig(tmp_path, database_url))
    with application.app_context():
        upgrade()
    make = Factory(application)
    group = make.group()
    writer, member = make.user("Schrijver"), make.user("Lid")
    make.membership(writer, group)
    make.membership(member, group)
    make.story(group, member, title="Eerder")  # no longer a new member's first post
    story = make.story(group, writer, title="Na de inbraak")
    closed = make.group(Visibility.CLOSED, slug="besloten")
    make.membership(writer, closed)
    make.membership(member, closed)
    closed_story = make.story(closed, writer, title="Alleen voor leden")
    with application.app_context():
        db.session.remove()
        db.engine.dispose()

    servers, urls = [], []
    for _ in range(2):
        port = free_port()
        env = {**server_env(tmp_path, database_url), "HOST": "127.0.0.1", "PORT": str(port)}
        servers.append(
            subprocess.Popen(
                [sys.executable, "-m", "flask", "serve"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, server in zip(urls, servers, strict=True):
            wait_until_up(url + "/", server)
        yield {
            "urls": urls,
            "story": story,
            "closed_story": closed_story,
            "member": member,
            "writer": writer,
            "dir": tmp_path,
            "database_url": database_url,
        }
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            output = server.communicate(timeout=15)[0]
            assert "Traceback" not in output, output


def test_a_reply_posted_through_one_process_appears_on_a_page_of_the_other(community):
    first, second = community["urls"]
    story_id = community["story"].id
    reader = Page(second)
    try:
        assert reader.join(f"story:{story_id}")
        replier = logged_in(first, "Lid")
        token = CSRF.search(replier.get(f"{first}/verhalen/{story_id}").text)
        assert token
        posted = replier.post(
            f"{first}/verhalen/{story_id}/reageren",
            data={"csrf_token": token.group(1), "body": "Over twee processen heen."},
            allow_redirects=False,
        )
        assert posted.status_code == 302, posted.text

        [event] = reader.wait_for("reply")
        assert event["story_id"] == story_id
        listed = requests.get(f"{second}/verhalen/{story_id}/reacties", timeout=10).text
        assert f'id="reactie-{event["reply_id"]}"' in listed
        assert "Over twee processen heen." in listed
    finally:
        reader.client.disconnect()


def test_a_notification_made_in_a_worker_process_rings_the_bell_on_a_web_process(community):
    _first, second = community["urls"]
    member = community["member"]
    browser = logged_in(second, "Lid")
    bell = Page(second, cookies_of(browser))
    try:
        # Like `flask worker`: an app of its own that serves nobody, writing to the queue.
        script = textwrap.dedent(
            f"""
            from app import create_app
            from app.database import unit_of_work
            from app.notifications.services import notify

            app = create_app()
            with app.test_request_context(), unit_of_work():
                notify({member.id}, "moderation.report_received", {{}})
            """
        )
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=server_env(community["dir"], community["database_url"]),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr

        assert len(bell.wait_for("notification")) == 1
        missed = browser.get(f"{second}/meldingen/sinds/0").json()
        assert "Dank je voor je melding" in missed["items"][0]["text"]
    finally:
        bell.client.disconnect()


def test_leaving_a_closed_group_through_one_process_empties_rooms_on_the_other(community):
    first, second = community["urls"]
    story_id = community["closed_story"].id
    leaving = logged_in(first, "Lid")
    writer = logged_in(first, "Schrijver")
    # Open pages on the other process, with the same logins as the browsers above.
    member_page = Page(second, cookies_of(leaving))
    writer_page = Page(second, cookies_of(writer))
    try:
        assert member_page.join(f"story:{story_id}")
        assert writer_page.join(f"story:{story_id}")

        post_form(leaving, first, "/groepen/besloten", "/groepen/besloten/verlaten")
        assert member_page.wait_for("access_changed") == [{}]
        assert not member_page.join(f"story:{story_id}")

        post_form(
            writer,
            first,
            f"/verhalen/{story_id}",
            f"/verhalen/{story_id}/reageren",
            body="Alleen voor wie er nog bij is.",
        )
        assert len(writer_page.wait_for("reply")) == 1
        # Both pages live in the same process: by the time one heard it, so would the other.
        assert "reply" not in member_page.heard
        assert "access_changed" not in writer_page.heard
    finally:
        member_page.client.disconnect()
        writer_page.client.disconnect()
