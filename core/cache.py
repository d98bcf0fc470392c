"""The cache must not take the web down with Redis: API throttling counts in the cache, so a
plain RedisCache turns "Redis unreachable" into a 500 on every API call. This backend treats an
unreachable Redis as an empty cache (reads miss, writes are dropped), logs it, and skips Redis
for a few seconds after a failure so that requests don't each wait for a connection."""
from __future__ import annotations

import logging
import os
import time

from celery import Task
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone
from django.utils.module_loading import import_string

from zhuao.celery import task_named

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
    """How long a figures page's numbers are fresh (FIGURES_CACHE_SECONDS, 60; 0 turns it off)."""
    try:
        return int(os.environ.get("FIGURES_CACHE_SECONDS", 60))
    except ValueError:
        return 60


#: Once fresh numbers lapse, they are still shown for this many times their freshness while the
#: worker computes new ones; older than that (the worker is down), the request computes them.
STALE_FACTOR = 10


def figures_source(function):
    """Mark ``function`` as one whose cached figures the worker may refresh: it is found again by
    its dotted path (``core.refresh_figures`` runs nothing else) and takes only keyword arguments
    that a task message can carry (numbers, strings, dates, None)."""
    function.figures_path = f"{function.__module__}.{function.__qualname__}"
    return function


def figures_key(name: str, **params) -> str:
    """The key's version changes with the figures' shape, so that no reader gets the old one
    (v3: the partners' figures keep the KPIs furthest from target, not every KPI)."""
    return ":".join([f"figures:v3:{name}:{timezone.localdate().isoformat()}",
                     *(f"{key}={value}" for key, value in sorted(params.items()))])


def store_figures(name: str, data, *, seconds: int, **params) -> None:
    cache.set(figures_key(name, **params),
              {"data": data, "fresh_until": time.time() + seconds},
              seconds * (1 + STALE_FACTOR))


def cached_figures(name: str, compute, *, seconds: int | None = None, **params):
    """``compute(**params)``, kept in the cache per parameters and day for ``seconds``
    (``figures_cache_seconds()`` unless given): the figures pages aggregate every record of a
    workstream, and leadership reloads them often.

    Numbers that have lapsed are still shown while the worker computes new ones (one refresh
    at a time per key), so that no reader waits seconds for an aggregate once a minute; only
    the day's first reader, or any reader while the worker is down for long, computes them. A
    ``compute`` not marked with ``figures_source`` is computed again by the reader."""
    seconds = figures_cache_seconds() if seconds is None else seconds
    if seconds <= 0:
        return compute(**params)
    key = figures_key(name, **params)
    entry = cache.get(key)
    if entry is not None:
        if time.time() < entry["fresh_until"] or (
                time.time() < entry["fresh_until"] + seconds * STALE_FACTOR
                and _refresh_later(name, compute, key, seconds, params)):
            return entry["data"]
    data = compute(**params)
    store_figures(name, data, seconds=seconds, **params)
    return data


def _refresh_later(name: str, compute, key: str, seconds: int, params: dict) -> bool:
    """True when the worker will refresh the figures (or another reader already asked it to)."""
    path = getattr(compute, "figures_path", None)
    if path is None:
        return False
    if not cache.add(f"{key}:refreshing", 1, seconds):
        return True
    try:  # not through the outbox: a refresh that cannot be published is done here and now
        Task.apply_async(task_named("core.refresh_figures"),
                         kwargs={"name": name, "path": path, "seconds": seconds,
                                 "params": params})
    except Exception as error:  # noqa: BLE001 - kombu/redis raise several connection types
        cache.delete(f"{key}:refreshing")
        logger.warning("figures %s: worker unreachable (%s), computing them here", name,
                       type(error).__name__)
        return False
    return True


def refresh_stored_figures(*, name: str, path: str, seconds: int, params: dict) -> bool:
    """The worker's side of ``cached_figures``: compute and store, unless another refresh just
    did. Only functions marked with ``figures_source`` are run. If computing fails, the readers'
    request stays in place until it expires: one attempt per ``seconds``, not one per reader."""
    key = figures_key(name, **params)
    entry = cache.get(key)
    lapsed = entry is None or time.time() >= entry["fresh_until"]
    if lapsed:
        compute = import_string(path)
        if getattr(compute, "figures_path", None) != path:
            raise ValueError(f"{path} is not a figures source")
        store_figures(name, compute(**params), seconds=seconds, **params)
    cache.delete(f"{key}:refreshing")
    return lapsed
