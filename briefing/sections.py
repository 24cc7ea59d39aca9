"""Cut a cleaned document into chapters a listener can navigate.

Structure is taken from wherever the text has it, in this order: headings
(Markdown/HTML, or numbered lines such as 一、 （一） 第一部分 1.); argument
paragraphs that open with parallel lead clauses (common in Chinese
commentary, as in the seed); else chapters of roughly even length at
paragraph boundaries. The headline is read first, in an opening chapter.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import fields

from briefing.article import Article, Metadata, Section
from briefing.clean import Block, Document

MAX_TITLE_CHARS = 24
# A news voice reads about 270 Chinese characters a minute (edge's
# Yunyang and Xiaoxiao at their default rate); plan estimates with it.
READING_CHARS_PER_MINUTE = 270
_EVEN_CHAPTER_CHARS = 900
_MIN_SPLIT_CHARS = 1500
_LEAD_SENTENCE_MAX_CHARS = 30
_TITLE_BAR = re.compile(r"\s*[|｜]\s*")
_COLUMN_MARK = re.compile(r"^[【\[][^】\]]{1,20}[】\]]\s*")
# Numbered headings by rank: 第一部分/第一章 above 一、 above （一） above 1.
# Only the highest rank present becomes chapters; lower ranks are list items
# inside them (a law's （一）（二） under 第十一条, a report's 1. 2. under 一、).
_NUMBERED_RANKS = (
    re.compile(r"^第[一二三四五六七八九十百]{1,3}(?:部分|编|篇|章)\s*"),
    re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、．.]"),
    re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]"),
    re.compile(r"^\d{1,2}\s*[.、．](?!\d)"),
)
_NUMBERED_HEADING_MAX_CHARS = 40
_LIST_ITEM_END = ("。", "！", "？", "；", ";", "，", ",", "：", ":")
# Short label paragraphs that head the parts of a digest (国内资讯, 基金动向).
_LABEL_HEADING = re.compile(r"^(?=.*[\u4e00-\u9fff])[^。！？；;：:]{2,24}(?<![，,、…])$")
_ENDS_SENTENCE = re.compile(r"[。！？!?]")
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十])\s*[)）]")
_APPENDIX = re.compile(
    r"^(?:名词解释|名詞解釋|附录|附錄|附件|附表|参考文献|參考文獻|注释|註釋)\S{0,12}$"
)
# A chapter longer than about ten minutes is cut at its sub-headings.
MAX_CHAPTER_CHARS = 10 * READING_CHARS_PER_MINUTE
_SPREAD_OUT = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff](?:[ \u3000]|$))")
_FIRST_SENTENCE = re.compile(r"^(.+?[。！？!?])")
_CLAUSE_SPLIT = re.compile(r"[，,：:；;。！？!?]")
_ASCII_PUNCT_IN_CJK = re.compile(r"(?<=[\u4e00-\u9fff”」』）])([,:;?!])(?=[\u4e00-\u9fff“「『（])")
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}


def build(document: Document) -> Article:
    """The document's sections, with the spoken headline opening the first."""
    headline = spoken_headline(document.title)
    blocks = _promote_numbered_headings(_confirm_guessed_headings(document.blocks))
    if any(block.heading_level for block in blocks):
        sections = _by_headings(blocks)
    else:
        paragraphs = [block.text for block in blocks]
        sections = _by_lead_clauses(paragraphs) or _by_length(paragraphs)
    if sections[0].title:
        sections.insert(0, Section(title="", paragraphs=[]))
    opening = sections[0]
    opening.title = short_title(headline)
    if document.titled:
        opening.paragraphs.insert(0, headline)
    sections = [section for section in sections if section.paragraphs]
    metadata = {f.name: getattr(document, f.name) for f in fields(Metadata)}
    return Article(sections=sections, dropped=document.dropped, titled=document.titled, **metadata)


def section_chars(section: Section) -> int:
    """The characters a chapter reads, as written."""
    return sum(len(paragraph) for paragraph in section.paragraphs)


def estimated_minutes(chars: int) -> float:
    """About how long ``chars`` characters take to read aloud."""
    return chars / READING_CHARS_PER_MINUTE


def spoken_headline(title: str) -> str:
    """The title as read aloud: without a 【column】 mark in front, its bars
    (深度 | 从天之骄子…) read as a pause."""
    spoken = _COLUMN_MARK.sub("", title).strip() or title
    return _TITLE_BAR.sub("，", spoken)


