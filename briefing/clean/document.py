"""The record clean hands on: an article's blocks and its metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    """A cleaned article before it is cut into sections."""

    blocks: list[Block]


SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
SENTENCE_END = '。！？!?…；;”」』"）)'
HAN = r"\u4e00-\u9fff"
