"""Small shared helpers for the hardening tests (conftest is not importable as a module)."""
from __future__ import annotations

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"


def mainland_id(region: str = "440402", birth: str = "19900101", seq: str = "123") -> str:
    first17 = region + birth + seq
    return first17 + CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]