def short_title(text: str) -> str:
    """A chapter title of at most 24 characters that reads well in a podcast app."""
    # "第九章 附 则": the space only spreads the characters on the page.
    text = _SPREAD_OUT.sub("", text.strip()).rstrip("。！？!?；;，,：:")
    # Pages often type ASCII punctuation between Chinese words; titles show full-width.
    text = _ASCII_PUNCT_IN_CJK.sub(lambda m: _FULL_WIDTH[m.group(1)], text)
    if len(text) <= MAX_TITLE_CHARS:
        return text
    clauses = [m.end() for m in _CLAUSE_SPLIT.finditer(text) if 4 <= m.start() < MAX_TITLE_CHARS]
    if clauses:
        return text[: clauses[-1] - 1]
    from briefing.words import cut as words

    cut, length = [], 0
    for word in words(text):
        if length + len(word) > MAX_TITLE_CHARS - 1:
            break
        cut.append(word)
        length += len(word)
    return "".join(cut) + "…"


_GUESSED_HEADING_MIN_CHARS = 4
_LABELLED_PART_MIN_CHARS = 40
_CHAPTER_MIN_CHARS = 80


def _confirm_guessed_headings(blocks: list[Block]) -> list[Block]:
    """A bold line heads a chapter only when it reads like a title and the
    text under it makes a chapter: in chat-style posts every other line is
    bold (因为 / 简单说就是 / 愿大家都能) and those are read as text."""
    confirmed = []
    for i, block in enumerate(blocks):
        if block.heading_level and block.guessed:
            following = 0
            for after in blocks[i + 1 :]:
                if after.heading_level:
                    break
                following += len(after.text)
            if (
                len(block.text) < _GUESSED_HEADING_MIN_CHARS
                or block.text.startswith("—")
                or following < _CHAPTER_MIN_CHARS
            ):
                block = Block(block.text)
        confirmed.append(block)
    return confirmed


def _promote_numbered_headings(blocks: list[Block]) -> list[Block]:
    """Short numbered paragraphs (一、概况 / （二）… / 第三部分 …) are headings
    when at least two of the highest rank present are; the next rank down
    (（一） under 一、) heads chapters of its own inside a part too long to
    hear in one go. Short label paragraphs (国内资讯 / 被取消的面试) that
    each head a paragraph of the story are headings too, as is a glossary or
    appendix line (名词解释, 附件)."""
    present = []
    for rank_number, rank in enumerate(_NUMBERED_RANKS):
        numbered = {
            i
            for i, block in enumerate(blocks)
            if rank.match(block.text)
            and len(block.text) <= _NUMBERED_HEADING_MAX_CHARS
            and not block.text.endswith(_LIST_ITEM_END)
        }
        if len(numbered) >= 2:
            present.append((rank_number, numbered))
    if present:
        top, numbered = present[0]
        blocks = _with_level(blocks, numbered, 2)
        if len(present) > 1:
            blocks = _with_level(blocks, present[1][1] & _inside_long_parts(blocks), 3)
        else:
            for rank in _NUMBERED_RANKS[top + 1 :]:
                split = _split_fused_headings(blocks, rank)
                if split is not None:
                    blocks = split
                    break
    blocks = _with_level(blocks, _labels(blocks), 2)
    return _with_level(blocks, {i for i, b in enumerate(blocks) if _APPENDIX.match(b.text)}, 2)


def _split_fused_headings(blocks: list[Block], rank: re.Pattern[str]) -> list[Block] | None:
    """In a part too long to hear in one go, paragraphs that open with a
    numbered short sentence (（八）切实保障和改善民生。坚持…) are cut into that
    heading and the rest; None unless at least two are."""
    inside = _inside_long_parts(blocks)
    heads = {}
    for i in inside:
        text = blocks[i].text
        if rank.match(text) and (match := _FIRST_SENTENCE.match(text)):
            head = match.group(1)
            if len(head) <= _NUMBERED_HEADING_MAX_CHARS and len(text) > len(head):
                heads[i] = head
    if len(heads) < 2:
        return None
    split: list[Block] = []
    for i, block in enumerate(blocks):
        if i in heads:
            split += [Block(heads[i], 3), Block(block.text[len(heads[i]) :].strip())]
        else:
            split.append(block)
    return split


def _with_level(blocks: list[Block], indexes: set[int], level: int) -> list[Block]:
    return [
        Block(b.text, b.heading_level or level) if i in indexes else b for i, b in enumerate(blocks)
    ]


def _inside_long_parts(blocks: list[Block]) -> set[int]:
    """Indexes of the blocks in chapters longer than MAX_CHAPTER_CHARS."""
    inside: set[int] = set()
    part: list[int] = []
    for i, block in enumerate([*blocks, Block("", 1)]):
        if block.heading_level:
            if sum(len(blocks[j].text) for j in part) > MAX_CHAPTER_CHARS:
                inside.update(part)
            part = []
        else:
            part.append(i)
    return inside


