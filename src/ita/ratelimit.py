"""Rate limits kept in the cache only (never in the database): login and public endpoints.

A limit is (events allowed, window in seconds). Addresses and names are hashed with the secret
key before they become cache keys, so the cache holds no readable address either. With the
default local-memory cache a limit is per worker process; with a shared cache (Redis) it is
per installation, and an event is counted in one round trip by a small script that Redis runs
atomically (Django's cache API took three: does the count exist, open it, add one).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

Limit = tuple[int, int]


@functools.lru_cache(maxsize=32)
def _derived_key(salt: str, secret: str) -> bytes:
    return hashlib.sha256((salt + secret).encode()).digest()


def keyed_hash(salt: str, message: str) -> hmac.HMAC:
    """Django's ``salted_hmac(salt, message, algorithm="sha256")``, the key derived once.

    On the public survey path this runs several times per answer; deriving the key each time
    was a measurable share of its CPU (bench/intake.py).
    """
    return hmac.new(_derived_key(salt, settings.SECRET_KEY), message.encode(), hashlib.sha256)


def client_address(request: HttpRequest) -> str:
    """Return the client's address; behind a trusted proxy, the one the proxy appended last."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded and remote in settings.TRUSTED_PROXIES:
        return str(forwarded).rsplit(",", 1)[-1].strip()
    return remote


def _key(namespace: str, *parts: object) -> str:
    hashed = keyed_hash("ita.ratelimit", "|".join(map(str, parts)))
    return f"rl:{namespace}:{hashed.hexdigest()[:32]}"


# Add one to a count; give it its window if it has none (a new count, or one left without an
# expiry by anything at all): a count can never outlive its window.
_COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@functools.lru_cache(maxsize=4)
def _redis_counter(location: str) -> tuple[Any, Any]:
    import redis

    client = redis.Redis.from_url(location)
    return client, client.register_script(_COUNT_SCRIPT)


def _redis() -> tuple[Any, Any] | None:
    """Return the Redis client and counting script when the cache is Redis, else None."""
    config = settings.CACHES["default"]
    if not config["BACKEND"].endswith(".RedisCache"):
        return None
    location = config["LOCATION"]
    return _redis_counter(location if isinstance(location, str) else location[0])


def _redis_key(key: str) -> str:
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:{key}"


def take(namespace: str, limit: Limit, *parts: object) -> bool:
    """Count one event; return False once the limit in the window is passed."""
    allowed, window = limit
    key = _key(namespace, *parts)
    shared = _redis()
    if shared is not None:
        _client, count_script = shared
        return int(count_script(keys=[_redis_key(key)], args=[window])) <= allowed
    return _count_here(key, window) <= allowed


def _count_here(key: str, window: int) -> int:
    """Add one to a count in Django's cache: one operation while its window is open."""
    for _attempt in range(2):
        try:
            return int(cache.incr(key))
        except ValueError:  # no count yet, or its window ended: open one (unless another just did)
            cache.add(key, 0, window)
    cache.set(key, 1, window)  # the new window ended at once: count this event alone
    return 1


def exhausted(namespace: str, limit: Limit, *parts: object) -> bool:
    """Return whether the limit is used up (without counting anything)."""
    key = _key(namespace, *parts)
    shared = _redis()
    if shared is not None:
        client, _script = shared
        return int(client.get(_redis_key(key)) or 0) >= limit[0]
    return int(cache.get(key, 0)) >= limit[0]
