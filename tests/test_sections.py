"""Chapters from whatever structure the text has."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from briefing.clean import Block, Document
from briefing.cli import cli
from briefing.sections import (
    MAX_CHAPTER_CHARS,
    MAX_TITLE_CHARS,
    build,
    section_chars,
    short_title,
    spoken_headline,
)

PARAGRAPH = (
    "江苏和对口省份经济发展互补性强、情感纽带越来越深、合作期待越来越高，我们不断拓展合作领域。"
)


def document(*blocks: Block, title: str = "【专栏】一篇文章的标题") -> Document:
    return Document(title=title, blocks=list(blocks))


def p(text: str = PARAGRAPH) -> Block:
    return Block(text)


def titles(doc: Document) -> list[str]:
    return [section.title for section in build(doc).sections]


def test_the_opening_chapter_starts_with_the_spoken_headline() -> None:
    article = build(document(p(), p()))
    assert (
        spoken_headline("【思想周刊·政声】紧扣“关键之年”做好对口支援")
        == "紧扣“关键之年”做好对口支援"
    )
    assert article.sections[0].paragraphs[0] == "一篇文章的标题"
    assert article.sections[0].title == "一篇文章的标题"
    assert article.title == "【专栏】一篇文章的标题"  # metadata keeps the column mark


def test_markdown_and_html_headings() -> None:
    doc = document(p(), Block("背景", 2), p(), Block("进展", 2), Block("最新情况", 3), p())
    # a group (##) right above its first item (###): the item has its chapter,
    # and the group's heading is read at its start
    assert titles(doc) == ["一篇文章的标题", "背景", "最新情况"]
    assert build(doc).sections[2].paragraphs[:2] == ["进展", "最新情况"]
    # a heading right under one of its own rank is read as its subtitle
    doc = document(p(), Block("背景", 2), Block("这是副标题", 2), p())
    assert titles(doc) == ["一篇文章的标题", "背景"]


def test_chinese_numbered_headings() -> None:
    doc = document(
        p(),
        p("一、总体要求"),
        p(),
        p("（一）指导思想"),
        p(),
        p("二、主要任务"),
        p(),
        p("1. 完善标准体系"),
        p(),
    )
    # only the highest rank present makes chapters; （一） and 1. are items inside
    assert titles(doc) == ["一篇文章的标题", "一、总体要求", "二、主要任务"]


def test_law_chapters_and_list_items() -> None:
    doc = document(
        p("第一章 总 则"),
        p("第一条 为了深化国家监察体制改革，制定本法。"),
        p("（一）对公职人员开展廉政教育；"),
        p("（二）进行调查；"),
        p("第二章 监察机关及其职责"),
        p("第七条 国家监察委员会是最高监察机关。"),
    )
    assert titles(doc) == ["一篇文章的标题", "第一章总则", "第二章 监察机关及其职责"]


def test_digest_labels_become_chapters() -> None:
    doc = document(p("收盘播报"), p(), p("国内资讯"), p(), p(), p("国际资讯"), p())
    assert titles(doc) == ["一篇文章的标题", "收盘播报", "国内资讯", "国际资讯"]


def test_parallel_lead_clauses_as_in_the_seed() -> None:
    doc = document(
        p("今年是关键之年。" + PARAGRAPH),
        p("提高政治站位，进一步增强使命感责任感紧迫感。" + PARAGRAPH),
        p("咬紧目标任务，以硬措施完成硬任务确保硬成效。" + PARAGRAPH),
        p("拓宽协作空间，走好东西双向互济携手共进新路子。" + PARAGRAPH),
    )
    assert titles(doc)[1:] == [
        "提高政治站位，进一步增强使命感责任感紧迫感",
        "咬紧目标任务，以硬措施完成硬任务确保硬成效",
        "拓宽协作空间，走好东西双向互济携手共进新路子",
    ]


def test_no_structure_gives_chapters_of_even_length_at_paragraph_boundaries() -> None:
    paragraphs = [p(f"第{i}段{PARAGRAPH}{PARAGRAPH}{PARAGRAPH}") for i in range(30)]
    article = build(document(*paragraphs))
    lengths = [sum(len(x) for x in s.paragraphs) for s in article.sections]
    assert len(article.sections) >= 4
    assert max(lengths) < 2 * min(lengths)
    # every paragraph is read exactly once, in order
    read = [x for s in article.sections for x in s.paragraphs][1:]
    assert read == [block.text for block in paragraphs]


def test_a_short_article_is_one_chapter() -> None:
    assert len(build(document(p(), p())).sections) == 1


def test_chapter_titles_are_short() -> None:
    long_heading = "贯彻落实十九届四中全会精神，坚定中国特色社会主义制度自信，抓好三件事"
    title = short_title(long_heading)
    assert len(title) <= MAX_TITLE_CHARS
    assert title == "贯彻落实十九届四中全会精神"
    no_clause = short_title(
        "中华人民共和国国家监察委员会领导地方各级监察委员会的工作和上级监察委员会"
    )
    assert len(no_clause) <= MAX_TITLE_CHARS and no_clause.endswith("…")
    assert short_title("提高政治站位,进一步增强使命感") == "提高政治站位，进一步增强使命感"


def test_bold_lines_head_chapters_only_over_enough_text() -> None:
    # A chat-style post bolds every other line; a feature bolds its sub-headings.
    doc = document(
        p(),
        Block("因为", 3, guessed=True),
        p("全！封！闭！"),
        Block("沿途的绕行路线", 3, guessed=True),
        p("无锡-暨南大道-海港大道-汽渡。"),
        Block("河流、丛林、野兽与冰川", 3, guessed=True),
        p(),
        p(),
        p(),
        p(),
    )
    assert titles(doc) == ["一篇文章的标题", "河流、丛林、野兽与冰川"]
    read = [x for s in build(doc).sections for x in s.paragraphs]
    assert "因为" in read and "沿途的绕行路线" in read  # demoted, still read


def test_a_wall_of_text_is_cut_at_sentence_ends() -> None:
    sentences = [f"第{i}句{PARAGRAPH}" for i in range(60)]
    article = build(document(p("".join(sentences))))
    assert len(article.sections) >= 3
    read = "".join(
        x for s in article.sections for x in s.paragraphs[(1 if s is article.sections[0] else 0) :]
    )
    assert read == "".join(sentences)
    for section in article.sections[1:]:
        assert section.paragraphs[0].startswith("第")  # a chapter starts with a sentence


def test_a_part_over_ten_minutes_is_cut_at_its_sub_headings_and_a_glossary_is_its_own() -> None:
    long_part = [p(PARAGRAPH * 10) for _ in range(int(MAX_CHAPTER_CHARS / len(PARAGRAPH * 10)))]
    doc = document(
        p("一、回顾"),
        p(),
        p("（一）过去一年"),
        p(),
        p("二、今年重点工作"),
        p(),
        p("（一）扩大内需"),
        *long_part,
        p("（二）绿色发展"),
        *long_part,
        p("名词解释"),
        p("1.新质生产力：以创新起主导作用的先进生产力质态。"),
    )
    # the short part keeps its （一） inside; the long one is cut at them
    assert titles(doc) == [
        "一篇文章的标题",
        "一、回顾",
        "二、今年重点工作",
        "（一）扩大内需",
        "（二）绿色发展",
        "名词解释",
    ]
    sections = build(doc).sections
    assert all(section_chars(s) <= MAX_CHAPTER_CHARS * 1.1 for s in sections)


def test_plan_shows_chapter_lengths_minutes_and_what_was_dropped(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "---\ntitle: 一篇文章的标题\nsource: 中国江苏网\n---\n\n下载 打印 全屏 收藏\n\n"
        + PARAGRAPH
        + "\n\n阅读原文\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(
        cli, ["plan", str(page), "--backend", "espeak", "--show-dropped"], catch_exceptions=False
    )
    assert result.exit_code == 0
    chars = len("一篇文章的标题") + len(PARAGRAPH)
    assert f"1. 一篇文章的标题  ({chars} characters, ~{chars / 270:.1f} min)" in result.output
    dropped = result.output.split("Dropped, not read (2):")[1]
    assert "✗ 下载 打印 全屏 收藏" in dropped and "✗ 阅读原文" in dropped
    plan = json.loads(
        runner.invoke(cli, ["plan", str(page), "--backend", "espeak", "--json"]).output
    )
    assert (plan["sections"][0]["chars"], plan["titled"]) == (chars, True)
    assert "dropped" not in plan


def test_plan_says_when_there_is_no_title(tmp_path: Path) -> None:
    page = tmp_path / "20231018.txt"
    page.write_text(PARAGRAPH + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", str(page), "--backend", "espeak", "--json"])
    plan = json.loads(result.output)
    assert plan["titled"] is False
    assert plan["title"] == PARAGRAPH  # not the file name
    chunks = [chunk["text"] for section in plan["sections"] for chunk in section["chunks"]]
    assert "".join(chunks) == PARAGRAPH  # read once


def test_numbered_headings_run_into_their_paragraph_head_chapters_of_a_long_part() -> None:
    body = PARAGRAPH * 25  # three of them: over ten minutes
    doc = document(
        p("一、回顾"),
        p(),
        p("二、今年重点工作"),
        p(),
        p("（一）扩大内需。" + body),
        p("（二）绿色发展。" + body),
        p("（三）守牢底线。" + body),
    )
    assert titles(doc) == [
        "一篇文章的标题",
        "一、回顾",
        "二、今年重点工作",
        "（一）扩大内需",
        "（二）绿色发展",
        "（三）守牢底线",
    ]
    # nothing is lost: the heading sentence is read, then its paragraph
    assert build(doc).sections[3].paragraphs == ["（一）扩大内需。", body]
