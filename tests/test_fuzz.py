"""Fuzzing the front door: whatever bytes a user gives, reading the article
(ingest → clean → sections → segment → normalise) either works or says why in
one BriefingError, in bounded time and memory.

The examples here are few enough for CI. A longer campaign runs the same
properties with more examples and fresh randomness:

    BRIEFING_FUZZ_EXAMPLES=20000 pytest -q tests/test_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.errors import BriefingError
from briefing.pipeline import read_article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt"
CHUNK_CHARS = 100
CAMPAIGN = int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=CAMPAIGN or 25,
    deadline=None,
    derandomize=not CAMPAIGN,  # CI: the same examples every run; a campaign: new ones
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def read_or_refuse(data: bytes, suffix: str) -> None:
    """Read ``data`` as a file named with ``suffix``; a BriefingError is a fine answer."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"article{suffix}"
        path.write_bytes(data)
        try:
            article = read_article(path, CHUNK_CHARS)
        except BriefingError as error:
            assert "\n" not in str(error)
            return
    assert article.chunks
    assert all(chunk.text.strip() for chunk in article.chunks)


SUFFIXES = st.sampled_from(["", ".txt", ".md", ".html"])
# Characters articles are made of, and the ones that trip parsers.
ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
    st.sampled_from(list("，。、：；！？“”‘’（）《》……——　 \n\t<>&#;/\"'=-_*[]()`|0123456789%.")),
    st.characters(codec="utf-8"),
)
TEXT = st.text(ALPHABET, max_size=400)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
TAGS = st.sampled_from(
    ["p", "div", "h1", "h2", "h3", "span", "a", "nav", "footer", "article", "section", "li"]
    + ["ul", "table", "td", "tr", "script", "style", "br", "img", "header", "main", "aside"]
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, parts, close: f"<{tag}>{''.join(parts)}" + (f"</{tag}>" if close else ""),
        TAGS,
        st.lists(children, max_size=4),
        st.booleans(),
    )


HTML = st.recursive(TEXT, _element, max_leaves=30).map(
    lambda body: f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body>"
)
FRONT_MATTER = st.builds(
    lambda fields, heading, body: f"---\n{fields}\n---\n# {heading}\n\n{body}",
    st.lists(
        st.tuples(st.sampled_from(["title", "author", "date", "tags", "source", "x"]), TEXT).map(
            lambda pair: f"{pair[0]}: {pair[1]}"
        ),
        max_size=5,
    ).map("\n".join),
    TEXT,
    TEXT,
)


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """``data`` with each (position, length, replacement) applied: bytes cut,
    replaced or inserted anywhere, multi-byte characters split included."""
    for position, length, replacement in edits:
        at = position % (len(data) + 1)
        data = data[:at] + replacement + data[at + length :]
    return data


EDITS = st.lists(
    st.tuples(st.integers(0, 10**6), st.integers(0, 40), st.binary(max_size=12)), max_size=8
)
NEWS_PAGE = (
    "<html><head><title>江苏推进对口支援工作</title></head><body><nav>首页 新闻</nav>"
    "<article><h1>江苏推进对口支援工作</h1><div>2019-04-02 07:14 来源：新华社</div>"
    "<p>今年是全面建成小康社会的关键之年，江苏扎实开展对口支援工作。</p><h2>提高政治站位</h2>"
    "<p>开展对口支援和帮扶，是实现共同富裕的重大战略部署。</p></article></body></html>"
)


# Figures as articles write them: long, grouped, signed, with decimals, units,
# percentages, ranges, dates and times; the readings of numbers live here.
FIGURE = st.builds(
    lambda sign, whole, grouped, fraction, unit: (
        sign + (f"{int(whole):,}" if grouped and whole else whole) + fraction + unit
    ),
    st.sampled_from(["", "-", "+", "−", "约", "第"]),
    st.text("0123456789", min_size=1, max_size=40),
    st.booleans(),
    st.sampled_from(["", ".5", ".05", ".123456789", "%", "‰"]),
    st.sampled_from(["", "元", "亿元", "万", "年", "月", "日", "km", "℃", "%", "米", "-", "/"]),
)
NUMBERS_TEXT = st.lists(
    st.one_of(FIGURE, st.sampled_from(["，", "。", "增长", "总额为", "比", "至", "～", " ", "\n"])),
    max_size=30,
).map("".join)


