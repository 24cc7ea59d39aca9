"""briefing serve: a real server on loopback, asked for byte ranges as browsers do."""

from __future__ import annotations

import asyncio
import http.client
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from publish_helpers import add_briefing, serving

from briefing.errors import OutputError
from briefing.publish import PublishConfig, publish
from briefing.publish.serve import RangeNotSatisfiable, is_loopback, make_server, parse_range


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
    assert parse_range("bytes=5-4", 1000) is None  # invalid: ignored
    assert parse_range("bytes=-0", 1000) is None
    assert parse_range("bytes=\u0663-", 1000) is None  # not an ASCII digit
    for unsatisfiable in ("bytes=1000-", "bytes=1000-2000"):
        with pytest.raises(RangeNotSatisfiable):
            parse_range(unsatisfiable, 1000)
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=-1", 0)


def _reference_range(header: str, size: int) -> tuple[int, int] | None | str:
    """What werkzeug's parser makes of the header, with RFC 9110's rules for one range:
    a suffix longer than the file is the whole file, a start past the end is 416."""
    from werkzeug.http import parse_range_header

    parsed = parse_range_header(header)
    if parsed is None or parsed.units != "bytes" or len(parsed.ranges) != 1:
        return None
    start, stop = parsed.ranges[0]
    if start < 0:  # a suffix of -start bytes
        return "416" if size == 0 else (max(0, size + start), size - 1)
    if start >= size:
        return "416"
    return start, min(stop or size, size) - 1


_SPEC_PIECES = st.sampled_from(["0", "1", "5", "99", "007", "-", "-", " ", "\t", ",", "=", "+"])
_HEADERS = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda unit, pieces: f"{unit}={''.join(pieces)}",
        st.sampled_from(["bytes", "BYTES", " bytes ", "items", "byte", ""]),
        st.lists(st.one_of(_SPEC_PIECES, st.text(max_size=2)), max_size=8),
    ),
)


@given(header=_HEADERS, size=st.integers(0, 200))
def test_parse_range_agrees_with_werkzeug_for_any_header(header: str, size: int) -> None:
    try:
        ours: tuple[int, int] | None | str = parse_range(header, size)
    except RangeNotSatisfiable:
        ours = "416"
    assert ours == _reference_range(header, size)


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


def test_a_kept_alive_connection_stays_in_step_after_ranges(
    server: tuple[str, int], site: Path
) -> None:
    data = (site / "first.mp3").read_bytes()
    connection = http.client.HTTPConnection(*server, timeout=10)
    asks: list[tuple[str, str, dict[str, str], int, bytes]] = [
        ("GET", "/first.mp3", {"Range": "bytes=0-9"}, 206, data[:10]),
        ("GET", "/", {}, 200, (site / "index.html").read_bytes()),  # the folder's page
        ("GET", "/first.mp3", {"Range": "bytes=10-19"}, 206, data[10:20]),
        ("GET", "/first.mp3", {}, 200, data),
        ("HEAD", "/first.mp3", {"Range": "bytes=-3"}, 206, b""),
        ("GET", "/nothing.mp3", {}, 404, b"?"),
        ("GET", "/first.mp3", {"Range": f"bytes={len(data)}-"}, 416, b""),
        ("GET", "/first.mp3", {"Range": "bytes=5-"}, 206, data[5:]),
    ]
    try:
        for method, path, headers, status, body in asks:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            got = response.read()
            assert response.status == status, (method, path, headers)
            assert got == body or body == b"?"
            if status == 404:  # an error closes the connection, and says so
                connection.close()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/.git/config",
        "/.publish-state.json",
        "/episodes/.secret",
        "/%2egit/config",
        "/assets/..%2f.git/config",
        "/../../etc/passwd",
        "/episodes/",
        "/assets",
        "/assets/",
        "/outside",
        "/outside-folder/",
        "/state-link",
    ],
)
def test_hidden_paths_listings_and_links_out_of_the_folder_are_refused(
    server: tuple[str, int], site: Path, tmp_path_factory: pytest.TempPathFactory, path: str
) -> None:
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text("[remote] url = https://user:token@host/x\n")
    (site / "episodes" / ".secret").write_text("token")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "secret.txt").write_text("token")
    (site / "outside").symlink_to(elsewhere / "secret.txt")
    (site / "outside-folder").symlink_to(elsewhere, target_is_directory=True)
    (site / "state-link").symlink_to(site / ".publish-state.json")
    status, _, body = _get(server, path)
    if status == 301:  # a folder without its slash: followed, as a browser would
        status, _, body = _get(server, path + "/")
    assert status == 404
    assert b"token" not in body and b"<li>" not in body and b"guid" not in body


def test_a_folder_with_an_index_is_redirected_to_it(server: tuple[str, int], site: Path) -> None:
    (site / "more").mkdir()
    (site / "more" / "index.html").write_text("<p>more</p>")
    status, headers, _ = _get(server, "/more?x=1")
    assert (status, headers["Location"]) == (301, "/more/")
    assert _get(server, "/more/")[2] == b"<p>more</p>"


def test_a_nul_in_the_path_is_a_bad_request_without_a_traceback(
    server: tuple[str, int], capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    assert _get(server, "/first%00.mp3")[0] == 400
    assert _get(server, "/%00")[0] == 400
    assert "Traceback" not in capsys.readouterr().err + caplog.text


def test_if_range_honours_the_range_only_for_this_very_file(
    server: tuple[str, int], site: Path
) -> None:
    data = (site / "first.mp3").read_bytes()
    _, headers, _ = _get(server, "/first.mp3", method="HEAD")
    for validator in (headers["ETag"], headers["Last-Modified"]):
        asked = {"Range": "bytes=0-3", "If-Range": validator}
        assert _get(server, "/first.mp3", asked)[::2] == (206, data[:4])
    for stale in ('"0-0"', "W/" + headers["ETag"], "Thu, 01 Jan 1970 00:00:00 GMT"):
        asked = {"Range": "bytes=0-3", "If-Range": stale}
        assert _get(server, "/first.mp3", asked)[::2] == (200, data)
    assert _get(server, "/first.mp3", {"If-None-Match": headers["ETag"]})[::2] == (304, b"")


def test_only_loopback_addresses_count_as_private() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("127.3.0.1")
    for address in ("0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "example.com"):
        assert not is_loopback(address)


async def _range_client(
    port: int, data: bytes, seed: int, asks: int
) -> int:  # returns the bytes checked
    """One browser-like client: several requests on one kept-alive connection."""
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    checked = 0
    try:
        for _ in range(asks):
            start = rng.randrange(len(data))
            end = rng.randrange(start, len(data))
            ask_whole = rng.random() < 0.1
            range_line = "" if ask_whole else f"Range: bytes={start}-{end}\r\n"
            writer.write(f"GET /first.mp3 HTTP/1.1\r\nHost: x\r\n{range_line}\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(head.lower().split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
            body = await reader.readexactly(length)
            expected = data if ask_whole else data[start : end + 1]
            assert (status, body) == (200 if ask_whole else 206, expected)
            checked += len(body)
    finally:
        writer.close()
    return checked


def test_hundreds_of_concurrent_range_requests_all_get_their_bytes(
    server: tuple[str, int], site: Path
) -> None:
    data = (site / "first.mp3").read_bytes()
    clients, asks = 300, 4

    async def run() -> list[int]:
        return await asyncio.wait_for(
            asyncio.gather(*(_range_client(server[1], data, n, asks) for n in range(clients))),
            timeout=120,
        )

    assert sum(1 for checked in asyncio.run(run()) if checked > 0) == clients
