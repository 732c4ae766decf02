"""An in-process cache of what the catalog makes expensive to compute.

Keys include the catalog's digest (``queries.catalog_version``), so a new load
invalidates every entry without any explicit purge; other processes see the
new digest on their next request. ``CACHE_TYPE=NullCache`` turns it off.
"""

from collections.abc import Callable
from typing import TypeVar

from flask_caching import Cache

from app.i18n import current_language

T = TypeVar("T")

cache = Cache()


def remembered(key: str, compute: Callable[[], T], *, keep: bool = True) -> T:
    """Return the cached value of ``key``, computing and storing it on a miss.

    With ``keep`` false the value is computed and not stored: callers pass
    ``not filters.q``, because free-text searches have no end and the cache has one.
    """
    # values may hold interface words (labels in a popup's JSON): one entry per language
    key = f"{current_language()}:{key}"
    value = cache.get(key) if keep else None
    if value is None:
        value = compute()
        if keep:
            cache.set(key, value)
    return value
