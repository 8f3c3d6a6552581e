"""The production set-up, for real: two gunicorn processes and the background worker as its
own process, on PostgreSQL and Redis. A story posted through one process is read and found
through the other, a reply and a worker's notification reach pages on the other process, the
health check sees everything, and a story sent while gunicorn is told to stop is still saved.
"""

from __future__ import annotations

import functools
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import requests
from flask_migrate import upgrade

from app import clock, create_app
from app.config import TestConfig
from app.extensions import db
from app.groups.models import GroupRole, Visibility
from tests.processes import (
    DATABASE_URL,
    REDIS_URL,
    ROOT,
    Page,
    cookies_of,
    csrf_token,
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
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgres"),
        reason="TEST_DATABASE_URL is not set: production runs on PostgreSQL",
    ),
]


def _gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    """One web process as the README runs it: one gthread worker."""
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "8"]
    command += ["--graceful-timeout", "20", "-b", f"127.0.0.1:{port}", "app:create_app()"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.terminate()
    try:
        return process.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Two gunicorn processes and ``flask worker`` on one PostgreSQL database and one Redis."""
    instance = tmp_path_factory.mktemp("production")
    with shared_database(instance, "production") as database_url:
        application = create_app(TestConfig(instance, database_url))
        with application.app_context():
            upgrade()
        make = Factory(application)
        talk = make.group(slug="praatgroep", name="Na een inbraak")
        closed = make.group(Visibility.CLOSED, slug="besloten", name="Besloten kring")
        writer, member = make.user("Schrijver"), make.user("Lezer")
        ambassador = make.user("Ambassadeur")
        make.membership(writer, talk)
        make.membership(writer, closed)
        make.membership(member, talk)
        make.membership(ambassador, talk, GroupRole.AMBASSADOR)
        # An earlier story each, so that screening does not hold a newcomer's first post.
        make.story(talk, writer, title="Eerder")
        make.story(talk, member, title="Ook eerder")
        with application.app_context():
            db.session.remove()
            db.engine.dispose()

        env = server_env(instance, database_url)
        ports = [free_port(), free_port()]
        webs = [_gunicorn(env, port) for port in ports]
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", "--interval", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        outputs: list[str] = []
        try:
            for url, web in zip(urls, webs, strict=True):
                wait_until_up(url + "/", web)
            yield {
                "urls": urls,
                "webs": webs,
                "make": make,
                "talk": talk,
                "writer": writer,
            }
        finally:
            outputs = [_stop(process) for process in (*webs, worker)]
            # The tests made rows through this app too: close its connections before the
            # database goes.
            with application.app_context():
                db.session.remove()
                db.engine.dispose()
        for output in outputs:
            assert "Traceback" not in output, output


def _until(check: Callable[[], object], seconds: float = 20.0) -> object:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def _share(browser: requests.Session, url: str, group: str, title: str, body: str) -> int:
    location = post_form(
        browser,
        url,
        f"/groepen/{group}/verhaal-delen",
        f"/groepen/{group}/verhaal-delen",
        title=title,
        body=body,
    )
    assert "/verhalen/" in location, location
    return int(location.rsplit("/verhalen/", 1)[1].split("?")[0].split("#")[0])


def test_both_web_processes_report_healthy_once_the_worker_has_done_a_round(site):
    def healthy(url: str) -> bool:
        return requests.get(url + "/healthz", timeout=10).status_code == 200

    for url in site["urls"]:
        assert _until(functools.partial(healthy, url)), requests.get(
            url + "/healthz", timeout=10
        ).text
        checks = requests.get(url + "/healthz", timeout=10).json()["checks"]
        assert checks["database"] == {"ok": True, "detail": "postgresql"}
        assert checks["redis"]["ok"] is True
        assert checks["worker"]["ok"] is True
        assert checks["search"]["ok"] is True


def test_a_story_posted_through_one_process_is_read_and_found_through_the_other(site):
    first, second = site["urls"]
    writer = logged_in(first, "Schrijver")
    closed_id = _share(
        writer, first, "besloten", "Alleen voor de kring", "Over de kastanjeboom in de tuin."
    )
    story_id = _share(
        writer,
        first,
        "praatgroep",
        "Het stille huis",
        "Sinds de inbraak slaap ik bij het zonnebloemveld.",
    )

    reader = logged_in(second, "Lezer")
    page = reader.get(f"{second}/verhalen/{story_id}", timeout=10)
    assert page.status_code == 200
    assert "Het stille huis" in page.text

    # The worker process writes the search index; the other web process reads it.
    found = _until(
        lambda: f"/verhalen/{story_id}" in reader.get(f"{second}/zoeken?q=zonnebloemveld").text
    )
    assert found, "the worker did not index the story within 20 s"
    # Once a member of the closed group finds its story, it is in the index: nobody else
    # finds it.
    closed_search = f"{second}/zoeken?q=kastanjeboom"
    writer_on_second = logged_in(second, "Schrijver")
    found = _until(
        lambda: f"/verhalen/{closed_id}" in writer_on_second.get(closed_search, timeout=10).text
    )
    assert found, "the worker did not index the closed group's story within 20 s"
    assert f"/verhalen/{closed_id}" not in reader.get(closed_search, timeout=10).text
    assert f"/verhalen/{closed_id}" not in requests.get(closed_search, timeout=10).text


def test_a_reply_through_one_process_reaches_a_page_open_on_the_other(site):
    first, second = site["urls"]
    story_id = site["make"].story(site["talk"], site["writer"], title="Wie leest mee").id
    page = Page(second)
    try:
        assert page.join(f"story:{story_id}")
        replier = logged_in(first, "Lezer")
        post_form(
            replier,
            first,
            f"/verhalen/{story_id}",
            f"/verhalen/{story_id}/reageren",
            body="Ik lees mee, over twee processen heen.",
        )
        [event] = page.wait_for("reply")
        assert event["story_id"] == story_id
    finally:
        page.client.disconnect()


def test_the_worker_process_rings_an_ambassadors_bell_on_a_web_process(site):
    _first, second = site["urls"]
    ambassador = logged_in(second, "Ambassadeur")
    bell = Page(second, cookies_of(ambassador))
    try:
        # A story two days without a reply: the worker's next round starts its clock and,
        # being past halfway, tells the group's ambassadors.
        two_days_ago = clock.utcnow() - timedelta(days=2)
        site["make"].story(
            site["talk"], site["writer"], title="Nog niemand", published_at=two_days_ago
        )
        assert bell.wait_for("notification", seconds=20), "no notification reached the page"
        missed = ambassador.get(f"{second}/meldingen/sinds/0", timeout=10).json()
        assert any("Nog niemand" in item["text"] for item in missed["items"])
    finally:
        bell.client.disconnect()


def test_a_story_sent_while_gunicorn_is_told_to_stop_is_saved_before_it_stops(site):
    first, second = site["urls"]
    web = site["webs"][0]
    writer = logged_in(first, "Schrijver")
    token = csrf_token(writer, f"{first}/groepen/praatgroep/verhaal-delen")
    body = urlencode(
        {"csrf_token": token, "title": "Tijdens het stoppen", "body": "Dit mag niet verloren gaan."}
    ).encode()
    head = (
        "POST /groepen/praatgroep/verhaal-delen HTTP/1.1\r\n"
        f"Host: {first.removeprefix('http://')}\r\n"
        f"Cookie: {cookies_of(writer)}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    writer.close()  # no kept-alive connection of ours holds the process open
    port = int(first.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        # Half the form is under way when the process manager says stop.
        connection.sendall(head + body[: len(body) // 2])
        time.sleep(0.5)
        web.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        connection.sendall(body[len(body) // 2 :])
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.endswith(b"302 FOUND"), answer[:500]
    assert web.wait(timeout=30) == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(first + "/", timeout=5)

    reader = logged_in(second, "Lezer")
    group_page = reader.get(f"{second}/groepen/praatgroep", timeout=10).text
    assert "Tijdens het stoppen" in group_page
