"""Serve a published folder locally, as a web server should: Range, keep-alive, no leaks.

Browsers fetch audio in ranges over one kept-alive connection and cannot seek an
MP3 whose server ignores ``Range``; ``http.server``'s own handler always answers
200 with the whole file, lists folders and serves whatever lies in the folder,
``.git`` included. This handler serves files only:

- one ``bytes=`` range gets 206 Partial Content; several ranges, a malformed
  header or a stale ``If-Range`` get the whole file (RFC 9110 lets a server
  ignore ``Range``); a range that starts past the end gets 416;
- every response says ``Accept-Ranges: bytes`` and carries the exact
  ``Content-Length`` of the body that follows (none for HEAD), so the next
  request on the connection is read where it starts;
- a path with any component starting with "." (``.git/config``, the publish
  state, ``..``), a symlink that leads out of the folder and a folder without
  ``index.html`` are all 404: nothing is listed, nothing outside is read.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.server
import ipaddress
import logging
import os
import re
import stat
from functools import partial
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from briefing.errors import OutputError

log = logging.getLogger(__name__)

# RFC 9110 int-range or suffix-range, ASCII digits only (int() would take "٣" or "1_0")
_RANGE_SPEC = re.compile(r"([0-9]+)[ \t]*-[ \t]*([0-9]*)|-([0-9]+)")
_IDLE_TIMEOUT_S = 30  # a kept-alive connection nobody uses stops holding a thread
_LISTEN_BACKLOG = 128  # a page full of players opens many connections at once

CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".opus": "audio/ogg",
    ".epub": "application/epub+zip",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class RangeNotSatisfiable(ValueError):
    """The range asked for starts past the end of the file: answer 416."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The inclusive byte range ``header`` asks of a ``size``-byte file.

    None means "send the whole file": no header, a malformed one, another unit,
    or several ranges (all of which RFC 9110 lets a server ignore). A suffix
    longer than the file is the whole file as a range. RangeNotSatisfiable means
    answer 416.
    """
    unit, equals, range_set = header.partition("=")
    if not equals or unit.strip(" \t").lower() != "bytes":
        return None
    specs = range_set.split(",")
    if len(specs) != 1:
        return None
    match = _RANGE_SPEC.fullmatch(specs[0].strip(" \t"))
    if not match:
        return None
    first, last, suffix = match.groups()
    if suffix is not None:  # bytes=-N: the last N bytes
        if int(suffix) == 0:
            return None
        if size == 0:
            raise RangeNotSatisfiable("a suffix of an empty file")
        return max(0, size - int(suffix)), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # invalid, so ignored
    if start >= size:
        raise RangeNotSatisfiable("range starts past the end of the file")
    return start, min(int(last), size - 1) if last else size - 1


class FolderHandler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of the files in one folder (``root``, resolved)."""

    protocol_version = "HTTP/1.1"  # keep-alive: a browser makes many small range requests
    server_version = "briefing"
    timeout = _IDLE_TIMEOUT_S

    def __init__(self, *args: object, root: Path, **kwargs: object) -> None:
        self.root = root
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # it handles the request

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        url_path = urlsplit(self.path).path
        path = self._resolve(url_path)
        if path is None:
            return
        if path.is_dir():
            if not url_path.endswith("/"):  # so the page's relative links resolve
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
            if not path.is_file():  # no listings
                self.send_error(HTTPStatus.NOT_FOUND, "File not found")
                return
        try:
            handle = path.open("rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return
        with handle:
            self._send_file(handle, path.suffix.lower(), with_body)

    def _resolve(self, url_path: str) -> Path | None:
        """The file or folder ``url_path`` names inside the root, or None (answered)."""
        decoded = unquote(url_path)
        if "\0" in decoded or not decoded.startswith("/"):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None
        parts = [part for part in decoded.split("/") if part]
        if any(part.startswith(".") for part in parts):  # hidden, or a way up
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            path = self.root.joinpath(*parts).resolve(strict=True)
        except (OSError, RuntimeError):  # missing, a loop of links, a name too long
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        # a symlink may point out of the folder, or at a hidden file in it
        if not path.is_relative_to(self.root) or any(
            part.startswith(".") for part in path.relative_to(self.root).parts
        ):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return path

    def _send_file(self, handle: BinaryIO, suffix: str, with_body: bool) -> None:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return
        size = status.st_size
        etag = f'"{status.st_mtime_ns:x}-{size:x}"'
        last_modified = email.utils.formatdate(status.st_mtime, usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        byte_range = None
        range_header = self.headers.get("Range")
        if range_header is not None and self._if_range_holds(etag, last_modified):
            try:
                byte_range = parse_range(range_header, size)
            except RangeNotSatisfiable:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        start, end = byte_range or (0, size - 1)
        if byte_range is None:
            self.send_response(HTTPStatus.OK)
        else:
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        length = end - start + 1
        self.send_header("Content-Type", CONTENT_TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", last_modified)
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if with_body and length > 0:
            sent = self.connection.sendfile(handle, start, length)
            if sent != length:  # the file shrank meanwhile: the length announced is a lie
                self.close_connection = True

    def _if_range_holds(self, etag: str, last_modified: str) -> bool:
        """Whether a Range may be honoured: no If-Range, or one naming this very file
        (its strong ETag, or exactly its Last-Modified date)."""
        condition = self.headers.get("If-Range")
        if condition is None:
            return True
        condition = condition.strip()
        if condition.startswith(('"', "W/")):
            return condition == etag  # a weak tag never matches (RFC 9110 13.1.5)
        return condition == last_modified

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.info("%s %s", self.address_string(), format % args)

    def handle(self) -> None:
        # the browser stops reading mid-file whenever it seeks
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


class FolderServer(http.server.ThreadingHTTPServer):
    request_queue_size = _LISTEN_BACKLOG
    daemon_threads = True


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> FolderServer:
    """A server for ``folder`` (not yet serving: call ``serve_forever``)."""
    if not folder.is_dir():
        raise OutputError(f"{folder} is not a folder; publish one first with briefing publish")
    handler = partial(FolderHandler, root=folder.resolve())
    try:
        return FolderServer((host, port), handler)
    except OSError as exc:
        raise OutputError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port"
        ) from exc


def is_loopback(address: str) -> bool:
    """Whether a bound address is reachable only from this machine."""
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False
