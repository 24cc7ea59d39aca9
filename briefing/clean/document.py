"""The record clean hands on: an article's blocks and its metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.article import Metadata


@dataclass
class Block:
    """A paragraph, or a heading when ``heading_level`` is 1–6. A ``guessed``
    heading is only a bold line: sections keeps it when it heads enough text."""

    text: str
    heading_level: int = 0
    guessed: bool = False


@dataclass
class Document(Metadata):
    """A cleaned article before it is cut into sections. ``dropped`` holds
    what the page said that will not be read (chrome and metadata lines), so
    an editor can check it; ``titled`` is False when the input had no title
    and ``title`` is only its first sentence."""

    blocks: list[Block]
    dropped: list[str] = field(default_factory=list)
    titled: bool = True


SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
SENTENCE_END = '。！？!?…；;”」』"）)'
HAN = r"\u4e00-\u9fff"

_BOLD_HEADING_MAX_CHARS = 40
_QUESTION_HEADING_MAX_CHARS = 16


def looks_like_heading(text: str) -> bool:
    """A short line that is no sentence: a bold line or paragraph that may be a subheading."""
    return (
        0 < len(text) <= _BOLD_HEADING_MAX_CHARS
        and not text.endswith(tuple("。！；;：:，,…"))
        # a question heads a section (新一代iPhone何时登场?) when it is short
        # (an interviewer's "出国前：政治科目会出啥考题？" is no heading)
        and (
            not text.endswith(("？", "?"))
            or (len(text) <= _QUESTION_HEADING_MAX_CHARS and not re.search("[:：]", text))
        )
        and "。" not in text
        and not text.isdigit()
    )


def same_text(first: str, second: str) -> bool:
    """The same words, whatever the spacing and punctuation around them."""
    return bool(first) and _bare(first) == _bare(second)


def _bare(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)
