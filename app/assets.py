"""Static files as a browser should keep them: fingerprinted URLs, cached for a year, compressed.

``url_for("static", filename=...)`` adds ``?v=`` and the first 12 hex digits of the file's
SHA-256, so a changed file gets a new URL. A request that carries the file's current hash is
answered with ``Cache-Control: public, max-age=31536000, immutable``: a browser that has it
never asks again. Without the hash, or with an old one (a page cached before a deploy), the
answer is ``no-cache`` and the browser revalidates with the ETag. Every static URL the site
makes goes through ``url_for``, the Folium map's assets included (``app/views/common.py``).

Text files are sent compressed with brotli (or gzip for a client without it), compressed once
per process at the highest level and kept in memory: the vendored files are the page's largest
part, and Brotli's level 11 makes Leaflet a sixth and the outlines a third smaller than the
fast level the pages and the API are compressed with per request (``app/responses.py``).
Hashes and compressed bodies are keyed by the file's size and modification time, so an edited
file is picked up without a restart.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Flask
from flask import Response
from flask import current_app
from flask import request
from markupsafe import Markup
from werkzeug.security import safe_join

from app.responses import COMPRESSIBLE
from app.responses import ENCODINGS
from app.responses import MIN_SIZE
from app.responses import accepted_encoding
from app.responses import compress
from app.responses import encoded

# a fingerprinted URL names one version of a file for good
IMMUTABLE_SECONDS = 31_536_000
HASH_LENGTH = 12
VERSION_TTL_SECONDS = 1.0
# static folder -> (its version, when it was taken)
_versions: dict[str, tuple[str, float]] = {}


def init_app(app: Flask) -> None:
    """Fingerprint static URLs, and cache and compress static responses.

    Call after ``responses.init_app``: after-request functions run in reverse order, so this
    one compresses a static file (once, at the best level) before the per-request compression
    would see it.
    """
    app.url_defaults(_add_fingerprint)
    app.after_request(_static_response)
    app.jinja_env.globals["inline_svg"] = inline_svg
    app.jinja_env.globals["static_data_uri"] = static_data_uri


def static_path(filename: str) -> Path | None:
    """Return the file under ``static/`` that ``filename`` names, or None."""
    joined = safe_join(current_app.static_folder or "", filename)
    if joined is None or not os.path.isfile(joined):
        return None
    return Path(joined)


def file_hash(path: Path) -> str:
    """Return the fingerprint of a file: the start of its SHA-256, in hex."""
    stat = path.stat()
    return _hash(str(path), stat.st_mtime_ns, stat.st_size)


def static_version() -> str:
    """Return one fingerprint of every file under ``static/``.

    Pages cached on the server include it in their key: a cached page names the static
    URLs of the files it was rendered with, and must not outlive them. Walking the folder
    takes about 0.3 ms, so the answer is kept for a second: an edit shows on the next reload.
    """
    root = current_app.static_folder or ""
    now = time.monotonic()
    known = _versions.get(root)
    if known is not None and now - known[1] < VERSION_TTL_SECONDS:
        return known[0]
    stats = []
    for folder, _, files in os.walk(root):
        for name in files:
            stat = os.stat(os.path.join(folder, name))
            stats.append(f"{folder}/{name}:{stat.st_mtime_ns}:{stat.st_size}")
    version = hashlib.sha256("\n".join(sorted(stats)).encode()).hexdigest()[:HASH_LENGTH]
    _versions[root] = (version, now)
    return version


def inline_svg(filename: str) -> Markup:
    """Return an SVG file under ``static/`` as markup to place in a page.

    For the icon sprite (``scripts/vendor_assets.py`` writes it): inline, the icons cost no
    request and draw with the page.
    """
    return Markup(_static_text(filename))


def static_data_uri(filename: str) -> str:
    """Return a small SVG file under ``static/`` as a ``data:`` URL (the favicon).

    265 bytes in the page cost less than the headers of a request of their own.
    """
    text = _static_text(filename).strip()
    # "#" would end the URL (a fragment); quotes and brackets are escaped too
    return "data:image/svg+xml," + quote(text, safe=" =:/',.-")


def _static_text(filename: str) -> str:
    """Return the text of a file under ``static/``, read once per version of the file."""
    path = static_path(filename)
    if path is None:
        raise FileNotFoundError(filename)
    stat = path.stat()
    return _text(str(path), stat.st_mtime_ns, stat.st_size)


def compress_file(response: Response, path: Path) -> Response:
    """Send the file behind a ``send_file`` response compressed, if the client takes it.

    Range requests and partial answers stay uncompressed (a range counts the file's own
    bytes). The ETag gets the encoding as a suffix (``app/responses.py``), so each form of
    the file has its own validator.
    """
    if (
        response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or "Range" in request.headers
    ):
        return response
    response.vary.add("Accept-Encoding")
    encoding = accepted_encoding()
    stat = path.stat()
    if encoding is None or stat.st_size < MIN_SIZE:
        return response
    body = _compressed(str(path), stat.st_mtime_ns, stat.st_size, encoding)
    response.close()  # the file send_file opened
    response.direct_passthrough = False
    return encoded(response, body, encoding)


def warm(paths: Iterable[Path]) -> int:
    """Compress ``paths`` (and every compressible file under ``static/``) now; return the count.

    Level 11 takes about half a second for Leaflet: a server that warms before it serves
    (``gunicorn.conf.py``, before the workers fork) spares its first visitors the wait.
    """
    root = Path(current_app.static_folder or "")
    files = [*paths, *(p for p in sorted(root.rglob("*")) if p.is_file())]
    count = 0
    for path in files:
        if mimetypes.guess_type(path.name)[0] not in COMPRESSIBLE:
            continue
        stat = path.stat()
        if stat.st_size < MIN_SIZE:
            continue
        for encoding in ENCODINGS:
            _compressed(str(path), stat.st_mtime_ns, stat.st_size, encoding)
        count += 1
    return count


def _add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    path = static_path(values["filename"])
    if path is not None:
        values["v"] = file_hash(path)


def _static_response(response: Response) -> Response:
    if request.endpoint != "static" or not request.view_args:
        return response
    path = static_path(request.view_args.get("filename", ""))
    if path is None:
        return response
    if request.args.get("v") == file_hash(path):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = IMMUTABLE_SECONDS
        response.cache_control.immutable = True
    return compress_file(response, path)


@lru_cache(maxsize=256)
def _hash(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:HASH_LENGTH]


@lru_cache(maxsize=16)
def _text(path: str, mtime_ns: int, size: int) -> str:
    return Path(path).read_text(encoding="utf-8")


@lru_cache(maxsize=128)
def _compressed(path: str, mtime_ns: int, size: int, encoding: str) -> bytes:
    return compress(Path(path).read_bytes(), encoding, best=True)
