"""With Redis configured, rate-limit counters are shared by every worker (and every host)."""
import os
import uuid

import pytest

from tests.conftest import build_app, fresh_database
from tests.web.helpers import csrf_token

REDIS = os.environ.get("SHOP_TEST_REDIS", "redis://127.0.0.1:6379")


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping())
    except redis.RedisError:
        if os.environ.get("CI"):
            raise
        return False


pytestmark = pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")


def test_two_workers_share_the_wrong_password_counts_through_redis(tmp_path):
    import redis

    prefix = f"shop-test-{uuid.uuid4().hex[:8]}"
    settings = {"RATELIMIT_STORAGE_URI": REDIS, "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_NETWORK_FREE_FAILURES": 4}
    with fresh_database("sqlite", str(tmp_path)) as url:
        # Two app objects on one database stand for two gunicorn workers.
        worker_one, worker_two = build_app(url, **settings), build_app(url, **settings)
        codes = []
        for worker in (worker_one, worker_two, worker_one, worker_two, worker_one):
            with worker.app_context():
                client = worker.test_client()
                token = csrf_token(client, "/login")
                codes.append(client.post("/login", data={"csrf_token": token, "email": f"{len(codes)}@example.vn",
                                                         "password": "wrong password"}).status_code)
        assert codes == [200, 200, 200, 200, 429]
        keys = redis.Redis.from_url(REDIS).keys(f"*{prefix}*")
        assert keys
        redis.Redis.from_url(REDIS).delete(*keys)
