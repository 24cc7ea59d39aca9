"""Whole pages: the story's body via trafilatura, and the page's metadata."""

from __future__ import annotations

import logging
import re

from briefing.clean.document import HAN, SPACES, Document
from briefing.clean.fields import (
    BYLINE,
    LIST_SPLIT,
    NOT_NAMES,
    name_list,
    parse_date,
    take_metadata,
)
from briefing.clean.fragment import drop_image_captions, parse_page
from briefing.clean.rules import from_blocks
from briefing.clean.text import markdown_blocks
from briefing.errors import InputError

log = logging.getLogger(__name__)


def from_html(html: str) -> Document:
    import trafilatura

    html = _prepare_html(html)
    # trafilatura is given our tree: its own parser has libxml2's depth limit.
    extracted = trafilatura.extract(
        _tree_of(html),
        output_format="markdown",
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_recall=True,
    )
    fallback = _paragraphs_of(html)
    if len(_story_chars(extracted or "")) * 2 < len(_story_chars(fallback)):
        log.debug("trafilatura found little text; reading the page's paragraphs instead")
        extracted = fallback
    if not extracted:
        raise InputError("no article text was found in the HTML page")
    metadata = trafilatura.extract_metadata(_tree_of(html))
    document = from_blocks(markdown_blocks(extracted), guess_title=False)
    _merge_byline_metadata(document, html)
    document.title = document.title or _titled_element(html, document)
    if metadata is not None:
        _merge_page_metadata(document, metadata)
    # Pages repeat the headline as a heading above the text: read it once.
    title = SPACES.sub("", document.title)
    head = [b for b in document.blocks[:3] if SPACES.sub("", b.text) != title]
    document.blocks = head + document.blocks[3:]
    return document


def _tree_of(html: str) -> object:
    """A fresh tree for trafilatura (which changes what it is given), or the
    text itself when it is not HTML, for trafilatura to judge."""
    tree = parse_page(html)
    return html if tree is None else tree


_EARLY_CLOSE = re.compile(r"(?i)</(?:html|body)\s*>")
_COMMENTS = re.compile(r"comment|跟贴|pinglun", re.I)


def _prepare_html(html: str) -> str:
    """Remove what trafilatura keeps but a listener must not hear: readers'
    comments (toutiao, 163 and guancha mark them only by class names) and the
    caption paragraph portals put right under a photo."""
    import lxml.html

    # A header template that closes </html> early (gov.cn's) makes the parser
    # drop the whole article after it; the closing tags are implied anyway.
    html = _EARLY_CLOSE.sub("", html)
    tree = parse_page(html)
    if tree is None:
        return html
    changed = _drop_comment_sections(tree) + drop_image_captions(tree)
    return lxml.html.tostring(tree, encoding="unicode") if changed else html


def _drop_comment_sections(tree: object) -> int:
    body_chars = len(tree.text_content())  # type: ignore[attr-defined]
    doomed = []
    for element in tree.iter("div", "section", "ul", "ol", "aside"):  # type: ignore[attr-defined]
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        if not _COMMENTS.search(marks) or element.find(".//h1") is not None:
            continue
        if len(element.text_content()) < body_chars / 2:
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return len(doomed)


_PROSE_MIN_HAN = 20


def _paragraphs_of(html: str) -> str:
    """The page's prose paragraphs, for pages trafilatura reads as all menu
    (gov.cn's 国务院公报 pages): every <p> with a sentence of Chinese in it."""
    tree = parse_page(html)
    if tree is None:
        return ""
    paragraphs = []
    for element in tree.iter("p"):
        text = SPACES.sub(" ", element.text_content()).strip()
        if len(_story_chars(text)) >= _PROSE_MIN_HAN and re.search("[。！？]", text):
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _story_chars(text: str) -> str:
    """The Han characters of ``text`` in sentences (menus have none)."""
    sentences = re.findall(r"[^。！？\n]*[。！？]", text)
    return "".join(ch for s in sentences for ch in s if "\u4e00" <= ch <= "\u9fff")


_SHORT_SUFFIX = re.compile(rf"^(.{{6,}}?)[-_－][{HAN}A-Za-z]{{1,6}}$")
_TITLE_SUFFIX = re.compile(r"\s*(?:\s\|\s|｜|\s?_\s?|\s-\s|\s—\s|--)\s*")


_BYLINE_MAX_CHARS = 100
_TITLE_CLASS = re.compile(r"(?:^|[\s_-])(?:title|headline)(?:$|[\s_-])", re.I)
_TITLE_MAX_CHARS = 60


