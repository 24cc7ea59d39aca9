"""Strip page chrome from an article and keep the metadata hidden in it.

Text copied from a Chinese news page carries the page around the story: an
image's file name, a date and ``来源:`` line, a view counter, ``听新闻``,
``（作者为…）``, ``标签:``, ``责编:``, ``下一篇``. None of it is read aloud;
what it says about the article (source, date, author, editors, tags) becomes
metadata. HTML goes through trafilatura first, then through the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from briefing.errors import InputError
from briefing.ingest import Kind, RawDocument


@dataclass
class Block:
    """A paragraph, or a heading when ``heading_level`` is 1–6."""

    text: str
    heading_level: int = 0


@dataclass
class Document:
    """A cleaned article before it is cut into sections."""

    title: str
    blocks: list[Block]
    source: str | None = None
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    editors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_SENTENCE_END = "。！？!?…；;”」』\"）)"
_IMAGE_NAME = re.compile(r"^[^\s/\\]{1,80}\.(?:jpe?g|png|gif|webp|bmp|tiff?)$", re.I)
_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2}))?"
_DATELINE = re.compile(rf"^{_DATE}\s*(?:{_TIME})?\s*(?:(?:来源|稿源)\s*[:：]\s*(\S.*?))?$")
_SOURCE_LINE = re.compile(r"^(?:来源|稿源|出处)\s*[:：]\s*(\S.*?)$")
_AUTHOR_LINE = re.compile(r"^(?:作者|文|撰文|记者)\s*[:：|｜/]\s*(\S.*?)$")
_AUTHOR_NOTE = re.compile(r"^[（(]\s*(?:作者(?:为|系|是)?|记者)\s*(\S.*?)\s*[)）]?$")
_EDITOR_LINE = re.compile(r"^(?:责编|责任编辑|编辑|审核|审校|校对|监制|编审)\s*[:：]\s*(\S.*?)$")
_TAG_LINE = re.compile(r"^(?:标签|关键词|关键字|tags?)\s*[:：]\s*(\S.*?)$", re.I)
_LIST_SPLIT = re.compile(r"[;；,，、|｜\s]+")
_NAVIGATION = re.compile(
    r"^(?:听新闻|收听|朗读|下一篇|上一篇|下一页|上一页|返回顶部|返回首页|打印|关闭|关闭窗口|"
    r"分享到.*|扫一扫.*|字号.*|【?\s*大\s*中\s*小\s*】?|\d{1,7}|[（(]\s*完\s*[)）]|"
    r"(?:上|下)一篇\s*[:：].*|相关(?:新闻|阅读|文章)\s*[:：]?.*|推荐阅读\s*[:：]?.*)$"
)


def parse(raw: RawDocument) -> Document:
    """Turn decoded input into a Document, whatever its kind."""
    if raw.kind is Kind.HTML:
        document = _from_html(raw.text)
    elif raw.kind is Kind.MARKDOWN:
        document = _from_lines(_markdown_blocks(raw.text))
    else:
        document = _from_lines(_text_blocks(raw.text))
    document.url = document.url or raw.url
    if not any(block.heading_level == 0 for block in document.blocks):
        raise InputError(f"{raw.name}: no article text was found after removing page chrome")
    if not document.title:
        document.title = _fallback_title(document, raw.name)
    return document


def _text_blocks(text: str) -> list[Block]:
    """Paragraphs of plain text: one per line, except in hard-wrapped files,
    where lines that stop mid-sentence are joined to the next."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    wrapped = _is_hard_wrapped(lines)
    blocks: list[Block] = []
    pending = ""
    for line in lines:
        if not line:
            if pending:
                blocks.append(Block(pending))
                pending = ""
            continue
        pending = pending + line if pending else line
        if not wrapped or len(line) < 20 or line.endswith(tuple(_SENTENCE_END)):
            blocks.append(Block(pending))
            pending = ""
    if pending:
        blocks.append(Block(pending))
    return blocks


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
_MD_LIST = re.compile(r"^(?:[-*+]\s+|>\s*)")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$|^\|?[\s:|-]+\|[\s:|-]*$")


