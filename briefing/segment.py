"""Cut sections into sentence chunks a backend can say in one request.

Pure and deterministic: no I/O, no randomness. Sentences end at 。！？；…
(closing quotes and brackets stay on their sentence). A sentence longer than
the backend's limit is split at clause punctuation, and a clause still too
long at jieba word boundaries; numbers (6.4, 3:2, 2,345), URLs, English
words and quotations are never split.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable

from briefing.article import Article, Boundary, Chunk

_CLOSERS = "”’」』）)》〉】]\"'"
# A sentence ends after 。！？； or …… (or ASCII .!?; after a non-digit), plus
# any closing quotes/brackets that belong to it.
_SENTENCE = re.compile(
    rf"""(?:[^。！？；!?;…]|(?<=\d)[.;](?=\d)|\.(?=\w))*?
        (?:[。！？；]+|[!?;]+|…+|……|\.(?!\w)|$)[{re.escape(_CLOSERS)}]*""",
    re.VERBOSE,
)
_CLAUSE_END = "，,、：:"
# Runs that must never be cut: numbers with separators, URLs/emails, Latin words.
# (An address starts where its run of ASCII starts: tried at every character
# of a long run, it would cost time quadratic in the run's length.)
_UNBREAKABLE = re.compile(
    r"(?:https?://|www\.)\S+?(?=[\u4e00-\u9fff，。！？；、]|$)|"
    r"(?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.]+|"
    r"\d+(?:[.,:：/]\d+)*%?|[A-Za-z]+(?:[-'’.][A-Za-z0-9]+)*(?:\s+[A-Za-z0-9]+)*"
)
_HARD_LIMIT_FACTOR = 3
_QUOTE_OPENERS, _QUOTE_CLOSERS = "“‘「『《", "”’」』》"
_OPENERS = _QUOTE_OPENERS + "（("  # clause punctuation inside these does not end a clause
_CLOSERS_OF_OPENERS = _QUOTE_CLOSERS + "）)"


def segment(article: Article, max_chars: int) -> Article:
    """Fill every section of ``article`` with chunks of at most ``max_chars``."""
    if max_chars < 8:
        raise ValueError("max_chars must be at least 8")
    for section in article.sections:
        section.chunks = []
        for paragraph in section.paragraphs:
            for sentence in split_sentences(paragraph):
                pieces = split_long(sentence, max_chars)
                for piece in pieces:
                    section.chunks.append(Chunk(piece, boundary=Boundary.CLAUSE))
                section.chunks[-1].boundary = Boundary.SENTENCE
            if section.chunks:
                section.chunks[-1].boundary = Boundary.PARAGRAPH
        if section.chunks:
            section.chunks[-1].boundary = Boundary.SECTION
    return article


def refit(article: Article, max_chars: int, speak: Callable[[str], str]) -> Article:
    """Split again every chunk whose spoken form outgrew ``max_chars``: numbers
    read out take more characters than they were written with (2019 → 二零一九).
    ``speak`` gives the spoken form of a piece of text."""
    for section in article.sections:
        section.chunks = [
            piece for chunk in section.chunks for piece in _fit(chunk, max_chars, speak)
        ]
    return article


def _fit(chunk: Chunk, max_chars: int, speak: Callable[[str], str]) -> list[Chunk]:
    if len(chunk.spoken) <= max_chars:
        return [chunk]
    # Aim the written length at what will fit once spoken.
    limit = max(8, max_chars * len(chunk.text) // len(chunk.spoken))
    pieces = split_long(chunk.text, limit)
    if len(pieces) == 1:
        return [chunk]  # one unbreakable token (a long number or address): sent whole
    fitted = []
    for number, piece in enumerate(pieces, 1):
        boundary = chunk.boundary if number == len(pieces) else Boundary.CLAUSE
        fitted += _fit(Chunk(piece, speak(piece), boundary), max_chars, speak)
    return fitted


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph, each keeping its closing quotes and brackets.

    A sentence that ends inside an open quotation continues to its close
    (他说：“走吧。我们去。” is one sentence); one with nothing to say (a lone
    ……) stays with the sentence before it; "Dr." and "U.S." end nothing."""
    spans: list[tuple[int, int]] = []
    depth = 0
    for match in _SENTENCE.finditer(paragraph):
        start, end = match.span()
        piece = paragraph[start:end]
        if not piece.strip():
            continue
        joins = spans and (
            depth > 0
            or not any(ch.isalnum() for ch in piece)
            or _ABBREVIATION.search(paragraph[spans[-1][0] : spans[-1][1]])
        )
        if joins:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        depth = max(0, depth + _quote_balance(piece))
    if len(spans) > 1 and not any(ch.isalnum() for ch in paragraph[slice(*spans[0])]):
        spans[:2] = [(spans[0][0], spans[1][1])]  # "……开头": the ellipsis leads in
    return [paragraph[start:end].strip() for start, end in spans]


