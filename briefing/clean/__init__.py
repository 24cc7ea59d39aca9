"""Strip page chrome from an article and keep the metadata hidden in it.

Text copied from a Chinese news page carries the page around the story: an
image's file name and caption, a date and ``来源:`` line, a view counter,
``听新闻``, ``【大 中 小】``, ``（作者为…）``, ``（记者 …）``, ``标签:``,
``责编:``, ``下一篇``, related-news lists, share and QR-code prompts,
copyright notices. None of it is read aloud; what it says about the article
(source, date, author, editors, tags) becomes metadata.

HTML: readers' comments and photo captions are removed from the page, then
trafilatura extracts the body as Markdown (falling back to the page's prose
paragraphs when it finds only menus) and the page's <head> metadata, which
is trusted less than the page's own lines (SEO keywords, site names in
titles). The Markdown then goes through the same rules as pasted text.
Rules err on the side of keeping text: a notice glued to a story sentence
loses only its own sentence.

Modules: ``text`` (pasted text and Markdown into blocks), ``html`` (whole
pages), ``chrome`` (what is not the story), ``fields`` (datelines, bylines and
key: value metadata), ``rules`` (the rules applied block by block),
``document`` (the record handed on).
"""

from __future__ import annotations

import re

from briefing.clean.document import Block, Document
from briefing.clean.fragment import looks_like_html
from briefing.clean.html import from_html, page_title
from briefing.clean.record import apply, read_json_record, split_front_matter
from briefing.clean.rules import from_blocks
from briefing.clean.text import markdown_blocks, text_blocks
from briefing.errors import InputError
from briefing.ingest import Kind, RawDocument

__all__ = ["Block", "Document", "page_title", "parse"]


def parse(raw: RawDocument) -> Document:
    """Turn decoded input into a Document, whatever its kind."""
    if raw.kind is Kind.HTML:
        document = from_html(raw.text)
    else:
        if raw.kind is Kind.JSON:
            record = read_json_record(raw.text, raw.name)
        else:
            record = split_front_matter(raw.text)
        document = Document(title="", blocks=[])
        apply(document, record.fields)
        if raw.kind is Kind.MARKDOWN or looks_like_html(record.body):
            blocks = markdown_blocks(record.body)
        else:
            blocks = text_blocks(record.body)
        document = from_blocks(blocks, document)
    document.url = document.url or raw.url
    if not any(block.heading_level == 0 for block in document.blocks):
        raise InputError(f"{raw.name}: no article text was found after removing page chrome")
    if not document.title:
        # No title: the first sentence names the briefing, and is read once, as
        # the story's start.
        document.titled = False
        first = next(block.text for block in document.blocks if block.heading_level == 0)
        document.title = re.split(r"(?<=[。！？!?])", first)[0]
    return document
