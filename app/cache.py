"""An in-process cache of what the catalog makes expensive to compute.

Keys include the catalog's digest (``queries.catalog_version``), so a new load
invalidates every entry without any explicit purge; other processes see the
new digest on their next request. ``CACHE_TYPE=NullCache`` turns it off.
"""

from flask_caching import Cache

cache = Cache()
