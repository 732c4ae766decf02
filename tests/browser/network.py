"""What a page fetches, as Chromium's DevTools protocol reports it, and the phone profile.

Shared by the page-weight browser test and ``scripts/bench_mobile.py``. The
protocol (CDP) tells what Playwright's request events do not: the bytes that
crossed the wire for each response (headers included, compressed as sent) and
whether it came from the browser's cache (memory or disk) instead of the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any
from urllib.parse import urlsplit

# Lighthouse's mobile profile ("slow 4G" on a mid-range phone): 1.6 Mbps down,
# 750 Kbps up, 150 ms round trip, a CPU four times slower than this one, and
# the viewport of a 390 x 844 phone; CDP takes throughput in bytes per second
PHONE_NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
PHONE_CPU_SLOWDOWN = 4
PHONE_CONTEXT: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@dataclass
class Fetch:
    """One request of the page and what answered it."""

    url: str
    status: int | None = None
    from_cache: bool = False
    encoded_bytes: int = 0
    finished: bool = False


@dataclass
class NetworkLog:
    """Every request one page makes, recorded from CDP's Network domain.

    A request answered from the memory or disk cache never reached the server;
    a revalidation (304) did. ``data:`` URLs are not requests and are left out.
    """

    fetches: dict[str, Fetch] = field(default_factory=dict)
    cdp: Any = None

    @classmethod
    def attach(cls, page, *, throttle: bool = False) -> NetworkLog:
        """Start recording ``page``; with ``throttle``, apply the phone profile first."""
        cdp = page.context.new_cdp_session(page)
        log = cls(cdp=cdp)
        cdp.on("Network.requestWillBeSent", log._sent)
        cdp.on("Network.requestServedFromCache", log._from_cache)
        cdp.on("Network.responseReceived", log._received)
        cdp.on("Network.loadingFinished", log._finished)
        cdp.send("Network.enable")
        if throttle:
            cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
        return log

    def clear(self) -> None:
        """Forget what was recorded so far (before a second visit)."""
        self.fetches.clear()

    def _sent(self, event: dict) -> None:
        url = event["request"]["url"]
        if url.startswith("data:"):
            return
        # a redirect reuses the request id: keep the last hop
        self.fetches[event["requestId"]] = Fetch(url=url)

    def _from_cache(self, event: dict) -> None:
        if fetch := self.fetches.get(event["requestId"]):
            fetch.from_cache = True

    def _received(self, event: dict) -> None:
        if fetch := self.fetches.get(event["requestId"]):
            response = event["response"]
            fetch.status = response["status"]
            if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                fetch.from_cache = True

    def _finished(self, event: dict) -> None:
        if fetch := self.fetches.get(event["requestId"]):
            fetch.encoded_bytes = int(event["encodedDataLength"])
            fetch.finished = True

    @property
    def network(self) -> list[Fetch]:
        """The requests that reached the server (revalidations included)."""
        return [f for f in self.fetches.values() if not f.from_cache]

    @property
    def transferred(self) -> int:
        """Bytes received from the server: compressed bodies and their headers."""
        return sum(f.encoded_bytes for f in self.network)

    def urls(self, prefix: str = "") -> list[str]:
        """The URLs that reached the server whose path starts with ``prefix``."""
        return [f.url for f in self.network if urlsplit(f.url).path.startswith(prefix)]