def _titled_element(html: str, document: Document) -> str:
    """The headline of a page whose <title> and headings name only the site:
    the element marked as the title (<p class="title">) above the story."""
    tree = parse_page(html)
    if tree is None:
        return ""
    story = next((b.text for b in document.blocks if not b.heading_level), "")[:12]
    for element in tree.iter("p", "div", "span", "td", "strong"):
        if _TITLE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}"):
            text = SPACES.sub(" ", element.text_content()).strip()
            if 6 <= len(text) <= _TITLE_MAX_CHARS and re.search(f"[{HAN}]", text):
                return text
        if story and story in SPACES.sub("", element.text or ""):
            break
    return ""


def _merge_byline_metadata(document: Document, html: str) -> None:
    """trafilatura drops a page's byline ("2023-08-01 09:30 来源：浙江日报
    作者：李四") along with the chrome; read the short lines above the story
    with the explicit metadata rules, filling only what is still missing.
    Lines below the story start are related-news lists and footers: not read."""
    story = next((b.text for b in document.blocks if not b.heading_level), "")[:12]
    tree = parse_page(html)
    if tree is None:
        return
    found = Document(title="", blocks=[])
    for element in tree.iter("p", "div", "span", "li", "td", "small", "em", "time"):
        if story and story in SPACES.sub("", element.text or ""):
            break
        line = SPACES.sub(" ", element.text_content()).strip()
        if 6 <= len(line) <= _BYLINE_MAX_CHARS:
            take_metadata(found, line, before_body=False)
    document.source = document.source or found.source
    document.author = document.author or found.author
    if found.published and (
        document.published is None
        or (document.published.date() == found.published.date() and not document.published.time())
    ):
        document.published = found.published  # the byline's time of day as well


def _merge_page_metadata(document: Document, metadata: object) -> None:
    """Fill what the page's own lines did not say from its <head> metadata,
    distrusting the SEO noise found there (site names in titles, keyword
    lists, 'Name; Email' authors, URLs as site names)."""
    title = page_title(getattr(metadata, "title", None) or "", document.title)
    document.title = title or document.title
    if not document.source:
        document.source = _site_name(getattr(metadata, "sitename", None))
    if not document.author:
        document.author = _author_from(getattr(metadata, "author", None) or "", document)
    document.url = document.url or getattr(metadata, "url", None)
    if not document.tags:
        document.tags = _page_tags(getattr(metadata, "tags", None) or [], document)
    date = getattr(metadata, "date", None)
    if date and not document.published:
        document.published = parse_date(date)


def page_title(page: str, heading: str) -> str:
    """The article's title from a page <title> and the body's first heading:
    '平鎮輪胎行惡火 疏散7人1女命喪 | 社會 | 中央社 CNA' → the headline alone."""
    page = SPACES.sub(" ", page).strip()
    if heading and page.startswith(heading):
        return heading
    parts = [part for part in _TITLE_SUFFIX.split(page) if part]
    if len(parts) > 1 and len(parts[0]) >= 6:
        page = parts[0]
    elif match := _SHORT_SUFFIX.match(page):
        page = match.group(1)  # 中华人民共和国监察法-纪检: the site's section name
    return heading if heading and len(heading) >= len(page) else page or heading


def _site_name(name: str | None) -> str | None:
    if not name:
        return None
    name = re.sub(r"(?:版权所有|版權所有|\s*\|.*)$", "", name.strip()).strip()
    if not name or "/" in name or re.fullmatch(r"[\w.-]+\.[a-z]{2,}", name):
        return None  # a URL or a bare host name says nothing a listener wants
    return name


def _author_from(text: str, document: Document) -> str | None:
    text = SPACES.sub(" ", text).strip()
    if not text or len(text) > 30 or re.search(r"[;@]|网友|網友|版权|Email|Name|\bIp\b", text):
        return None
    if match := _EDITOR_FIELD.match(text):
        document.editors += name_list(match.group(1))
        return None
    if match := BYLINE.match(text):
        return "、".join(name_list(match.group("names")))
    if text not in NOT_NAMES and _PLAIN_NAME.fullmatch(text):
        return text
    return None


_PLAIN_NAME = re.compile(rf"[{HAN}]{{2,4}}|[A-Za-z][A-Za-z .'-]{{1,30}}")
_EDITOR_FIELD = re.compile(r"^(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：]\s*(\S.*)$")


def _page_tags(raw_tags: list[str], document: Document) -> list[str]:
    """Keywords from <meta>, kept only when the article itself uses them: many
    portals put the same site-wide SEO list on every page."""
    body = document.title + "".join(block.text for block in document.blocks)
    tags: list[str] = []
    for entry in raw_tags:
        # Some pages start their keywords with the headline itself.
        entry = entry.replace(document.title, " ") if document.title else entry
        for tag in LIST_SPLIT.split(entry):
            if tag and len(tag) <= 12 and tag in body and tag not in tags:
                tags.append(tag)
    return tags[:12]
