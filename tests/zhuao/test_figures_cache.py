"""Figures pages keep their numbers for FIGURES_CACHE_SECONDS per parameters and day."""
import time
from datetime import date

import pytest

from core.cache import cached_figures


@pytest.fixture
def calls():
    made = []

    def compute(*, start, district=None):
        made.append((start, district))
        return {"count": len(made)}
    compute.made = made
    return compute


def test_figures_are_kept_per_parameters(calls, monkeypatch):
    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "60")
    first = cached_figures("test", calls, start=date(2026, 1, 1))
    assert cached_figures("test", calls, start=date(2026, 1, 1)) == first == {"count": 1}
    assert cached_figures("test", calls, start=date(2026, 1, 1), district="doumen") == {"count": 2}
    assert cached_figures("other", calls, start=date(2026, 1, 1)) == {"count": 3}
    assert len(calls.made) == 3


def test_zero_turns_the_cache_off(calls, monkeypatch):
    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "0")
    cached_figures("test", calls, start=date(2026, 1, 1))
    cached_figures("test", calls, start=date(2026, 1, 1))
    assert len(calls.made) == 2


# --- lapsed figures: shown while the worker computes new ones -----------------------------

PARAMS = {"start": date(2026, 1, 1), "end": date(2026, 12, 31), "district": None}


def _lapse(name, data, *, seconds_ago=1, **params):
    """Put ``data`` in the cache as figures that lapsed ``seconds_ago``."""
    from django.core.cache import cache

    from core.cache import figures_key

    cache.set(figures_key(name, **params),
              {"data": data, "fresh_until": time.time() - seconds_ago}, 3600)


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.worker
def test_lapsed_figures_are_shown_while_the_worker_computes_new_ones(
        transactional_db, celery_worker_factory, monkeypatch):
    from django.core.cache import cache

    from core.cache import figures_key
    from remittance import metrics
    from tests.conftest import wait_for

    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "60")
    celery_worker_factory()
    _lapse("remittance", {"lapsed": True}, **PARAMS)

    # the lapsed numbers, not numbers computed here: the worker computes them
    assert cached_figures("remittance", metrics.figures, **PARAMS) == {"lapsed": True}
    key = figures_key("remittance", **PARAMS)
    refreshed = wait_for(lambda: "activation_rate" in cache.get(key)["data"] and cache.get(key),
                         message="the worker did not refresh the figures")
    assert refreshed["data"] == metrics.figures(**PARAMS)
    assert refreshed["fresh_until"] > time.time() + 30
    assert cache.get(f"{key}:refreshing") is None  # the next lapse may ask again
    assert cached_figures("remittance", metrics.figures, **PARAMS) == refreshed["data"]


def test_while_a_refresh_is_asked_for_readers_get_the_lapsed_figures(calls, monkeypatch):
    from django.core.cache import cache

    from core.cache import figures_key, figures_source

    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "60")
    figures_source(calls)
    _lapse("test", {"lapsed": True}, start=date(2026, 1, 1))
    cache.set(figures_key("test", start=date(2026, 1, 1)) + ":refreshing", 1, 60)
    for _reader in range(3):
        assert cached_figures("test", calls, start=date(2026, 1, 1)) == {"lapsed": True}
    assert calls.made == []


def test_figures_lapsed_long_ago_or_not_refreshable_are_computed_by_the_reader(
        calls, monkeypatch):
    from core.cache import STALE_FACTOR, figures_source

    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "60")
    _lapse("test", {"lapsed": True}, start=date(2026, 1, 1))
    assert cached_figures("test", calls, start=date(2026, 1, 1)) == {"count": 1}  # not marked

    figures_source(calls)
    _lapse("test", {"lapsed": True}, seconds_ago=60 * STALE_FACTOR + 1, start=date(2026, 1, 1))
    assert cached_figures("test", calls, start=date(2026, 1, 1)) == {"count": 2}  # worker down?
    assert cached_figures("test", calls, start=date(2026, 1, 1)) == {"count": 2}  # fresh again


@pytest.mark.django_db
def test_a_refresh_that_cannot_be_published_is_computed_by_the_reader(calls, monkeypatch):
    from django.core.cache import cache
    from kombu.exceptions import OperationalError

    from core import cache as figures_cache
    from core.cache import figures_key, figures_source
    from core.models import OutboxJob

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setenv("FIGURES_CACHE_SECONDS", "60")
    monkeypatch.setattr(figures_cache.Task, "apply_async", broker_down)
    figures_source(calls)
    _lapse("test", {"lapsed": True}, start=date(2026, 1, 1))
    assert cached_figures("test", calls, start=date(2026, 1, 1)) == {"count": 1}
    assert cache.get(figures_key("test", start=date(2026, 1, 1)) + ":refreshing") is None
    assert not OutboxJob.objects.exists()  # a cache refresh is not a job to keep


def test_the_worker_runs_only_figures_sources(calls):
    from django.core.cache import cache

    from core.cache import figures_key, refresh_stored_figures

    cache.set(figures_key("test") + ":refreshing", 1, 60)
    with pytest.raises(ValueError, match="not a figures source"):
        refresh_stored_figures(name="test", path="os.getcwd", seconds=60, params={})
    assert cache.get(figures_key("test")) is None
    # a refresh that failed is not asked again by every reader: once its request expires
    assert cache.get(figures_key("test") + ":refreshing") == 1


@pytest.mark.django_db
def test_the_worker_leaves_figures_another_refresh_just_made():
    from django.core.cache import cache

    from core.cache import figures_key, refresh_stored_figures, store_figures

    store_figures("remittance", {"fresh": True}, seconds=60, **PARAMS)
    assert not refresh_stored_figures(name="remittance", path="remittance.metrics.figures",
                                      seconds=60, params=PARAMS)
    assert cache.get(figures_key("remittance", **PARAMS))["data"] == {"fresh": True}
