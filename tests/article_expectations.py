"""What a careful reader expects of a real article, and the checks that hold
briefing's reading of it to that: shared by tests/test_articles.py (the
fixtures) and tests/test_articles_dev.py (the development corpus).

An ``Expected`` records, for one page, the headline, the metadata the page
shows, the chapters a reader would name, the first and last words of the
story, sentences that must be read and page chrome that must not. Where the
right answer is genuinely open, a field says less: ``OneOf`` accepts any of a
few readings, ``UNCHECKED`` asserts nothing, a tuple of openings or closings
accepts any of them, and ``chapters_complete=False`` asks only that the
chapters listed appear, in order, among others.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from briefing.article import Article


class OneOf:
    """Equal to any of ``values``: a field a careful reader could fill in more
    than one right way (the outlet a WeChat copy names, or the original
    source it credits)."""

    def __init__(self, *values: object) -> None:
        self.values = values

    def __eq__(self, other: object) -> bool:
        return any(value == other for value in self.values)

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return f"OneOf{self.values!r}"


class Unchecked:
    """A field nobody can read off the page with certainty: not asserted."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED = Unchecked()

Words = str | tuple[str, ...]  # ``startswith``/``endswith`` accept either


@dataclass(frozen=True)
class Expected:
    path: Path
    title: str
    chapters: list[str]
    source: str | OneOf | Unchecked | None
    published: datetime | OneOf | Unchecked | None
    author: str | OneOf | Unchecked | None = None
    editors: list[str] | Unchecked = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    opening: Words = ""  # the first words of the story after the headline
    closing: Words = ""  # the last words of the story
    inside: list[str] = field(default_factory=list)  # story text that must be read
    # page text that must not be read (a caption, ending with 。, as a paragraph)
    chrome: list[str] = field(default_factory=list)
    # False: the chapters listed must appear in this order, among others
    chapters_complete: bool = True
    once: list[str] = field(default_factory=list)  # story text read exactly once


def articles_dir(variable: str, default: Path) -> Path:
    """Where a set of saved pages lives: ``$variable`` or ``default``."""
    return Path(os.environ.get(variable, default))


def require_page(path: Path, where: str) -> None:
    """Skip a test whose page is not on this machine, saying where it should
    be; in CI (``CI=true``) a missing page fails instead of passing by skipping."""
    if path.exists():
        return
    message = f"{path.name} is not in {path.parent} ({where})"
    if os.environ.get("CI", "").lower() in ("true", "1"):  # CI has every page
        pytest.fail(message)
    pytest.skip(message)


def spoken_text(article: Article) -> str:
    return "".join(chunk.text for chunk in article.chunks)


def letters(text: str) -> str:
    """Only what a voice says: letters and digits, without spaces or marks."""
    return "".join(ch for ch in text if ch.isalnum())


def enumerator_free(heading: str) -> str:
    """A heading without its number (一、 （三） 1. 2) and without marks: the
    words a reader names a chapter by."""
    stripped = re.sub(
        r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．]?\s)",
        "",
        heading,
    )
    return letters(stripped)


def same_heading(actual: str, expected: str) -> bool:
    """A chapter title names the heading a reader sees: the same words, or
    their beginning when a long heading is shortened (at least six of them)."""
    said, meant = enumerator_free(actual), enumerator_free(expected)
    return said == meant or (len(said) >= 6 and meant.startswith(said))


def check_metadata(expected: Expected, article: Article, *, loose: bool = False) -> None:
    """Every field the page shows, all wrong ones named at once."""
    title = " ".join(article.title.split()) if loose else article.title
    wrong = []
    if title != (" ".join(expected.title.split()) if loose else expected.title):
        wrong.append(f"title: {article.title!r}")  # loose: a run of spaces is one space
    for name in ("source", "published", "author", "editors"):
        wanted = getattr(expected, name)
        actual = getattr(article, name)
        if wanted is not UNCHECKED and actual != wanted:
            wrong.append(f"{name}: {actual!r}, not {wanted!r}")
    if article.tags[: len(expected.tags)] != expected.tags:
        wrong.append(f"tags: {article.tags!r}")
    assert not wrong, "; ".join(wrong)


def check_chapters(expected: Expected, article: Article, *, loose: bool = False) -> None:
    titles = [section.title for section in article.sections]
    assert all(0 < len(title) <= 24 for title in titles), titles
    if not loose:
        assert titles == expected.chapters
        return
    first = titles[0]  # the headline, or its first words
    assert same_heading(first, expected.chapters[0]) or same_heading(first, expected.title), titles
    if expected.chapters_complete:
        assert len(titles) == len(expected.chapters), titles
        for actual, wanted in zip(titles, expected.chapters, strict=True):
            assert same_heading(actual, wanted), (actual, wanted)
        return
    rest = iter(titles[1:])  # each expected chapter, in order, among the others
    for wanted in expected.chapters[1:]:
        assert any(same_heading(actual, wanted) for actual in rest), (wanted, titles)


def unspaced(text: str) -> str:
    """Text without whitespace: where a page puts spaces between Chinese words
    or around numbers is no part of what is read."""
    return "".join(text.split())


def _words(words: Words) -> tuple[str, ...]:
    return (words,) if isinstance(words, str) else words


def check_story(expected: Expected, article: Article, *, loose: bool = False) -> None:
    """The headline first, then the story from its first words to its last,
    with every sentence listed read (loose: spaces aside)."""
    same = unspaced if loose else str
    headline = article.sections[0].paragraphs[0]
    if loose:  # the whole headline is spoken first, however it is punctuated
        assert letters(headline) == letters(expected.title), headline
    else:
        assert headline in expected.title  # the spoken headline comes first
    story = [p for section in article.sections for p in section.paragraphs][1:]
    openings = tuple(same(words) for words in _words(expected.opening))
    closings = tuple(same(words) for words in _words(expected.closing))
    assert same(story[0]).startswith(openings), story[0][:80]
    assert same(story[-1]).endswith(closings), story[-1][-80:]
    text = same(spoken_text(article))
    for sentence in expected.inside:
        assert same(sentence) in text, sentence
    for sentence in expected.once:
        assert text.count(same(sentence)) == 1, sentence


def check_no_chrome(expected: Expected, article: Article, *, loose: bool = False) -> None:
    """No listed chrome is read (loose: however it is spaced)."""
    same = unspaced if loose else str
    paragraphs = [same(p) for section in article.sections for p in section.paragraphs]
    text = "".join(paragraphs)
    # A photo caption ("小温。") is a paragraph of its own; the same words may
    # end a sentence of the story.
    read = [
        chrome
        for chrome in expected.chrome
        if same(chrome) in (paragraphs if chrome.endswith("。") else text)
    ]
    assert not read, read


def check_spoken_chunks(article: Article, max_chars: int) -> None:
    for chunk in article.chunks:
        assert len(chunk.text) <= max_chars
        assert chunk.spoken
        assert not any(ch.isdigit() for ch in chunk.spoken), chunk.spoken  # every number read
    spoken = "".join(chunk.spoken for chunk in article.chunks)
    for traditional in "們樓萬與華說對發張後會過時這":
        assert traditional not in spoken