def _labels(blocks: list[Block]) -> set[int]:
    """Label paragraphs: short, no sentence and no list number, each above
    some story text (up to the next label or heading); at least two."""
    candidates = [
        i
        for i, block in enumerate(blocks)
        if not block.heading_level
        and _LABEL_HEADING.match(block.text)
        and not any(rank.match(block.text) for rank in _NUMBERED_RANKS)
        and not _LIST_NUMBER.match(block.text)
    ]
    labels = set()
    for i, end in zip(candidates, [*candidates[1:], len(blocks)]):  # noqa: B905
        part = list(itertools.takewhile(lambda b: not b.heading_level, blocks[i + 1 : end]))
        if part and sum(len(b.text) for b in part) >= _LABELLED_PART_MIN_CHARS:
            labels.add(i)
    return labels if len(labels) >= 2 else set()


def _by_headings(blocks: list[Block]) -> list[Section]:
    sections = [Section(title="", paragraphs=[])]
    only_heading = False  # the last section holds nothing but its own heading yet
    level = 0  # of that heading
    for block in blocks:
        if block.heading_level:
            if sections[-1].title and only_heading:
                if block.heading_level <= level:
                    # A heading right under one of its rank: the second is the
                    # chapter's next line (a heading and its subtitle).
                    sections[-1].paragraphs.append(block.text)
                    continue
                # A group's heading right above its first item's (## then ###):
                # the item gets its chapter, and the group is read as its start.
                group = sections.pop()
                sections.append(
                    Section(
                        title=short_title(block.text), paragraphs=[*group.paragraphs, block.text]
                    )
                )
                continue
            sections.append(Section(title=short_title(block.text), paragraphs=[block.text]))
            only_heading = True
            level = block.heading_level
        else:
            sections[-1].paragraphs.append(block.text)
            only_heading = False
    return sections


def _lead_sentence(paragraph: str) -> str | None:
    match = _FIRST_SENTENCE.match(paragraph)
    if not match or len(paragraph) <= len(match.group(1)):
        return None  # a one-sentence paragraph leads nothing
    sentence = match.group(1)
    return sentence if len(sentence) <= _LEAD_SENTENCE_MAX_CHARS else None


def _by_lead_clauses(paragraphs: list[str]) -> list[Section] | None:
    """Argument paragraphs: a run of consecutive paragraphs each opening with a
    short lead sentence whose first clauses are parallel (the same length),
    like 提高政治站位,… / 咬紧目标任务,… / 拓宽协作空间,…"""
    shapes = []
    for paragraph in paragraphs:
        lead = _lead_sentence(paragraph)
        first_clause = _CLAUSE_SPLIT.split(lead, maxsplit=1)[0] if lead else ""
        shapes.append(
            len(first_clause) if lead and 2 <= len(first_clause) < len(lead) - 1 else None
        )
    best: tuple[int, int] = (0, 0)  # (start, length) of the longest parallel run
    start = 0
    for i in range(1, len(shapes) + 1):
        if i == len(shapes) or shapes[i] is None or shapes[i] != shapes[start]:
            if shapes[start] is not None and i - start > best[1]:
                best = (start, i - start)
            start = i
    run_start, run_length = best
    if run_length < 2:
        return None
    sections = [Section(title="", paragraphs=paragraphs[:run_start])]
    for paragraph in paragraphs[run_start : run_start + run_length]:
        lead = _lead_sentence(paragraph) or paragraph
        sections.append(Section(title=short_title(lead), paragraphs=[paragraph]))
    # Paragraphs after the run continue the last argument.
    sections[-1].paragraphs += paragraphs[run_start + run_length :]
    return sections


def _broken_walls(paragraphs: list[str], target: float) -> list[str]:
    """A wall of text pasted as one paragraph is cut into paragraphs of about
    half a chapter at sentence ends, so chapters can fall between them."""
    from briefing.segment import split_sentences

    broken: list[str] = []
    for paragraph in paragraphs:
        if len(paragraph) <= target:
            broken.append(paragraph)
            continue
        piece = ""
        for sentence in split_sentences(paragraph):
            if piece and len(piece) + len(sentence) > target / 2:
                broken.append(piece)
                piece = ""
            piece += sentence
        if piece:
            broken.append(piece)
    return broken


def _by_length(paragraphs: list[str]) -> list[Section]:
    """No structure: one chapter for a short article, else chapters of about
    even length, cut at paragraph boundaries and titled by their first clause."""
    total = sum(len(p) for p in paragraphs)
    if total < _MIN_SPLIT_CHARS:
        return [Section(title="", paragraphs=list(paragraphs))]
    count = max(2, round(total / _EVEN_CHAPTER_CHARS))
    target = total / count
    paragraphs = _broken_walls(paragraphs, target)
    sections = [Section(title="", paragraphs=[])]
    filled = 0
    for paragraph in paragraphs:
        if filled >= target * len(sections) and sections[-1].paragraphs:
            title = short_title(_CLAUSE_SPLIT.split(paragraph, maxsplit=1)[0])
            sections.append(Section(title=title, paragraphs=[]))
        sections[-1].paragraphs.append(paragraph)
        filled += len(paragraph)
    return sections
