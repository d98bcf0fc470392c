"""The cache must not take the web down with Redis: API throttling counts in the cache, so a
plain RedisCache turns "Redis unreachable" into a 500 on every API call. This backend treats an
unreachable Redis as an empty cache (reads miss, writes are dropped), logs it, and skips Redis
for a few seconds after a failure so that requests don't each wait for a connection."""
from __future__ import annotations

import logging
import os
import time

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

logger = logging.getLogger("core.cache")

_SKIP_SECONDS = 10.0


def _connection_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def _call(self, name: str, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except _connection_errors() as error:
            self._down_until = time.monotonic() + _SKIP_SECONDS
            logger.warning("cache unavailable, serving without it: %s", type(error).__name__)
            return default

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=..., version=None):
        timeout = DEFAULT_TIMEOUT if timeout is ... else timeout
        return self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=..., version=None):
        timeout = DEFAULT_TIMEOUT if timeout is ... else timeout
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=..., version=None):
        timeout = DEFAULT_TIMEOUT if timeout is ... else timeout
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        if time.monotonic() < self._down_until:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        try:
            return super().incr(key, delta, version)
        except _connection_errors() as error:
            self._down_until = time.monotonic() + _SKIP_SECONDS
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error

    def set_many(self, data, timeout=..., version=None):
        timeout = DEFAULT_TIMEOUT if timeout is ... else timeout
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)


def figures_cache_seconds() -> int:
    """How long a figures page's numbers are kept (FIGURES_CACHE_SECONDS, 60; 0 turns it off)."""
    try:
        return int(os.environ.get("FIGURES_CACHE_SECONDS", 60))
    except ValueError:
        return 60


def cached_figures(name: str, compute, **params):
    """``compute(**params)``, kept in the cache for a short while per parameters and day: the
    figures pages aggregate every record of a workstream, and leadership reloads them often."""
    seconds = figures_cache_seconds()
    if seconds <= 0:
        return compute(**params)
    key = ":".join([f"figures:{name}:{timezone.localdate().isoformat()}",
                    *(f"{key}={value}" for key, value in sorted(params.items()))])
    data = cache.get(key)
    if data is None:
        data = compute(**params)
        cache.set(key, data, seconds)
    return data
