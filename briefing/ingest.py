"""Read an article from a file, stdin or a URL into text we can trust.

Chinese text files come in UTF-8 (with or without BOM), GB18030/GBK and Big5;
we detect which, and refuse binary data with a message instead of reading
noise aloud.
"""

from __future__ import annotations

import enum
import http.client
import logging
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import InputError

log = logging.getLogger(__name__)

_MAX_INPUT_BYTES = 20_000_000  # 20 MB, as the messages say
_URL_TIMEOUT_S = 20
# Encodings tried, in order, after UTF-8: GB18030 is a superset of GBK and
# GB2312; Big5 covers Traditional Chinese files from Taiwan and Hong Kong.
_CHINESE_ENCODINGS = ("gb18030", "big5")


class Kind(enum.Enum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"  # an article record exported by a CMS or a crawler


@dataclass(frozen=True)
class RawDocument:
    """Decoded input. ``name`` is a file stem (or ``briefing`` for stdin)."""

    text: str
    kind: Kind
    name: str
    url: str | None = None
    path: Path | None = None


# Any "scheme://" address; only http(s) ones are fetched.
_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# Han characters (with the extensions and compatibility ideographs): a text
# without one has nothing for a Mandarin voice to read.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@dataclass(frozen=True)
class Text:
    """Article text given directly: ``briefing.make(Text("# 标题\n\n正文…"))``.

    A wrapper, not a bare ``str``: a string is a path or a URL, as on the
    command line, so a mistyped file name is an error instead of being read
    aloud, and short Chinese text is never mistaken for a file. ``name`` names
    the outputs when no output path is given.
    """

    content: str
    name: str = "briefing"


# What make and plan read: a path (str or os.PathLike), an http(s) URL, "-"
# for stdin, or Text.
Source = str | os.PathLike[str] | Text


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read(source: Source) -> RawDocument:
    """Read ``source``: a path, ``-`` for stdin, an http(s) URL, or ``Text``."""
    if isinstance(source, Text):
        text = _chinese(source.content, "the text given")
        return RawDocument(text, sniff_kind(text), source.name)
    if isinstance(source, os.PathLike):
        return _read_file(Path(source))
    if source == "-":
        data = sys.stdin.buffer.read(_MAX_INPUT_BYTES + 1)
        if len(data) > _MAX_INPUT_BYTES:
            raise InputError("standard input is larger than 20 MB; an article is at most 20 MB")
        text = _chinese(decode(data, "standard input"), "standard input")
        return RawDocument(text, sniff_kind(text), "briefing")
    if is_url(source):
        return _read_url(source)
    if _ADDRESS.match(source):
        scheme = source.split(":", 1)[0]
        raise InputError(
            f"{source}: {scheme}:// addresses are not supported; give an http:// or https:// "
            "address, or save the article and give the file"
        )
    return _read_file(Path(source))


def _read_url(source: str) -> RawDocument:
    data, content_type = _fetch(source)
    media_type = content_type.split(";")[0].strip().lower()
    if media_type and not (
        media_type.startswith("text/") or "html" in media_type or "xml" in media_type
    ):
        raise InputError(
            f"{source} is {media_type}, not a web page; give the address of the article's page"
        )
    text = _chinese(decode(data, source, _charset_from(content_type)), source)
    kind = Kind.HTML if "html" in content_type or sniff_kind(text) is Kind.HTML else Kind.TEXT
    return RawDocument(text, kind, _name_of_url(source), url=source)


def _name_of_url(url: str) -> str:
    """The page's file name without its extension (…/news/page.html → page), or
    the host's name for a site's front page (http://127.0.0.1:8000/ → 127.0.0.1)."""
    parts = urllib.parse.urlsplit(url)
    page = parts.path.rstrip("/").rpartition("/")[2]
    return Path(page).stem or parts.hostname or "briefing"


def _read_file(path: Path) -> RawDocument:
    source = str(path)
    if not path.exists():
        raise InputError(f"{source}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{source} is a folder; give an article file (.txt, .md or .html)")
    try:
        size = path.stat().st_size
        if size > _MAX_INPUT_BYTES:
            raise InputError(f"{source} is {size / 1e6:.1f} MB; an article is at most 20 MB")
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"{source}: permission denied; check the file's permissions") from exc
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror})") from exc
    text = _chinese(decode(data, source), source)
    return RawDocument(text, kind_of(path, text), path.stem, path=path)