def _markdown_blocks(text: str) -> list[Block]:
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":  # YAML front matter: title/date/author kept as chrome lines
        try:
            end = lines.index("---", 1)
        except ValueError:
            end = 0
        front = [_front_matter_line(line) for line in lines[1:end]]
        lines = [line for line in front if line] + lines[end + 1 :]
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("".join(paragraph)))
            paragraph.clear()

    for line in lines:
        stripped = _SPACES.sub(" ", line).strip()
        heading = _MD_HEADING.match(stripped)
        if heading:
            flush()
            blocks.append(Block(_strip_markdown(heading.group(2)), len(heading.group(1))))
        elif not stripped or _MD_RULE.match(stripped):
            flush()
        else:
            content = _strip_markdown(_MD_LIST.sub("", stripped))
            if content:
                # Chinese lines join without a space; Latin words need one.
                if paragraph and paragraph[-1][-1:].isascii() and content[:1].isascii():
                    content = " " + content
                paragraph.append(content)
    flush()
    return blocks


def _front_matter_line(line: str) -> str:
    key, _, value = line.partition(":")
    value = value.strip().strip("\"'")
    names = {"title": "# ", "date": "", "author": "作者:", "source": "来源:", "tags": "标签:"}
    prefix = names.get(key.strip().lower())
    if prefix is None or not value:
        return ""
    return prefix + value.strip("[]")


def _strip_markdown(text: str) -> str:
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKUP.sub("", text)
    return _MD_EMPHASIS.sub(r"\1", text).strip()


def _from_html(html: str) -> Document:
    import trafilatura

    extracted = trafilatura.extract(
        html, output_format="markdown", include_comments=False, include_tables=False,
        include_images=False, favor_recall=True,
    )
    metadata = trafilatura.extract_metadata(html)
    if not extracted:
        raise InputError("no article text was found in the HTML page")
    document = _from_lines(_markdown_blocks(extracted))
    if metadata is not None:
        document.title = metadata.title or document.title
        document.source = document.source or metadata.sitename
        document.author = document.author or metadata.author
        document.url = metadata.url
        if metadata.tags and not document.tags:
            document.tags = [tag for tag in metadata.tags if tag]
        if metadata.date and not document.published:
            document.published = _parse_iso_date(metadata.date)
    # trafilatura repeats the page title as the first heading: read it once.
    if document.blocks and document.blocks[0].text == document.title:
        document.blocks.pop(0)
    return document


def _from_lines(blocks: list[Block]) -> Document:
    """Apply the chrome rules block by block, collecting metadata."""
    document = Document(title="", blocks=[])
    seen_body = False
    for block in blocks:
        text = block.text
        if block.heading_level == 1 and not document.title:
            document.title = text
            continue
        if _take_metadata(document, text):
            continue
        if _NAVIGATION.match(text) or _IMAGE_NAME.match(text):
            continue
        if not document.title and not seen_body and block.heading_level == 0 and _is_title_like(text):
            document.title = text
            continue
        seen_body = seen_body or block.heading_level == 0
        document.blocks.append(block)
    return document


def _take_metadata(document: Document, text: str) -> bool:
    """If ``text`` is a metadata line, record it and return True."""
    if match := _DATELINE.match(text):
        year, month, day, hour, minute, second, source = match.groups()
        try:
            document.published = datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        except ValueError:
            return False
        document.source = document.source or (source.strip() if source else None)
        return True
    if match := _SOURCE_LINE.match(text):
        document.source = document.source or match.group(1).strip()
        return True
    if match := _AUTHOR_NOTE.match(text) or _AUTHOR_LINE.match(text):
        # "江苏省政府驻西北办事处副主任 刘浩春": the name is the last word.
        document.author = document.author or match.group(1).split()[-1].strip("）)")
        return True
    if match := _EDITOR_LINE.match(text):
        document.editors += [name for name in _LIST_SPLIT.split(match.group(1)) if name]
        return True
    if match := _TAG_LINE.match(text):
        document.tags += [tag for tag in _LIST_SPLIT.split(match.group(1)) if tag]
        return True
    return False


def _is_title_like(text: str) -> bool:
    return len(text) <= 60 and not text.endswith(tuple("。！？!?；;，,："))


def _fallback_title(document: Document, name: str) -> str:
    first = next(block.text for block in document.blocks if block.heading_level == 0)
    sentence = re.split(r"(?<=[。！？!?])", first)[0]
    return sentence if len(sentence) <= 40 else name


def _parse_iso_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
