"""briefing serve: a real server on loopback, asked for byte ranges as browsers do."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from publish_helpers import add_briefing, serving

from briefing.errors import OutputError
from briefing.publish import PublishConfig, publish
from briefing.publish.serve import make_server, parse_range


@pytest.fixture
def site(tmp_path: Path) -> Path:
    add_briefing(tmp_path, "first")
    publish(PublishConfig(tmp_path, base_url="http://127.0.0.1"))
    return tmp_path


@pytest.fixture
def server(site: Path) -> Iterator[tuple[str, int]]:
    httpd = make_server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def _get(
    server: tuple[str, int], path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(*server, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_parse_range_forms() -> None:
    assert parse_range("", 1000) is None
    assert parse_range("bytes=0-99", 1000) == (0, 99)
    assert parse_range("bytes=990-", 1000) == (990, 999)
    assert parse_range("bytes=-10", 1000) == (990, 999)
    assert parse_range("bytes=-5000", 1000) == (0, 999)
    assert parse_range("bytes=900-5000", 1000) == (900, 999)
    assert parse_range("bytes=0-1,5-6", 1000) is None  # several ranges: whole file
    assert parse_range("items=0-1", 1000) is None
    for unsatisfiable in ("bytes=1000-", "bytes=5-4", "bytes=-0"):
        with pytest.raises(ValueError):
            parse_range(unsatisfiable, 1000)


def test_whole_file_says_it_accepts_ranges(server: tuple[str, int], site: Path) -> None:
    status, headers, body = _get(server, "/first.mp3")
    assert status == 200
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Type"] == "audio/mpeg"
    assert body == (site / "first.mp3").read_bytes()


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=100-199", 100, 199), ("bytes=-100", None, None), ("bytes=20000-", 20000, None)],
)
def test_a_range_gets_206_and_exactly_those_bytes(
    server: tuple[str, int], site: Path, header: str, start: int | None, end: int | None
) -> None:
    data = (site / "first.mp3").read_bytes()
    status, headers, body = _get(server, "/first.mp3", {"Range": header})
    expected = data[-100:] if start is None else data[start : (end + 1 if end else None)]
    first = len(data) - len(expected) if start is None else start
    assert status == 206
    assert body == expected
    assert headers["Content-Length"] == str(len(expected))
    assert headers["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(data)}"


def test_an_unsatisfiable_range_gets_416(server: tuple[str, int], site: Path) -> None:
    size = (site / "first.mp3").stat().st_size
    status, headers, body = _get(server, "/first.mp3", {"Range": f"bytes={size}-"})
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{size}"
    assert body == b""


def test_head_and_sidecar_types(server: tuple[str, int]) -> None:
    status, headers, body = _get(server, "/first.mp3", {"Range": "bytes=0-9"}, method="HEAD")
    assert (status, headers["Content-Length"], body) == (206, "10", b"")
    assert _get(server, "/first.vtt")[1]["Content-Type"].startswith("text/vtt")
    assert _get(server, "/feed.xml")[1]["Content-Type"].startswith("application/rss+xml")


def test_pages_are_served_and_the_state_file_and_parents_are_not(server: tuple[str, int]) -> None:
    status, _, body = _get(server, "/")
    assert status == 200 and "听新闻".encode() in body
    assert _get(server, "/episodes/first.html")[0] == 200
    assert _get(server, "/.publish-state.json")[0] == 404
    status, _, body = _get(server, "/../../etc/passwd")
    assert status == 404 and b"root:" not in body


def test_make_server_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="not a folder"):
        make_server(tmp_path / "nowhere")


def test_the_serve_command_prints_its_address_and_serves(site: Path) -> None:
    with serving(site) as (line, base_url):
        assert line.startswith(f"Serving {site} at http://127.0.0.1:")
        port = urlsplit(base_url).port
        assert port is not None
        status, headers, _ = _get(("127.0.0.1", port), "/first.mp3", {"Range": "bytes=0-0"})
        assert status == 206 and headers["Content-Length"] == "1"
