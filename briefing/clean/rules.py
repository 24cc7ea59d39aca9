"""The chrome and metadata rules applied to a document's blocks in order."""

from __future__ import annotations

import itertools
import logging
import operator
import re

from briefing.clean.chrome import (
    TAIL_MARKER,
    is_chrome,
    is_prose,
    menu_runs,
    tidy,
    without_bullet,
    without_chrome_sentences,
)
from briefing.clean.document import Block, Document, same_text
from briefing.clean.fields import (
    CLOSING_DESK,
    CLOSING_NAME,
    fused_title,
    joined_fields,
    take_inline_byline,
    take_metadata,
)

log = logging.getLogger(__name__)


def from_blocks(
    blocks: list[Block], document: Document | None = None, guess_title: bool = True
) -> Document:
    """Apply the chrome rules block by block, collecting metadata into
    ``document`` (a record's fields may already be there: they win) and
    noting every line not read in its ``dropped``. Pasted text has no marked
    title: ``guess_title`` takes its first short line."""
    document = document or Document(title="", blocks=[])
    blocks = _tidied(blocks)
    started = list(itertools.accumulate((is_prose(b.text) for b in blocks), operator.or_))
    levels = [b.heading_level if not b.guessed else 0 for b in blocks]
    items = [b.text if not levels[i] else "" for i, b in enumerate(blocks)]
    if not document.title:
        # The title yet to be found (the first line that is not chrome) is no menu entry.
        first = next((i for i, text in enumerate(items) if text and not is_chrome(text)), None)
        if first is not None:
            items[first] = ""
    menus = menu_runs(items, started)
    body_chars = 0
    ended = False  # after "相关新闻" and the like, only metadata is taken
    lead: set[str] = set()
    for i, block in enumerate(blocks):
        if i in menus and not levels[i]:
            # A byline may sit among the short lines: its metadata is kept.
            take_metadata(document, block.text, before_body=body_chars == 0)
            document.dropped.append(block.text)
            continue
        text, notices = without_chrome_sentences(block.text)
        document.dropped += notices
        if not text:
            continue
        if len(text) >= _REPEAT_MIN_CHARS and text in lead:
            document.dropped.append(text)  # a subtitle or the lead said again
            continue
        if body_chars == 0:
            lead.add(text)  # what the page says up to its first paragraph
        if block.heading_level == 1 and not document.title:
            document.title = text
            continue
        if same_text(text, document.title) or (
            body_chars == 0 and _within_title(text, document.title)
        ):
            # The title again (front matter, then an H1; repeated at the end;
            # 国务院关于…的报告 under "发布 | 国务院关于…的报告（全文）"): read once.
            document.dropped.append(text)
            continue
        if take_metadata(document, without_bullet(text), before_body=body_chars == 0):
            document.dropped.append(text)
            continue
        if TAIL_MARKER.match(text):
            ended = ended or body_chars > 0
            document.dropped.append(text)
            continue
        if ended or is_chrome(text):
            log.debug("chrome dropped: %s", text[:40])
            document.dropped.append(text)
            continue
        if (
            guess_title
            and not document.title
            and body_chars == 0
            and block.heading_level == 0
            and _is_title_like(text)
        ):
            document.title = text
            continue
        if (
            block.heading_level == 0
            and not document.title
            and body_chars == 0
            and (fused := fused_title(text))
        ):
            document.title, outlet, text = fused
            document.source = document.source or outlet
        if block.heading_level == 0:
            text = take_inline_byline(document, text, first=body_chars == 0)
            if not text:
                continue
            body_chars += len(text)
        document.blocks.append(Block(text, block.heading_level, block.guessed))
    # Headings left with no text after them (a trailing "留言") are page furniture.
    while document.blocks and document.blocks[-1].heading_level:
        document.dropped.append(document.blocks.pop().text)
    for closing in (CLOSING_NAME, CLOSING_DESK):
        if document.blocks and (match := closing.search(document.blocks[-1].text)):
            document.author = document.author or match.group(1)
            document.blocks[-1].text = document.blocks[-1].text[: match.start()]
    for tail in (_FUSED_TAIL, _FUSED_LINK_LABEL):
        if document.blocks and (match := tail.search(document.blocks[-1].text)):
            document.dropped.append(match.group(0))
            document.blocks[-1].text = document.blocks[-1].text[: match.start()]
    return document


# After the story's last sentence, words run into it with no punctuation: an
# editor's code "(XWT185)", "我要评论", a related headline, a table's caption.
_FUSED_TAIL = re.compile(
    r"(?<=[。！？!?”」』])\s*(?:[（(][A-Z]{2,6}\d{2,8}[)）]|[^。！？!?，,：:；;、（）()“”「」\s]{1,24})$"
)

# A link of the page scraped onto the story's last words, whatever they end
# with (…刘亚晖、莫伊索技术统计): the box score, live text or topic page.
_FUSED_LINK_LABEL = re.compile(
    r"(?<=\S)(?:技术统计|技術統計|文字直播|图文直播|圖文直播|进入专题|進入專題|点击进入|點擊進入)$"
)

_REPEAT_MIN_CHARS = 8


def _within_title(text: str, title: str) -> bool:
    bare, bare_title = re.sub(r"[\W_]+", "", text), re.sub(r"[\W_]+", "", title)
    return len(bare) >= _REPEAT_MIN_CHARS and bare in bare_title


def _tidied(blocks: list[Block]) -> list[Block]:
    """Blocks without entities, bullets and IDs, split fields joined."""
    tidied = [Block(tidy(b.text), b.heading_level, b.guessed) for b in blocks]
    tidied = [b for b in tidied if b.text]
    paragraphs = [b for b in tidied if not b.heading_level]
    if len(joined_fields([b.text for b in paragraphs])) == len(paragraphs):
        return tidied
    result: list[Block] = []
    for block in tidied:
        previous = result[-1] if result else None
        if previous and not block.heading_level and not previous.heading_level:
            pair = joined_fields([previous.text, block.text])
            if len(pair) == 1:
                result[-1] = Block(pair[0])
                continue
        result.append(block)
    return result


def _is_title_like(text: str) -> bool:
    return len(text) <= 60 and not text.endswith(tuple("。！？!?；;，,："))
