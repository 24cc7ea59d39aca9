"""The chrome and metadata rules applied to a document's blocks in order."""

from __future__ import annotations

import logging

from briefing.clean.chrome import TAIL_MARKER, is_chrome, without_chrome_sentences
from briefing.clean.document import Block, Document, same_text
from briefing.clean.fields import CLOSING_NAME, take_inline_byline, take_metadata

log = logging.getLogger(__name__)


def from_blocks(
    blocks: list[Block], document: Document | None = None, guess_title: bool = True
) -> Document:
    """Apply the chrome rules block by block, collecting metadata into
    ``document`` (a record's fields may already be there: they win) and
    noting every line not read in its ``dropped``. Pasted text has no marked
    title: ``guess_title`` takes its first short line."""
    document = document or Document(title="", blocks=[])
    body_chars = 0
    ended = False  # after "相关新闻" and the like, only metadata is taken
    for block in blocks:
        text, notices = without_chrome_sentences(block.text.strip())
        document.dropped += notices
        if not text:
            continue
        if block.heading_level == 1 and not document.title:
            document.title = text
            continue
        if (block.heading_level or body_chars == 0) and same_text(text, document.title):
            continue  # the title again (front matter, then an H1): read it once
        if take_metadata(document, text, before_body=body_chars == 0):
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
        if block.heading_level == 0:
            text = take_inline_byline(document, text, first=body_chars == 0)
            if not text:
                continue
            body_chars += len(text)
        document.blocks.append(Block(text, block.heading_level, block.guessed))
    # Headings left with no text after them (a trailing "留言") are page furniture.
    while document.blocks and document.blocks[-1].heading_level:
        document.dropped.append(document.blocks.pop().text)
    if document.blocks and (match := CLOSING_NAME.search(document.blocks[-1].text)):
        document.author = document.author or match.group(1)
        document.blocks[-1].text = document.blocks[-1].text[: match.start()]
    return document


def _is_title_like(text: str) -> bool:
    return len(text) <= 60 and not text.endswith(tuple("。！？!?；;，,："))
