"""Counters in the cache that start a window with their first count (throttles, failed tries).

The cache's keys carry the municipality's schema, so a counter in Aarhus is not one in Kolding.
"""

from django.core.cache import cache


def count_in_window(key: str, seconds: int) -> int:
    """Add one to the counter `key` and return it; the counter is forgotten `seconds` after its
    first count. add() then incr() is atomic in Redis and in the local-memory cache, so parallel
    requests are all counted."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr(): a new window
        cache.set(key, 1, timeout=seconds)
        return 1
