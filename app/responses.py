"""How pages and API answers travel: compressed, and pages revalidated with an ETag.

Text answers (pages, JSON, GeoJSON) are compressed with brotli, or gzip for a client
without it, chosen by the request's ``Accept-Encoding`` as Werkzeug reads it (``q=0``
refuses). They carry ``Vary: Accept-Encoding``, and a strong ETag gets the encoding as a
suffix (``"…:br"``), so the pins' ETag and 304 keep working. Static files and the state
outlines are compressed once per process at the highest level (``app/assets.py``); answers
made per request at a fast level (brotli 4: about 20 ms for the 2 MB of 10,000 pins).
Flask-Compress was tried first; its 1.25 treats ``q=0`` as a choice and leaves the file of
a streamed answer open, and nothing here streams.

Pages are ``Cache-Control: private, no-cache``: a browser keeps them and asks each time
whether they changed. Their ETag is ``"<digest>.<nonce>"``: the digest is taken over the page
with its CSP nonce left out, so it changes only with the page itself (the catalog, the code,
a static file's URL); the nonce is the one in the copy the browser keeps. A request whose
If-None-Match names the current digest gets a 304 whose Content-Security-Policy allows that
same nonce. A 304's headers replace the stored ones, so a 304 with a fresh nonce would block
the page's inline scripts (the map). The nonce is echoed from the client's own copy, which
this site sent it, and is checked to be a plain token. Private: a shared cache would hand one
nonce to everyone.
"""

from __future__ import annotations

import gzip
import hashlib
import re

import brotli
from flask import Flask
from flask import Response
from flask import request

COMPRESSIBLE = {
    "application/atom+xml",
    "application/geo+json",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
    "text/css",
    "text/csv",
    "text/html",
    "text/javascript",
    "text/plain",
}
# brotli first: every current browser sends it; gzip for the rest
ENCODINGS = ("br", "gzip")
# below this a compressed body and its header save nothing
MIN_SIZE = 500
# what Talisman makes (secrets.token_urlsafe), with room to spare
NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def init_app(app: Flask) -> None:
    """Compress answers and revalidate pages; call after ``security.init_app``.

    After-request functions run in reverse order of registration: the page's ETag is set on
    the plain body, then the body is compressed, then Talisman adds the headers (with the
    nonce ``revalidate_page`` may have put back).
    """
    app.after_request(compress_response)
    app.after_request(revalidate_page)


def accepted_encoding() -> str | None:
    """Return the encoding of ``ENCODINGS`` the client prefers, or None for none."""
    return request.accept_encodings.best_match(ENCODINGS)


def compress(data: bytes, encoding: str, *, best: bool = False) -> bytes:
    """Compress ``data``; ``best`` for a body that is compressed once and kept."""
    if encoding == "br":
        return brotli.compress(data, quality=11 if best else 4, mode=brotli.MODE_TEXT)
    # mtime=0: the same body gives the same bytes in every process
    return gzip.compress(data, compresslevel=9 if best else 6, mtime=0)


def encoded(response: Response, body: bytes, encoding: str) -> Response:
    """Give ``response`` the compressed ``body``; answer 304 if the client has that form."""
    response.set_data(body)
    response.content_encoding = encoding
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}:{encoding}", weak=weak)
    if request.method in ("GET", "HEAD"):
        return response.make_conditional(request)
    return response


def compress_response(response: Response) -> Response:
    """Compress a text answer made for this request, if the client takes it."""
    if response.status_code not in (200, 304) or response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or response.is_streamed
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
    ):
        return response
    encoding = accepted_encoding()
    data = response.get_data()
    if encoding is None or len(data) < MIN_SIZE:
        return response
    return encoded(response, compress(data, encoding), encoding)


def page_digest(body: bytes, nonce: str) -> str:
    """Return the digest of a page with its CSP nonce left out."""
    if nonce:
        body = body.replace(f'nonce="{nonce}"'.encode(), b'nonce=""')
    return hashlib.sha256(body).hexdigest()[:32]


def revalidate_page(response: Response) -> Response:
    """Give a page its ETag; answer 304 when the browser's copy is still the page."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
    ):
        return response
    nonce = getattr(request, "csp_nonce", "")
    digest = page_digest(response.get_data(), nonce)
    response.cache_control.no_cache = True
    response.cache_control.private = True
    response.set_etag(f"{digest}.{nonce}")
    for tag in request.if_none_match.as_set(include_weak=True):
        kept = _kept_nonce(tag, digest, nonce)
        if kept is not None:
            if nonce:
                request.csp_nonce = kept
            response.set_etag(tag)
            break
    return response.make_conditional(request)


def _kept_nonce(tag: str, digest: str, nonce: str) -> str | None:
    """Return the nonce of the copy ``tag`` names, if that copy is the current page."""
    base, _, encoding = tag.partition(":")
    if encoding and encoding not in ENCODINGS:
        return None
    tag_digest, _, kept = base.partition(".")
    if tag_digest != digest:
        return None
    if kept == nonce or NONCE.fullmatch(kept):
        return kept
    return None
