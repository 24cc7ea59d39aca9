"""Serve a published folder locally, with HTTP Range requests.

Browsers fetch audio in ranges and cannot seek an MP3 whose server ignores
``Range``; ``http.server`` alone always answers 200 with the whole file. This
handler answers one ``bytes=`` range with 206 Partial Content (several ranges
get the whole file, which RFC 9110 allows), an unsatisfiable one with 416, and
says ``Accept-Ranges: bytes`` everywhere.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.server
import logging
import os
import re
import shutil
from functools import partial
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO

from briefing.errors import OutputError

log = logging.getLogger(__name__)

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_COPY_CHUNK = 64 * 1024


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The inclusive byte range ``header`` asks of a ``size``-byte file.

    None means "send the whole file" (no header, or a form we do not serve such
    as several ranges); ValueError means it cannot be satisfied (answer 416).
    """
    match = _RANGE.match(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # bytes=-N: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise ValueError("empty suffix range")
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        raise ValueError("range outside the file")
    return start, min(end, size - 1)


class RangeRequestHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mp3": "audio/mpeg",
        ".vtt": "text/vtt; charset=utf-8",
        ".srt": "application/x-subrip; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".json": "application/json",
        ".xml": "application/rss+xml; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
    }

    # keep-alive: a browser makes many small range requests while seeking
    protocol_version = "HTTP/1.1"
    _range: tuple[int, int] | None = None

    def send_head(self) -> BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.name.startswith(".") and path.is_file():
            # hidden files, such as the publish state, are not part of the site
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        if not path.is_file():
            # folders (their index.html or a redirect) and 404s, as http.server does
            return super().send_head()
        try:
            handle = path.open("rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            stat = os.fstat(handle.fileno())
            size = stat.st_size
            try:
                self._range = parse_range(self.headers.get("Range", ""), size)
            except ValueError:
                handle.close()
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                return None
            if self._range is None:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Length", str(size))
            else:
                start, end = self._range
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
                self.send_header("Content-Length", str(end - start + 1))
                handle.seek(start)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return handle
        except BaseException:
            handle.close()
            raise

    def copyfile(self, source: Any, outputfile: Any) -> None:
        if self._range is None:
            shutil.copyfileobj(source, outputfile, _COPY_CHUNK)
            return
        start, end = self._range
        remaining = end - start + 1
        while remaining > 0:
            block = source.read(min(_COPY_CHUNK, remaining))
            if not block:
                break
            outputfile.write(block)
            remaining -= len(block)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.info("%s %s", self.address_string(), format % args)

    def handle(self) -> None:
        # the browser stops reading mid-file whenever it seeks
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


def make_server(
    folder: Path, host: str = "127.0.0.1", port: int = 8000
) -> http.server.ThreadingHTTPServer:
    """A server for ``folder`` (not yet serving: call ``serve_forever``)."""
    if not folder.is_dir():
        raise OutputError(f"{folder} is not a folder; publish one first with briefing publish")
    handler = partial(RangeRequestHandler, directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise OutputError(
            f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port"
        ) from exc
    server.daemon_threads = True
    return server
