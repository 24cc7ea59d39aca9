"""HTML inside Markdown or a record's text: paragraphs and headings from its
tags, as a whole page gets them."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from briefing.clean.chrome import is_caption
from briefing.clean.document import SPACES, Block, looks_like_heading

if TYPE_CHECKING:
    import lxml.html

_HTML_CAPTION_MAX_CHARS = 40


# C0 controls are never text, and lxml takes them into a tree it then cannot
# serialise (trafilatura's own loader happened to drop them).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@cache
def _parser() -> lxml.html.HTMLParser:
    import lxml.html

    # huge_tree: libxml2 otherwise stops at ~255 nested elements and silently
    # drops everything deeper (pages built of nested layout <div>s do nest so).
    return lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)


def parse_page(html: str) -> lxml.html.HtmlElement | None:
    """A whole page's tree, however deeply nested, or None if it is not HTML."""
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.fromstring(_CONTROLS.sub("", html), parser=_parser())
    except (lxml.etree.ParserError, ValueError):
        return None


# Elements that flow inside a paragraph; every other element is a block.
_INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "big",
        "cite",
        "code",
        "del",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
    ]
)
_SKIPPED_TAGS = frozenset(
    ["script", "style", "noscript", "iframe", "video", "audio", "object", "embed", "svg"]
)
_BOLD_TAGS = frozenset({"b", "strong"})
_BOLD_STYLE = re.compile(r"bold|font-weight\s*:\s*[6-9]00", re.I)
_BLOCK_TAG = re.compile(
    r"<(?:p|div|br|h[1-6]|section|article|table|tr|li|center|blockquote|figure)\b[^>]*>", re.I
)


def looks_like_html(text: str) -> bool:
    """Markdown (or a record's text) written as HTML: a Hexo post's <p>s, a
    CMS export's <div>s, a dataset's <doc><summary> markup."""
    if len(_BLOCK_TAG.findall(text)) >= 2:
        return True
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) >= 3 and sum(line.startswith("<") for line in lines) >= 0.4 * len(lines)


def fragment_blocks(html: str) -> list[str | Block]:
    """An HTML fragment's paragraphs and headings from its structure: every
    block element ends a paragraph, as does <br>; <h1>–<h6> are headings, and
    a short paragraph that is bold throughout (<strong>, <b>, a bold <font>)
    is a guessed subheading. Text between the tags is given back as written
    (a string), for the caller to read as Markdown."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(
            _CONTROLS.sub("", html), create_parent="div", parser=_parser()
        )
    except (lxml.etree.ParserError, ValueError):
        return [html]
    drop_image_captions(root)
    pieces: list[str | Block] = []
    current: list[tuple[str, bool]] = []  # text runs of the paragraph, with their boldness

    def flush() -> None:
        text = "".join(run for run, _ in current)
        if text.strip():
            bold = all(is_bold or not run.strip() for run, is_bold in current)
            if bold and looks_like_heading(SPACES.sub(" ", text).strip()):
                pieces.append(Block(SPACES.sub(" ", text).strip(), 3, guessed=True))
            else:
                pieces.append(text)
        current.clear()

    def walk(element: lxml.html.HtmlElement, bold: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIPPED_TAGS or not tag:
            if element.tail:
                current.append((element.tail, bold))
            return
        block = tag not in _INLINE_TAGS
        inner_bold = (
            bold
            or tag in _BOLD_TAGS
            or bool(_BOLD_STYLE.search(" ".join(str(v) for v in element.attrib.values())))
        )
        if tag == "br" or block:
            flush()
        if heading := re.fullmatch(r"h([1-6])", tag):
            text = SPACES.sub(" ", element.text_content()).strip()
            if text:
                pieces.append(Block(text, int(heading.group(1))))
        else:
            if element.text:
                current.append((element.text, inner_bold))
            for child in element:
                walk(child, inner_bold)
            if block:
                flush()
        if element.tail:
            current.append((element.tail, bold))

    walk(root, False)
    flush()
    return pieces


def drop_image_captions(tree: object) -> int:
    """<p><img></p><p>小花家。</p>: the second paragraph is the photo's
    caption when it is short and one clause, or ends with a credit. Text that
    could be a short sentence of the story (it has a comma) stays."""
    dropped = 0
    for image in list(tree.iter("img")):  # type: ignore[attr-defined]
        holder = image.getparent()
        while holder is not None and holder.tag not in ("p", "div", "figure", "center"):
            holder = holder.getparent()
        if holder is None:
            continue
        if not holder.text_content().strip():
            caption = holder.getnext()
        elif holder.tag != "p":
            caption = image.getnext()  # <img> among the article's paragraphs
        else:
            continue
        if caption is None or caption.tag not in ("p", "div", "span", "center"):
            continue
        text = SPACES.sub(" ", caption.text_content()).strip()
        if text and (
            is_caption(text)
            or (
                len(text) <= _HTML_CAPTION_MAX_CHARS
                and not re.search(r"[，,；;：:！？!?]", text)
                and text.count("。") <= 1
            )
        ):
            caption.drop_tree()
            dropped += 1
    return dropped