@FUZZ
@given(NUMBERS_TEXT, SUFFIXES)
def test_articles_full_of_figures(text: str, suffix: str) -> None:
    read_or_refuse(("数字\n\n" + text).encode(), suffix)


@FUZZ
@given(st.binary(max_size=2000), SUFFIXES)
def test_binary_junk_is_refused_or_read(data: bytes, suffix: str) -> None:
    read_or_refuse(data, suffix)


@FUZZ
@given(TEXT, ENCODINGS, SUFFIXES)
def test_text_in_any_chinese_encoding(text: str, encoding: str, suffix: str) -> None:
    read_or_refuse(text.encode(encoding, "replace"), suffix)


@FUZZ
@given(HTML, ENCODINGS)
def test_random_html(page: str, encoding: str) -> None:
    read_or_refuse(page.encode(encoding, "replace"), ".html")


@FUZZ
@given(FRONT_MATTER, st.sampled_from([".md", ""]))
def test_markdown_with_front_matter(document: str, suffix: str) -> None:
    read_or_refuse(document.encode(), suffix)


@FUZZ
@given(st.sampled_from(["seed", "page"]), ENCODINGS, EDITS, SUFFIXES)
def test_mutated_real_articles(which: str, encoding: str, edits: list, suffix: str) -> None:
    text = SEED.read_text(encoding="utf-8") if which == "seed" else NEWS_PAGE
    read_or_refuse(_mutate(text.encode(encoding, "replace"), edits), suffix)


# Large and deep inputs run in a process of their own, so that their time and
# peak memory are theirs alone (the limits are generous: the machine is shared).
PARAGRAPH = (
    "今年是全面建成小康社会的关键之年，江苏扎实开展对口支援和帮扶工作，确保受援地与全国一起奔小康。"
)
LIMIT_S, LIMIT_MB = 120, 1500


def _run_alone(tmp_path: Path, data: bytes, suffix: str) -> str:
    path = tmp_path / f"article{suffix}"
    path.write_bytes(data)
    script = (
        "import resource, sys\n"
        "from briefing.errors import BriefingError\n"
        "from briefing.pipeline import read_article\n"
        "try:\n"
        f"    read_article(sys.argv[1], {CHUNK_CHARS})\n"
        "    answer = 'read'\n"
        "except BriefingError as error:\n"
        "    answer = f'refused: {error}'\n"
        "print(answer, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=LIMIT_S,
        preexec_fn=lambda: resource.setrlimit(
            resource.RLIMIT_AS, (LIMIT_MB * 2**20 * 4, LIMIT_MB * 2**20 * 4)
        ),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answer, peak_mb = result.stdout.rsplit(" ", 1)
    assert int(peak_mb) < LIMIT_MB, f"{peak_mb} MB"
    return answer


def test_ten_thousand_nested_divs(tmp_path: Path) -> None:
    page = f"<html><body>{'<div>' * 10_000}<p>{PARAGRAPH}</p>{'</div>' * 10_000}</body></html>"
    _run_alone(tmp_path, page.encode(), ".html")


def test_an_article_nested_300_deep_is_read() -> None:
    from briefing.clean import parse
    from briefing.ingest import Kind, RawDocument

    page = f"<html><body>{'<div>' * 300}<p>{PARAGRAPH}</p>{'</div>' * 300}</body></html>"
    document = parse(RawDocument(page, Kind.HTML, "deep"))
    assert PARAGRAPH in "".join(block.text for block in document.blocks)


def test_a_long_article_is_read_in_bounded_time_and_memory(tmp_path: Path) -> None:
    # Reading is linear in the input: a 20 MB article (the limit) takes 40
    # times as long (400 s on a loaded 2-core machine, 144 MB at peak).
    data = ("标题\n\n" + f"{PARAGRAPH}\n" * 3_500).encode()
    assert 450_000 < len(data) < 550_000
    assert _run_alone(tmp_path, data, ".txt") == "read"


def test_an_input_at_the_20_mb_limit_is_taken_and_one_byte_more_refused(tmp_path: Path) -> None:
    from briefing.ingest import read

    path = tmp_path / "article.txt"
    unit = f"{PARAGRAPH}\n".encode()
    path.write_bytes(unit * (20_000_000 // len(unit)) + b"\n" * (20_000_000 % len(unit)))
    assert path.stat().st_size == 20_000_000
    assert read(path).text.startswith(PARAGRAPH)
    with path.open("ab") as more:
        more.write(b"\n")
    with pytest.raises(BriefingError, match="at most 20 MB"):
        read(path)
