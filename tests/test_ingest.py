"""Ingest: any file, encoding or URL a user gives, or one clear line why not."""

from __future__ import annotations

import http.server
import socket
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

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


# A portal-shaped page: menus, a byline with the source, sub-headings, a
# share bar and an editor line around the story.
NEWS_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>江苏推进对口支援工作_新闻中心</title>
<meta property="og:title" content="江苏推进对口支援工作">
<meta property="og:site_name" content="示例新闻网"></head><body>
<nav><a href="/">首页</a> <a href="/news">新闻</a> <a href="/sports">体育</a></nav>
<article><h1>江苏推进对口支援工作</h1>
<div class="info">2019-04-02 07:14 来源：新华社</div>
<p>今年是全面建成小康社会的关键之年，江苏扎实开展对口支援和帮扶工作，确保受援地与全国一起奔小康。</p>
<h2>提高政治站位</h2>
<p>开展对口支援和帮扶，是实现共同富裕的重大战略部署。近年来，江苏支援帮扶投入持续增加，精准扶贫力度持续加大。</p>
<h2>拓宽协作空间</h2>
<p>我们不断拓展合作领域、创新合作方式，把对口支援帮扶与互利共赢发展有机结合，为区域协调发展大局作出新贡献。</p>
<p>责任编辑：孟涛</p></article>
<div class="share">分享到：微信 微博</div>
<footer>版权所有 示例新闻网</footer></body></html>"""


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        if self.path == "/gbk.html":
            body = f"<html><body><p>{SIMPLIFIED}</p></body></html>".encode("gbk")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=GBK")
        elif self.path == "/news/page.html":
            body = NEWS_PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        elif self.path == "/":
            body = (
                "<html><body><div class='share'>分享到：微信 微博</div>"
                "<footer>版权所有 示例新闻网</footer></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
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


def test_an_article_page_by_url_is_read_without_its_chrome(site: str) -> None:
    from briefing.pipeline import read_article

    article = read_article(f"{site}/news/page.html", 200)
    assert article.title == "江苏推进对口支援工作"
    assert article.url == f"{site}/news/page.html"
    assert article.source == "新华社"
    assert article.published == datetime(2019, 4, 2, 7, 14)  # from the byline trafilatura drops
    assert article.editors == ["孟涛"]
    assert [section.title for section in article.sections][1:] == ["提高政治站位", "拓宽协作空间"]
    spoken = "".join(chunk.text for chunk in article.chunks)
    assert "确保受援地与全国一起奔小康" in spoken and "作出新贡献" in spoken
    for chrome in ("首页", "体育", "分享到", "版权所有", "责任编辑"):
        assert chrome not in spoken


def test_an_english_only_file_is_told_it_has_no_chinese_to_read(tmp_path: Path) -> None:
    path = tmp_path / "english.txt"
    path.write_text("Markets rallied today.\n\nInvestors cheered the news.\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no Chinese text to read.*in Chinese"):
        read(str(path))


def test_a_front_page_is_named_after_its_whole_host(site: str) -> None:
    from briefing.pipeline import read_article

    assert read(f"{site}/").name == "127.0.0.1"
    with pytest.raises(InputError, match=r"^127\.0\.0\.1: no article text"):
        read_article(f"{site}/", 100)


@pytest.mark.parametrize("address", ["ftp://example.com/news.txt", "file:///tmp/news.txt"])
def test_an_address_we_cannot_fetch_says_so_not_no_such_file(address: str) -> None:
    scheme = address.split(":")[0]
    with pytest.raises(InputError, match=f"{scheme}:// addresses are not supported"):
        read(address)


def test_a_path_object_is_read_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    raw = read(path)
    assert (raw.text, raw.path, raw.name) == (SIMPLIFIED, path, "article")


class _EndlessArticle:
    """Standard input that never ends, as a stream from a runaway program."""

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "standard input must be read with a bound"
        return ("新闻" * size).encode()[:size]


def test_standard_input_is_capped_like_files_and_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=_EndlessArticle()))
    with pytest.raises(InputError, match="standard input is larger than 20 MB"):
        read("-")
