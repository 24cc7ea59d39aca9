"""Blocks of pasted text and Markdown: paragraphs and headings."""

from __future__ import annotations

import re

from briefing.clean.chrome import is_caption
from briefing.clean.document import SENTENCE_END, SPACES, Block, looks_like_heading
from briefing.clean.fragment import fragment_blocks, looks_like_html


def text_blocks(text: str) -> list[Block]:
    """Paragraphs of plain text: one per line, except in hard-wrapped files,
    where lines that stop mid-sentence are joined to the next."""
    lines = [SPACES.sub(" ", line).strip() for line in text.splitlines()]
    lines = [part for line in lines for part in _flattened_paragraphs(line)]
    wrapped = _is_hard_wrapped(lines)
    blocks: list[Block] = []
    pending = ""
    for line in lines:
        if not line:
            if pending:
                blocks.append(Block(pending))
                pending = ""
            continue
        pending = _join_lines(pending, line) if pending else line
        if not wrapped or len(line) < 20 or line.endswith(tuple(SENTENCE_END)):
            blocks.append(Block(pending))
            pending = ""
    if pending:
        blocks.append(Block(pending))
    return blocks


# Records scraped as one line keep their paragraph breaks as a space after a
# sentence's end (…權益。(陳思豪/台北報導) 你或許也想看) or before a list's
# bullet (如下： • Step1 …): split there.
_FLAT_BREAK = re.compile(r"(?<=[。！？」』)）])\s+(?=\S)|\s+(?=[•●▪■◆]\s)")
_FLAT_MIN_CHARS = 200


_PROMO_MAX_CHARS = 24


def _flattened_paragraphs(line: str) -> list[str]:
    if len(line) < _FLAT_MIN_CHARS or len(_FLAT_BREAK.findall(line)) < 2:
        return [line]
    parts = _FLAT_BREAK.split(line)
    # The scrape glued the page's promos and buttons after the story's last
    # sentence: short runs with no full stop (新聞送上來！ iOSAndroidAPP下載LINE好友).
    while len(parts) > 1 and len(parts[-1]) <= _PROMO_MAX_CHARS and "。" not in parts[-1]:
        parts.pop()
    return parts


def _join_lines(first: str, second: str) -> str:
    """Chinese lines join without a space; Latin words need one."""
    if (
        first[-1:].isascii()
        and first[-1:].isalnum()
        and second[:1].isascii()
        and second[:1].isalnum()
    ):
        return f"{first} {second}"
    return first + second


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when most long lines share one width, as in text wrapped at N columns."""
    widths = [len(line) for line in lines if len(line) >= 20]
    if len(widths) < 4:
        return False
    common = max(set(widths), key=widths.count)
    return sum(abs(width - common) <= 2 for width in widths) >= 0.6 * len(widths)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(\*\*|__|`+|~~|<[^>]+>)")
_MD_EMPHASIS = re.compile(r"(?<![\w*])[*_]([^*_\n]+)[*_](?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_MD_LIST = re.compile(r"^(?:[-*+]\s+|>\s*)")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$|^\|?[\s:|-]+\|[\s:|-]*$")
_MD_BOLD_LINE = re.compile(r"^\*\*([^*]+)\*\*$")
_LIST_ITEM = re.compile(r"^[-*+]\s+")
_NAV_ITEM_MAX_CHARS = 6


_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_SETEXT_UNDERLINE = re.compile(r"^(=+|-+)$")
_TABLE_ROW = re.compile(r"^\|.*\|$")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")


def markdown_blocks(text: str) -> list[Block]:
    """Paragraphs and headings of a Markdown body (front matter already
    split off). Template tags ({% include … %}) are not text; a body written
    in HTML, wholly or in part, gets its structure from the tags."""
    text = _LIQUID.sub("", text)
    if not looks_like_html(text):
        return _markdown_lines(text.splitlines())
    blocks: list[Block] = []
    for piece in fragment_blocks(text):
        blocks += [piece] if isinstance(piece, Block) else _markdown_lines(piece.splitlines())
    return blocks


def _markdown_lines(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    list_items: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = ""
            for line in paragraph:
                joined = _join_lines(joined, line) if joined else line
            blocks.append(Block(joined))
            paragraph.clear()
        if list_items:
            # A list of one-word items (推荐 / 娱乐 / 体育 …) is a menu, not prose.
            if any(len(item) > _NAV_ITEM_MAX_CHARS for item in list_items):
                blocks.extend(Block(item) for item in list_items)
            list_items.clear()

    for line in lines:
        stripped = SPACES.sub(" ", line).strip()
        heading = _MD_HEADING.match(stripped)
        bold = _MD_BOLD_LINE.match(stripped)
        if (underline := _SETEXT_UNDERLINE.match(stripped)) and len(paragraph) == 1:
            # 标题 / ===== (or -----): the line above is a heading.
            level = 1 if underline.group(1)[0] == "=" else 2
            blocks.append(Block(paragraph.pop(), level))
        elif heading:
            flush()
            blocks.append(Block(_strip_markdown(heading.group(2)), len(heading.group(1))))
        elif bold and looks_like_heading(_strip_markdown(bold.group(1))):
            flush()
            blocks.append(Block(_strip_markdown(bold.group(1)), 3, guessed=True))
        elif _TABLE_ROW.match(stripped) and not _MD_RULE.match(stripped):
            # A table row is read cell by cell, never with its bars.
            flush()
            cells = [_strip_markdown(cell) for cell in stripped.strip("|").split("|")]
            if row := "，".join(cell for cell in cells if cell):
                blocks.append(Block(row))
        elif not stripped or stripped == ">" or _MD_RULE.match(stripped):
            flush()
        elif _LIST_ITEM.match(stripped):
            if paragraph:
                flush()
            content = _strip_markdown(_LIST_ITEM.sub("", stripped))
            if content:
                list_items.append(content)
        else:
            content = _strip_markdown(_MD_LIST.sub("", stripped))
            if list_items:
                flush()
            if content and (is_caption(content) or _HARD_BREAK.search(line)):
                # A caption or photo credit on its own line ends its paragraph,
                # as does a hard line break.
                paragraph.append(content)
                flush()
            elif content:
                paragraph.append(content)
    flush()
    return blocks


def _strip_markdown(text: str) -> str:
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKUP.sub("", text)
    text = _MD_EMPHASIS.sub(r"\1", text)
    return _MD_ESCAPE.sub(r"\1", text).strip()
