"""The service fetches only allow-listed articles from public addresses."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from service_helpers import ArticleSite

from briefing import ingest
from briefing.errors import InputError
from briefing.service import fetch, work
from briefing.service.fetch import BlockedURL, FetchPolicy


@pytest.fixture
def site() -> Iterator[ArticleSite]:
    with ArticleSite() as running:
        yield running


@pytest.fixture
def installed() -> Iterator[None]:
    """Restores urllib's default opener after a test installs a policy."""
    yield
    urllib.request.install_opener(None)  # type: ignore[arg-type]


@pytest.fixture
def mapped_name(monkeypatch: pytest.MonkeyPatch) -> str:
    """``news.example`` resolves to 127.0.0.1, as a hostile DNS record would."""
    real = socket.getaddrinfo

    def getaddrinfo(host: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        return real("127.0.0.1" if host == "news.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return "news.example"


def test_only_listed_domains_and_their_subdomains_are_allowed() -> None:
    policy = FetchPolicy(frozenset({"example.com"}))
    assert policy.check_url("https://example.com/a") == "example.com"
    assert policy.check_url("https://www.Example.com./a") == "www.example.com"
    for url in (
        "https://notexample.com/a",
        "https://example.com.evil.net/a",
        "ftp://example.com/a",
        "file:///etc/passwd",
    ):
        with pytest.raises(BlockedURL):
            policy.check_url(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.5.4",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:10.0.0.1",
        "0.0.0.0",
        "100.64.0.1",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(address: str) -> None:
    with pytest.raises(BlockedURL, match="not a public address"):
        FetchPolicy(frozenset({"example.com"})).check_address("example.com", address)


def test_public_addresses_are_accepted() -> None:
    policy = FetchPolicy(frozenset({"example.com"}))
    policy.check_address("example.com", "93.184.215.14")
    policy.check_address("example.com", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")


def test_a_listed_name_resolving_to_loopback_is_not_fetched(
    site: ArticleSite, mapped_name: str, installed: None
) -> None:
    for host in ("localhost", mapped_name):
        fetch.install(FetchPolicy(frozenset({host})))
        with pytest.raises(InputError, match="127.0.0.1, which is not a public address") as caught:
            ingest.read(f"http://{host}:{site.port}/news/1.html")
        assert work.classify(caught.value).cause == "blocked"
        assert work.classify(caught.value).permanent
    assert site.requests == []  # not even a connection


def test_the_checked_address_is_the_one_connected_to(
    site: ArticleSite, mapped_name: str, installed: None
) -> None:
    # loopback allowed (as tests do): the mapped name reaches the article site
    fetch.install(FetchPolicy(frozenset({mapped_name}), allow_loopback=True))
    raw = ingest.read(f"http://{mapped_name}:{site.port}/news/7.html")
    assert "第7条地铁线路" in raw.text
    assert raw.url == f"http://{mapped_name}:{site.port}/news/7.html"


def test_redirects_are_followed_only_to_listed_hosts(site: ArticleSite, installed: None) -> None:
    fetch.install(FetchPolicy(frozenset({"127.0.0.1"}), allow_loopback=True))
    on_list = site.url("/moved/" + site.url("/news/3.html"))
    assert "第3条地铁线路" in ingest.read(on_list).text
    off_list = site.url(f"/moved/http://localhost:{site.port}/news/4.html")
    with pytest.raises(InputError, match="redirects to .* not on the service's list") as caught:
        ingest.read(off_list)
    assert work.classify(caught.value).permanent
    to_file = site.url("/moved/file:///etc/passwd")
    with pytest.raises(InputError, match="file:///etc/passwd' is not allowed") as refused:
        ingest.read(to_file)  # urllib itself refuses redirects to file:
    assert work.classify(refused.value).permanent
    assert "/news/4.html" not in site.requests


def test_a_server_error_is_transient_and_a_missing_page_permanent(
    site: ArticleSite, installed: None
) -> None:
    fetch.install(FetchPolicy(frozenset({"127.0.0.1"}), allow_loopback=True))
    with pytest.raises(InputError) as unavailable:
        ingest.read(site.url("/broken"))
    assert not work.classify(unavailable.value).permanent
    with pytest.raises(InputError) as missing:
        ingest.read(site.url("/nothing-here"))
    assert work.classify(missing.value).permanent


def test_the_default_policy_refuses_loopback(site: ArticleSite, installed: None) -> None:
    fetch.install(FetchPolicy(frozenset({"127.0.0.1"})))
    with pytest.raises(InputError, match="not a public address"):
        ingest.read(site.url("/news/1.html"))
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(site.url("/news/1.html"))  # any urllib fetch of the process


def test_one_article_has_one_canonical_address() -> None:
    same = [
        "https://News.Example.com/a/1.html?id=3",
        "https://news.example.com:443/a/1.html?id=3#comments",
        "HTTPS://news.example.com./a/1.html?id=3",
    ]
    assert {fetch.canonical_url(url) for url in same} == {"https://news.example.com/a/1.html?id=3"}
    assert fetch.canonical_url("http://news.example.com:8080") == "http://news.example.com:8080/"
    assert fetch.canonical_url("https://news.example.com/a?id=4") != fetch.canonical_url(same[0])
