"""Rate limits kept in the cache only (never in the database): login and public endpoints.

A limit is (events allowed, window in seconds). Addresses and names are hashed with the secret
key before they become cache keys, so the cache holds no readable address either. With the
default local-memory cache a limit is per worker process; with a shared cache (Redis) it is
per installation.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

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


def take(namespace: str, limit: Limit, *parts: object) -> bool:
    """Count one event; return False once the limit in the window is passed."""
    allowed, window = limit
    key = _key(namespace, *parts)
    try:
        count = cache.incr(key)  # the usual case: the window is already open (one operation)
    except ValueError:  # no count yet, or its window ended: open one
        if cache.add(key, 1, window):
            count = 1
        else:  # another request opened it meanwhile
            try:
                count = cache.incr(key)
            except ValueError:  # and it ended again at once: count this one alone
                cache.set(key, 1, window)
                count = 1
    return int(count) <= allowed


def exhausted(namespace: str, limit: Limit, *parts: object) -> bool:
    """Return whether the limit is used up (without counting anything)."""
    return int(cache.get(_key(namespace, *parts), 0)) >= limit[0]
