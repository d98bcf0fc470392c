"""Figures pages keep their numbers for FIGURES_CACHE_SECONDS per parameters and day."""
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