# An ASCII full stop after these is not the end of a sentence.
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|Inc|Ltd|Co|Jr|Sr|vs|etc)|\b[A-Z])\.$")


def _quote_balance(text: str) -> int:
    opened = sum(text.count(q) for q in _QUOTE_OPENERS)
    closed = sum(text.count(q) for q in _QUOTE_CLOSERS)
    return opened - closed


def split_long(sentence: str, max_chars: int) -> list[str]:
    """``sentence`` in pieces of at most ``max_chars``, cut at the best places.

    Each piece ends at the strongest break its length allows: a sentence end
    or a clause outside quotation marks, then a clause inside them, then a
    word boundary. Joined, the pieces give ``sentence`` back."""
    if len(sentence) <= max_chars:
        return [sentence]
    breaks = _breaks(sentence)
    positions = sorted(breaks)
    clause_ends = [position for position in positions if breaks[position] > _WORD]
    pieces: list[str] = []
    start = 0
    while len(sentence) - start > max_chars:
        first = bisect.bisect_right(positions, start)
        last = bisect.bisect_right(positions, start + max_chars)
        window = positions[first:last]
        if not window:
            # A URL or number longer than the limit goes out whole, alone: read
            # in halves it would be nonsense. Only run-on garbage is cut.
            end = positions[first] if first < len(positions) else len(sentence)
            if end - start > _HARD_LIMIT_FACTOR * max_chars:
                end = start + max_chars
        elif max(breaks[position] for position in window) > _WORD:
            end = max(window, key=lambda position: (breaks[position], position))
        else:
            # A clause too long for one piece: cut it into pieces of even
            # length, not into full ones and a stub before its comma.
            next_end = bisect.bisect_right(clause_ends, start + max_chars)
            clause_end = clause_ends[next_end] if next_end < len(clause_ends) else len(sentence)
            count = -(-(clause_end - start) // max_chars)
            target = start + -(-(clause_end - start) // count)
            end = min(window, key=lambda position: abs(position - target))
        pieces.append(sentence[start:end])
        start = end
    if start < len(sentence):
        pieces.append(sentence[start:])
    return pieces


_WORD, _CLAUSE_IN_QUOTES, _CLAUSE = range(3)  # strengths of a break, weakest first
_SENTENCE_END = "。！？；!?;…"


def _breaks(sentence: str) -> dict[int, int]:
    """Where ``sentence`` may be cut (an index of it), and how good a place each is.

    A cut falls between words: never inside a number, URL or Latin word, never
    before punctuation (it stays with the word before it) and never after an
    opening quote or bracket (it leads into the word after it). Its strength
    is that of the punctuation just before it."""
    word_starts = set(itertools.accumulate(len(token) for token in _tokens(sentence)))
    breaks: dict[int, int] = {}
    depth = ascii_quotes = 0  # quotations and brackets open; ASCII double quotes seen
    strength, leads_in = _WORD, False  # of the punctuation since the last letter or digit
    for i, ch in enumerate(sentence):
        opens = ch in _OPENERS or (ch == '"' and ascii_quotes % 2 == 0)
        if i in word_starts and not leads_in and (ch.isalnum() or opens):
            breaks[i] = strength
        if ch.isalnum():
            strength, leads_in = _WORD, False
            continue
        if ch in _CLOSERS_OF_OPENERS:
            depth = max(0, depth - 1)
        if ch in _SENTENCE_END:
            strength = _CLAUSE
        elif ch in _CLAUSE_END and not _inside_number(sentence, i):
            strength = max(strength, _CLAUSE if depth == 0 else _CLAUSE_IN_QUOTES)
        if ch in _OPENERS:
            depth += 1
        ascii_quotes += ch == '"'
        leads_in = leads_in or opens
    return breaks


def _inside_number(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _tokens(text: str) -> list[str]:
    """Words (jieba's), with numbers, URLs and Latin words kept whole; joined,
    they give ``text`` back."""
    from briefing.words import cut

    tokens: list[str] = []
    position = 0
    for match in _UNBREAKABLE.finditer(text):
        if match.start() > position:
            tokens.extend(cut(text[position : match.start()]))
        tokens.append(match.group(0))
        position = match.end()
    if position < len(text):
        tokens.extend(cut(text[position:]))
    return tokens
