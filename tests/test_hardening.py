"""Hardening: deployment checks, security headers, cookies, passwords, login limits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ita.audit.models import AuditEvent
from tests.conftest import PASSWORD, World

ROOT = Path(__file__).resolve().parents[1]
REDIS_TEST_URL = "redis://127.0.0.1:6379/3"  # the machine's Redis; database 3 is the tests'


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ITA_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        ITA_ENV="production",
        ITA_SECRET_KEY="x" * 20 + "-a-long-random-production-secret-" + "y" * 30,
        ITA_ALLOWED_HOSTS="ita.example.go.th",
        ITA_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="ita.settings",
    )
    return env


def test_the_deployment_check_is_clean_under_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ITA_SECRET_KEY": ""}, "production needs ITA_SECRET_KEY"),
        ({"ITA_DEBUG": "1"}, "must not run with ITA_DEBUG on"),
    ],
)
def test_production_refuses_to_start_unsafely(
    tmp_path: Path, changes: dict[str, str], message: str
) -> None:
    env = production_env(tmp_path) | changes
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_pages_carry_the_security_headers(client: Client, db: None) -> None:
    response = client.get("/frameworks/")
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_session_and_csrf_cookies_are_http_only_and_same_site(world: World) -> None:
    client = Client()
    client.get("/accounts/login/")
    client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert client.cookies[settings.CSRF_COOKIE_NAME]["httponly"]


def test_passwords_are_hashed_with_argon2() -> None:
    from ita import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_ten_failed_logins_lock_the_door_for_a_while(world: World) -> None:
    client = Client()
    for _ in range(settings.LOGIN_RATE_LIMIT[0]):
        assert (
            client.post("/accounts/login/", {"username": "bob", "password": "wrong"}).status_code
            == 200
        )
    blocked = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "ลองอีกครั้ง" in blocked.content.decode()
    assert AuditEvent.objects.filter(action="login.throttled").exists()


def test_a_successful_login_does_not_count_against_the_limit(world: World) -> None:
    client = Client()
    for _ in range(settings.LOGIN_RATE_LIMIT[0] + 2):
        response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
        assert response.status_code == 302
        client.logout()


def test_with_redis_the_rate_limits_are_shared_by_every_worker(tmp_path: Path) -> None:
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = production_env(tmp_path) | {"ITA_REDIS_URL": REDIS_TEST_URL}
    shared = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert shared.stdout.splitlines()[-1] == "django.core.cache.backends.redis.RedisCache"
    alone = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        env=production_env(tmp_path), capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert alone.stdout.splitlines()[-1] == "django.core.cache.backends.locmem.LocMemCache"


def _require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")


@pytest.mark.parametrize(
    "backend",
    [
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"},
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_TEST_URL},
    ],
    ids=["local-memory", "redis"],
)
def test_a_limit_counts_each_event_and_opens_a_new_window_when_one_ends(
    backend: dict[str, str], settings: Any
) -> None:
    import time

    from django.core.cache import cache

    from ita import ratelimit

    if "redis" in backend["BACKEND"]:
        _require_redis()
    settings.CACHES = {"default": backend | {"KEY_PREFIX": f"test-{os.getpid()}"}}
    cache.clear()
    try:
        allowed = [ratelimit.take("test", (3, 1), "198.51.100.1") for _ in range(5)]
        assert allowed == [True, True, True, False, False]
        assert ratelimit.exhausted("test", (3, 1), "198.51.100.1")
        assert ratelimit.take("test", (3, 1), "198.51.100.2")  # another address counts alone
        time.sleep(1.1)  # the window ends
        assert not ratelimit.exhausted("test", (3, 1), "198.51.100.1")
        again = [ratelimit.take("test", (3, 1), "198.51.100.1") for _ in range(4)]
        assert again == [True, True, True, False]
    finally:
        cache.clear()


def test_on_redis_a_count_left_without_a_window_gets_one(settings: Any) -> None:
    import redis

    from ita import ratelimit

    _require_redis()
    prefix = f"test-{os.getpid()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        }
    }
    client = redis.Redis.from_url(REDIS_TEST_URL)
    key = f"{prefix}:{ratelimit._key('test', '198.51.100.3')}"
    client.set(key, 7)  # no expiry, as a crash between two commands could have left it
    try:
        assert ratelimit.take("test", (10, 60), "198.51.100.3")
        assert int(client.get(key) or 0) == 8 and 0 < client.ttl(key) <= 60
    finally:
        client.delete(key)
