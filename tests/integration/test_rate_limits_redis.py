"""With Redis configured, rate limits are shared by every server process."""

import os
import uuid

import pytest

from app import create_app
from app.config import TestConfig
from tests.support import Factory, Visitor

REDIS_URL = os.environ.get("TEST_REDIS_URL", "").strip()

pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis to test against"
)


def test_login_attempts_count_across_processes_sharing_redis(
    tmp_path, database_url, app, make: Factory
):
    import redis

    make.user("Gedeeld")
    prefix = f"test-{uuid.uuid4().hex}-"

    def process() -> Visitor:
        config = TestConfig(tmp_path, database_url)
        config.RATELIMIT_STORAGE_URI = REDIS_URL
        other = create_app(config)
        other.config["RATELIMIT_KEY_PREFIX"] = prefix
        return Visitor(other.test_client())

    first, second = process(), process()
    statuses = []
    for attempt in range(9):
        who = first if attempt % 2 == 0 else second
        statuses.append(
            who.post(
                "/inloggen", {"pseudonym": "Gedeeld", "password": f"fout {attempt}"}
            ).status_code
        )
    assert statuses[-1] == 429
    assert statuses[:8] == [422] * 8
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{prefix}*")
    assert keys, "the limiter kept its counts in Redis"
