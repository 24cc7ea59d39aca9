"""Cut sections into sentence chunks a backend can say in one request.

Pure and deterministic: no I/O, no randomness. Sentences end at 。！？；…
(closing quotes and brackets stay on their sentence). A sentence longer than
the backend's limit is split at clause punctuation, and a clause still too
long at jieba word boundaries; numbers (6.4, 3:2, 2,345), URLs, English
words and quotations are never split.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

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
_UNBREAKABLE = re.compile(
    r"(?:https?://|www\.)\S+?(?=[\u4e00-\u9fff，。！？；、]|$)|[\w.+-]+@[\w-]+\.[\w.]+|"
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
    """``sentence`` in pieces of at most ``max_chars``, cut at the best places."""
    if len(sentence) <= max_chars:
        return [sentence]
    pieces: list[str] = []
    current = ""
    for clause in _clauses(sentence):
        if len(clause) > max_chars:
            if current:
                pieces.append(current)
                current = ""
            pieces.extend(_split_words(clause, max_chars))
        elif len(current) + len(clause) > max_chars:
            pieces.append(current)
            current = clause
        else:
            current += clause
    if current:
        pieces.append(current)
    return _balance_last(pieces, max_chars)


def _clauses(sentence: str) -> Iterator[str]:
    """Clauses ending at clause punctuation that is outside quotes and numbers."""
    start = depth = 0
    for i, ch in enumerate(sentence):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS_OF_OPENERS:
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_END and depth == 0 and not _inside_number(sentence, i):
            yield sentence[start : i + 1]
            start = i + 1
    if start < len(sentence):
        yield sentence[start:]


def _inside_number(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _split_words(clause: str, max_chars: int) -> list[str]:
    """Split at jieba word boundaries, keeping numbers, URLs and Latin words whole."""
    pieces: list[str] = []
    current = ""
    for token in _tokens(clause):
        if len(current) + len(token) > max_chars and current:
            pieces.append(current)
            current = ""
        # A URL or number longer than the limit goes out whole, alone: read
        # in halves it would be nonsense. Only run-on garbage is cut.
        while len(token) > _HARD_LIMIT_FACTOR * max_chars:
            pieces.append(token[:max_chars])
            token = token[max_chars:]
        current += token
    if current:
        pieces.append(current)
    return pieces


def _tokens(text: str) -> list[str]:
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
    return _attach_punctuation(tokens)


def _attach_punctuation(tokens: list[str]) -> list[str]:
    """Punctuation stays with the word before it (closing) or after it (opening)."""
    merged: list[str] = []
    carry = ""
    for token in tokens:
        if all(ch in _OPENERS or ch == '"' for ch in token):
            carry += token
        elif merged and all(not ch.isalnum() for ch in token):
            merged[-1] += token
        else:
            merged.append(carry + token)
            carry = ""
    if carry:
        merged.append(carry)
    return merged


def _balance_last(pieces: list[str], max_chars: int) -> list[str]:
    """Avoid a tiny last piece (a dangling 2-character clause) by merging it
    back when the result still fits."""
    if len(pieces) >= 2 and len(pieces[-1]) < 4 and len(pieces[-2]) + len(pieces[-1]) <= max_chars:
        pieces[-2:] = [pieces[-2] + pieces[-1]]
    return pieces