def _chinese(text: str, where: str) -> str:
    """``text`` if it has Chinese in it to read aloud."""
    if not _HAN.search(text):
        raise InputError(
            f"{where} has no Chinese text to read; briefing reads Chinese articles aloud: "
            "give an article in Chinese"
        )
    return text


def kind_of(path: Path, text: str) -> Kind:
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return Kind.MARKDOWN
    if suffix in (".html", ".htm", ".xhtml"):
        return Kind.HTML
    if suffix in (".txt", ".text"):
        return Kind.TEXT
    if suffix == ".json":
        return Kind.JSON
    return sniff_kind(text)


def sniff_kind(text: str) -> Kind:
    head = text.lstrip()[:2000].lower()
    if head.startswith("{") and text.rstrip().endswith("}"):
        return Kind.JSON
    if (
        head.startswith(("<!doctype html", "<html"))
        or ("<body" in head)
        or ("<p>" in head and "</p>" in head)
    ):
        return Kind.HTML
    if any(line.startswith(("# ", "## ", "### ")) for line in text.splitlines()):
        return Kind.MARKDOWN
    return Kind.TEXT


def decode(data: bytes, where: str, declared: str | None = None) -> str:
    """Decode bytes of Chinese text; raise InputError on binary or unknown encodings."""
    if not data.strip():
        raise InputError(f"{where} is empty; give an article with some text")
    if _looks_binary(data):
        raise InputError(
            f"{where} looks like binary data, not text; give a .txt, .md or .html article"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data.decode("utf-8-sig", "replace"), where)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked(data.decode("utf-16", "replace"), where)
    candidates = [declared] if declared else []
    candidates += ["utf-8", *_CHINESE_ENCODINGS]
    decoded = []
    for encoding in dict.fromkeys(candidates):
        try:
            decoded.append((encoding, data.decode(encoding)))
        except (UnicodeDecodeError, LookupError):
            continue
        if encoding in ("utf-8", declared):
            break  # a strict UTF-8 (or declared) decode is never a coincidence on real text
    if not decoded:
        raise InputError(
            f"{where}: cannot tell its text encoding (tried UTF-8, GB18030 and Big5); "
            "save it as UTF-8 and try again"
        )
    # Only when several encodings decode cleanly is plausibility worth its cost
    # (it loads jieba's dictionary).
    encoding, text = (
        decoded[0]
        if len(decoded) == 1
        else max(decoded, key=lambda pair: _chinese_plausibility(pair[1]))
    )
    log.debug("%s decoded as %s", where, encoding)
    return _checked(text, where)


def _checked(text: str, where: str) -> str:
    if not text.strip():
        raise InputError(f"{where} has only white space; give an article with some text")
    return text


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NUL bytes by design
    if b"\x00" in sample:
        return True
    control = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return control > len(sample) * 0.05


def _chinese_plausibility(text: str) -> float:
    """Share of characters that are common CJK or ASCII: GB18030 decodes Big5
    bytes (and vice versa) without error, but into rare characters."""
    from briefing.words import cut

    words = cut(text[:2000], hmm=False)
    cjk_words = [w for w in words if any("\u4e00" <= ch <= "\u9fff" for ch in w)]
    if not cjk_words:
        return 0.0
    # Real text segments into many multi-character dictionary words; a wrong
    # decoding falls apart into single characters.
    return sum(len(w) > 1 for w in cjk_words) / len(cjk_words)


def _fetch(url: str) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"User-Agent": "briefing/0.1 (+article reader)"})
    try:
        with urllib.request.urlopen(request, timeout=_URL_TIMEOUT_S) as response:
            data = response.read(_MAX_INPUT_BYTES + 1)
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise InputError(
            f"{url}: the server answered {exc.code} {exc.reason}; check the address, "
            "or save the page and give the file"
        ) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = str(getattr(exc, "reason", exc)).replace("\n", " ")
        raise InputError(
            f"{url}: cannot be fetched ({reason}); check the address and your network"
        ) from exc
    if len(data) > _MAX_INPUT_BYTES:
        raise InputError(f"{url}: the page is larger than 20 MB")
    return data, content_type


def _charset_from(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"'").lower()
    return None
