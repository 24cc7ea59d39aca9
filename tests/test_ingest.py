"""Ingest: any file, encoding or URL a user gives, or one clear line why not."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.ingest import Kind, read

TRADITIONAL = (
    "桃園市平鎮區一家輪胎行今天清晨發生大火，7人從火場中疏散；由於火勢延燒猛烈，"
    "一名62歲女子逃生不及，命喪火窟。警消獲報後出動大批人力前往灌救。"
)
SIMPLIFIED = "今年是新中国成立70周年，是全面建成小康社会、实现第一个百年奋斗目标的关键之年。"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SIMPLIFIED, "utf-8"),
        (SIMPLIFIED, "utf-8-sig"),
        (SIMPLIFIED, "gb18030"),
        (SIMPLIFIED, "gbk"),
        (TRADITIONAL, "big5"),
        (TRADITIONAL, "utf-8"),
        (SIMPLIFIED, "utf-16"),
    ],
)
def test_text_files_in_any_chinese_encoding(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    raw = read(str(path))
    assert raw.text.strip() == text
    assert (raw.kind, raw.name) == (Kind.TEXT, "article")


def test_a_big5_html_page_is_read(tmp_path: Path) -> None:
    page = (
        "<html><head><meta charset='big5'><title>平鎮輪胎行惡火</title></head>"
        f"<body><p>{TRADITIONAL}</p></body></html>"
    )
    path = tmp_path / "cna.htm"
    path.write_bytes(page.encode("big5"))
    raw = read(str(path))
    assert raw.kind is Kind.HTML
    assert TRADITIONAL in raw.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"  \n", "is empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
    ],
)
def test_bad_files_fail_with_one_line(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as error:
        read(str(path))
    assert "\n" not in str(error.value)


def test_a_folder_is_not_an_article(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        read(str(tmp_path))


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        if self.path == "/gbk.html":
            body = f"<html><body><p>{SIMPLIFIED}</p></body></html>".encode("gbk")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=GBK")
        elif self.path == "/news/qiushi.html":
            body = (
                Path(__file__).parent / "data" / "articles" / "thepaper-xinhua-qiushi.html"
            ).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
        elif self.path == "/report.pdf":
            body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 100
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
        else:
            body = b"not here"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_url_is_fetched_and_decoded_by_its_declared_charset(site: str) -> None:
    raw = read(f"{site}/gbk.html")
    assert raw.kind is Kind.HTML
    assert raw.url == f"{site}/gbk.html"
    assert raw.name == "gbk"
    assert SIMPLIFIED in raw.text


def test_a_missing_page_is_one_clear_line(site: str) -> None:
    with pytest.raises(InputError, match="404") as error:
        read(f"{site}/gone.html")
    assert "\n" not in str(error.value)
    assert "gone.html" in str(error.value)


def test_a_pdf_is_refused(site: str) -> None:
    with pytest.raises(InputError, match="not a web page"):
        read(f"{site}/report.pdf")


def test_an_unreachable_server_is_one_clear_line() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(InputError, match="cannot be fetched") as error:
        read(f"http://127.0.0.1:{port}/article.html")
    assert "\n" not in str(error.value)


def test_a_malformed_url_is_one_clear_line() -> None:
    with pytest.raises(InputError, match="cannot be fetched"):
        read("http://exa mple.com/")


def test_an_article_page_by_url_reads_like_the_saved_page(site: str) -> None:
    from briefing.pipeline import read_article

    article = read_article(f"{site}/news/qiushi.html", 200)
    assert article.title == "新年伊始，习近平的重要文章谈了啥？"
    assert article.url == f"{site}/news/qiushi.html"
    assert article.source == "新华社"
    assert len(article.sections) == 3
