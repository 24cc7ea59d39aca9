"""publish: scanning and checking briefings, stable identities, safe names, escaping."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from publish_helpers import FIXTURE, FIXTURE_STEM, add_briefing, read_metadata, write_metadata

from briefing.cli import cli
from briefing.errors import InputError, OutputError
from briefing.publish import STATE_FILE, PublishConfig, publish, slugify, unique_slug
from briefing.sidecars import METADATA_SUFFIX

BASE = "https://news.example.com/listen"


def _publish(folder: Path, **options: object) -> object:
    return publish(PublishConfig(folder, base_url=options.pop("base_url", BASE), **options))  # type: ignore[arg-type]


def _identities(folder: Path) -> dict[str, tuple[str, str, str]]:
    state = json.loads((folder / STATE_FILE).read_text("utf-8"))
    return {k: (v["guid"], v["slug"], v["pub_date"]) for k, v in state["episodes"].items()}


def _feed_guids(folder: Path) -> dict[str, str]:
    import feedparser

    parsed = feedparser.parse((folder / "feed.xml").read_bytes())
    return {entry.title: entry.id for entry in parsed.entries}


# --- stability ----------------------------------------------------------------------------------


def test_republishing_after_adding_a_briefing_keeps_guids_and_urls(tmp_path: Path) -> None:
    add_briefing(tmp_path, "first", title="第一篇")
    first = _publish(tmp_path)
    guids, ids = _feed_guids(tmp_path), _identities(tmp_path)
    page = (tmp_path / "episodes" / "first.html").read_bytes()

    add_briefing(tmp_path, "second", title="第二篇", created="2026-11-29T08:00:00+00:00")
    second = _publish(tmp_path)

    assert _feed_guids(tmp_path)["第一篇"] == guids["第一篇"]
    assert _identities(tmp_path)["first.mp3"] == ids["first.mp3"]
    assert (tmp_path / "episodes" / "first.html").read_bytes() == page
    assert first.channel.guid == second.channel.guid  # type: ignore[attr-defined]
    assert len(set(_feed_guids(tmp_path).values())) == 2


def test_republishing_unchanged_input_changes_no_file(tmp_path: Path) -> None:
    add_briefing(tmp_path, "first")
    _publish(tmp_path)
    before = _snapshot(tmp_path)
    _publish(tmp_path)
    assert _snapshot(tmp_path) == before


def test_a_remade_briefing_keeps_its_guid_page_and_date_but_gets_the_new_length(
    tmp_path: Path,
) -> None:
    metadata_path = add_briefing(tmp_path, "first")
    _publish(tmp_path)
    ids = _identities(tmp_path)
    # `make` again into the same file: new audio (its frames twice), new created time
    from mutagen.id3 import ID3

    data = (tmp_path / "first.mp3").read_bytes()
    with (tmp_path / "first.mp3").open("ab") as audio:
        audio.write(data[ID3(tmp_path / "first.mp3").size :])
    metadata = read_metadata(metadata_path)
    metadata["created"] = "2026-12-01T10:00:00+00:00"
    metadata["title"] = "改过的标题"
    write_metadata(metadata_path, metadata)
    _publish(tmp_path)

    assert _identities(tmp_path) == ids
    feed = (tmp_path / "feed.xml").read_text("utf-8")
    assert f'length="{(tmp_path / "first.mp3").stat().st_size}"' in feed
    assert "改过的标题" in feed


def test_the_base_url_and_show_options_are_remembered(tmp_path: Path) -> None:
    add_briefing(tmp_path, "first")
    _publish(tmp_path, title="江苏·听新闻", author="江苏网", email="listen@js.example.cn")
    result = publish(PublishConfig(tmp_path))  # no options at all the second time
    assert result.channel.base_url == BASE
    assert result.channel.title == "江苏·听新闻"
    assert result.channel.author == "江苏网"
    assert result.channel.email == "listen@js.example.cn"


@pytest.mark.parametrize("email", ["listen", "listen@", "a b@js.example.cn", "listen@js"])
def test_an_email_that_is_not_one_is_refused(tmp_path: Path, email: str) -> None:
    add_briefing(tmp_path, "good")
    with pytest.raises(InputError, match="not an email address"):
        _publish(tmp_path, email=email)


def test_a_damaged_state_file_stops_publish_instead_of_renumbering(tmp_path: Path) -> None:
    add_briefing(tmp_path, "first")
    _publish(tmp_path)
    (tmp_path / STATE_FILE).write_text("{ broken", encoding="utf-8")
    with pytest.raises(OutputError, match="damaged"):
        _publish(tmp_path)


def test_publishing_touches_no_briefing_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    add_briefing(tmp_path, "first")
    before = _snapshot(tmp_path)
    _publish(tmp_path)
    after = _snapshot(tmp_path)
    assert {name: digest for name, digest in after.items() if name in before} == before
    assert not [name for name in after if re.search(r"(^|/)\.[^/]+\.\w+\.", name)]


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- names --------------------------------------------------------------------------------------


def test_slugs_are_ascii_and_chinese_becomes_pinyin() -> None:
    assert slugify("江苏对口支援") == "jiang-su-dui-kou-zhi-yuan"
    assert slugify("2019 News: Ａｂｃ!") == "2019-news-abc"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("……") == "briefing"
    assert len(slugify("长" * 200)) <= 60


def test_clashing_slugs_get_a_number() -> None:
    assert unique_slug("a-b", {"a-b", "a-b-2"}) == "a-b-3"
    assert unique_slug("c", {"a-b"}) == "c"


def test_clashing_names_get_distinct_pages_and_a_slug_is_never_reused(tmp_path: Path) -> None:
    add_briefing(tmp_path, "A b")
    add_briefing(tmp_path, "a-b")
    add_briefing(tmp_path, "江苏对口支援")
    _publish(tmp_path)
    slugs = {key: slug for key, (_, slug, _) in _identities(tmp_path).items()}
    assert slugs == {
        "A b.mp3": "a-b",
        "a-b.mp3": "a-b-2",
        "江苏对口支援.mp3": "jiang-su-dui-kou-zhi-yuan",
    }
    for slug in slugs.values():
        assert (tmp_path / "episodes" / f"{slug}.html").is_file()
        assert (tmp_path / "episodes" / f"{slug}.embed.html").is_file()
    # the first one goes away and a new "a b" arrives: it must not take the old URL
    for path in tmp_path.glob("A b.*"):
        path.unlink()
    add_briefing(tmp_path, "a_b")
    _publish(tmp_path)
    assert _identities(tmp_path)["a_b.mp3"][1] == "a-b-3"
    # the Chinese file name is percent-encoded in the feed
    assert "%E6%B1%9F%E8%8B%8F" in (tmp_path / "feed.xml").read_text("utf-8")


# --- broken briefings ---------------------------------------------------------------------------


def _break(folder: Path, stem: str, how: str) -> None:
    path = add_briefing(folder, stem)
    metadata = read_metadata(path)
    if how == "json":
        path.write_text("{ not json", encoding="utf-8")
        return
    if how == "unreadable":  # a folder where the file is expected: reading it fails, even as root
        path.unlink()
        path.mkdir()
        return
    if how == "format":
        metadata["format"] = 99
    elif how == "escape":
        metadata["files"]["audio"] = "../outside.mp3"
    elif how == "absolute":
        metadata["files"]["vtt"] = "/etc/passwd"
    elif how == "missing":
        (folder / f"{stem}.mp3").unlink()
    elif how == "not-mp3":
        (folder / f"{stem}.mp3").write_bytes(b"")
    elif how == "vtt":  # format 1 reads its cues from the VTT
        metadata["format"] = 1
        del metadata["cues"]
        (folder / f"{stem}.vtt").write_text("not subtitles", encoding="utf-8")
    elif how == "cues":
        metadata["cues"][2]["end_ms"] = "soon"
    elif how == "truncated":  # a copy cut short
        mp3 = folder / f"{stem}.mp3"
        mp3.write_bytes(mp3.read_bytes()[: mp3.stat().st_size // 3])
    elif how == "short":  # cut at a frame's end: only the recorded duration tells
        metadata["duration_ms"] *= 3
    elif how == "damaged":
        mp3 = folder / f"{stem}.mp3"
        data = bytearray(mp3.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 400] = bytes(400)
        mp3.write_bytes(bytes(data))
    elif how == "duration":
        metadata["duration_ms"] = "long"
    elif how == "title":
        metadata["title"] = ""
    elif how == "chapters":
        metadata["chapters"] = [{"title": "x", "start_ms": 5, "end_ms": 1}]
    elif how == "date":
        metadata["published"] = "yesterday"
    elif how == "symlink":
        outside = folder.parent / "secret.vtt"
        outside.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nsecret\n", encoding="utf-8")
        (folder / f"{stem}.vtt").unlink()
        (folder / f"{stem}.vtt").symlink_to(outside)
    write_metadata(path, metadata)


BREAKAGES = ["json", "unreadable", "format", "escape", "absolute", "missing", "not-mp3", "vtt",
             "cues", "truncated", "short", "damaged", "duration", "title", "chapters", "date",
             "symlink"]  # fmt: skip


@pytest.mark.parametrize("how", BREAKAGES)
def test_a_broken_briefing_is_reported_and_skipped(tmp_path: Path, how: str) -> None:
    site = tmp_path / "site"
    add_briefing(site, "good")
    _break(site, "bad", how)
    result = _publish(site)
    assert [e.key for e in result.episodes] == ["good.mp3"]  # type: ignore[attr-defined]
    assert [s.metadata_file for s in result.skipped] == ["bad.briefing.json"]  # type: ignore[attr-defined]
    reason = result.skipped[0].reason  # type: ignore[attr-defined]
    assert reason
    if how in ("truncated", "short"):
        assert "bad.mp3 holds 0:0" in reason and "the file is truncated" in reason
    if how == "damaged":
        assert "bad.mp3 is damaged at byte" in reason
    assert "bad" not in (site / "feed.xml").read_text("utf-8")


@pytest.mark.parametrize("how", ["folder", "dangling-link"])
def test_an_unreadable_sidecar_or_mp3_makes_a_broken_briefing(tmp_path: Path, how: str) -> None:
    # load_episode checks that each file named is a file, so these readers meet an
    # unreadable one only when it changed since, or as a user without permission: call them.
    from briefing.publish.episodes import BrokenBriefing, _checked_mp3, _read_sidecar

    unreadable = tmp_path / "gone.vtt"
    if how == "folder":
        unreadable.mkdir()
    else:
        unreadable.symlink_to(tmp_path / "nowhere.vtt")
    with pytest.raises(BrokenBriefing, match=r"^bad\.briefing\.json: cannot read gone\.vtt \("):
        _read_sidecar(unreadable, "bad.briefing.json")
    with pytest.raises(BrokenBriefing, match=r"^bad\.briefing\.json: cannot read gone\.vtt \("):
        _checked_mp3(unreadable, "bad.briefing.json", 1000)


def test_two_metadata_files_naming_one_audio_file_publish_it_once(tmp_path: Path) -> None:
    add_briefing(tmp_path, "one")
    copy = read_metadata(tmp_path / "one.briefing.json")
    write_metadata(tmp_path / "zzz.briefing.json", copy)
    result = _publish(tmp_path)
    assert len(result.episodes) == 1  # type: ignore[attr-defined]
    assert "same audio file" in result.skipped[0].reason  # type: ignore[attr-defined]


def test_the_cli_reports_skipped_briefings_and_succeeds(tmp_path: Path) -> None:
    add_briefing(tmp_path, "good")
    _break(tmp_path, "bad", "escape")
    result = CliRunner().invoke(cli, ["publish", str(tmp_path), "--base-url", BASE])
    assert result.exit_code == 0, result.output
    assert "Skipped: bad.briefing.json: the audio file '../outside.mp3'" in result.output
    assert "not a plain file name" in result.output
    assert f"Published 1 briefing in {tmp_path}: {BASE}/feed.xml" in result.output


def test_the_cli_fails_in_one_line_when_nothing_can_be_published(tmp_path: Path) -> None:
    runner = CliRunner()
    empty = runner.invoke(cli, ["publish", str(tmp_path), "--base-url", BASE])
    assert empty.exit_code == 1
    assert empty.output.startswith("Error: no briefings in")
    _break(tmp_path, "bad", "json")
    broken = runner.invoke(cli, ["publish", str(tmp_path), "--base-url", BASE])
    assert broken.exit_code == 1
    assert "every briefing" in broken.output and "Traceback" not in broken.output
    no_url = runner.invoke(cli, ["publish", str(tmp_path)])
    assert no_url.exit_code == 1 and "--base-url" in no_url.output


@pytest.mark.parametrize("url", ["ftp://x.example", "news.example.com", "https://x.example/?a=1"])
def test_a_bad_base_url_is_refused(tmp_path: Path, url: str) -> None:
    add_briefing(tmp_path, "good")
    with pytest.raises(InputError, match="base-url"):
        _publish(tmp_path, base_url=url)


def test_a_cover_is_copied_checked_and_a_non_image_refused(tmp_path: Path) -> None:
    from briefing.publish.images import default_cover_png

    add_briefing(tmp_path / "site", "good")
    cover = tmp_path / "logo.png"
    cover.write_bytes(default_cover_png(1500))
    result = _publish(tmp_path / "site", cover=cover)
    assert (tmp_path / "site" / "cover.png").read_bytes() == cover.read_bytes()
    assert f"{BASE}/cover.png" in (tmp_path / "site" / "feed.xml").read_text("utf-8")
    assert result.warnings == []  # type: ignore[attr-defined]

    small = tmp_path / "small.jpg"  # a JPEG header: SOI, APP0, then SOF0 of 600×400
    small.write_bytes(
        b"\xff\xd8" + b"\xff\xe0\x00\x04\x00\x00"
        + b"\xff\xc0\x00\x11\x08" + (400).to_bytes(2, "big") + (600).to_bytes(2, "big") + b"\0" * 12
    )  # fmt: skip
    result = _publish(tmp_path / "site", cover=small)
    assert result.channel.cover == "cover.jpg"  # type: ignore[attr-defined]
    assert "600×400 px" in result.warnings[0]  # type: ignore[attr-defined]
    fake = tmp_path / "fake.png"
    fake.write_text("<svg/>", encoding="utf-8")
    with pytest.raises(InputError, match="not a JPEG or PNG"):
        _publish(tmp_path / "site", cover=fake)


def test_the_cover_is_named_by_its_content_not_its_file_name(tmp_path: Path) -> None:
    from briefing.publish.images import default_cover_png

    add_briefing(tmp_path / "site", "good")
    misnamed = tmp_path / "logo.jpg"
    misnamed.write_bytes(default_cover_png(1400))
    result = _publish(tmp_path / "site", cover=misnamed)
    assert result.channel.cover == "cover.png"  # type: ignore[attr-defined]
    assert (tmp_path / "site" / "cover.png").read_bytes() == misnamed.read_bytes()
    assert not (tmp_path / "site" / "cover.jpg").exists()


def test_an_unreadable_cover_in_the_site_is_one_line_error(tmp_path: Path) -> None:
    from briefing.publish.images import default_cover_png

    add_briefing(tmp_path / "site", "good")
    (tmp_path / "site" / "cover.png").mkdir()  # in the way of the cover: cannot be read
    cover = tmp_path / "logo.png"
    cover.write_bytes(default_cover_png(1400))
    result = CliRunner().invoke(
        cli, ["publish", str(tmp_path / "site"), "--base-url", BASE, "--cover", str(cover)]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot read {tmp_path / 'site' / 'cover.png'} ")
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


def test_temporary_files_of_make_are_not_briefings(tmp_path: Path) -> None:
    add_briefing(tmp_path, "good")
    shutil.copyfile(tmp_path / "good.briefing.json", tmp_path / ".good.briefing.json")
    result = _publish(tmp_path)
    assert len(result.episodes) == 1 and result.skipped == []  # type: ignore[attr-defined]


# --- escaping -----------------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse_html(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text("utf-8"))
    return parser


def test_everything_from_an_article_is_text_in_the_pages(tmp_path: Path) -> None:
    evil = '<script>alert("t")</script><img src=x onerror=alert(1)>'
    path = add_briefing(
        tmp_path,
        "evil",
        title=evil,
        source=evil,
        description=evil,
        url="javascript:alert(1)",
        chapters=[{"title": evil, "start_ms": 0, "end_ms": 9000}],
    )
    metadata = read_metadata(path)
    metadata["cues"][0]["text"] = "<script>alert(2)</script> 句子"
    write_metadata(path, metadata)
    _publish(tmp_path)
    for page in ("index.html", "episodes/evil.html", "episodes/evil.embed.html"):
        parsed = _parse_html(tmp_path / page)
        scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
        assert all(attrs.get("src", "").endswith("player.js") or not attrs for attrs in scripts)
        assert not [tag for tag, _ in parsed.tags if tag == "img" and page != "index.html"]
        assert not any(
            value and value.startswith("javascript:")
            for _, attrs in parsed.tags
            for value in attrs.values()
        )
        assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
        text = "".join(parsed.text)
        assert '<script>alert("t")</script>' in text
    episode_text = "".join(_parse_html(tmp_path / "episodes/evil.html").text)
    assert "<script>alert(2)</script> 句子" in episode_text


def test_the_embed_snippet_on_the_page_is_shown_as_code(tmp_path: Path) -> None:
    add_briefing(tmp_path, "first", title='引号"与<标签>')
    _publish(tmp_path)
    html = (tmp_path / "episodes" / "first.html").read_text("utf-8")
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert textarea is not None
    import html as html_module

    snippet = html_module.unescape(textarea.group(1))
    assert f'href="{BASE}/episodes/first.html"' in snippet
    assert f'data-briefing-player="{BASE}/episodes/first.embed.html"' in snippet
    assert 'data-briefing-title="引号&#34;与&lt;标签&gt;"' in snippet
    assert f'<script src="{BASE}/assets/embed.js" defer></script>' in snippet


def test_publish_works_on_a_folder_of_the_fixture_as_shipped(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "site")
    result = _publish(tmp_path / "site")
    assert [e.slug for e in result.episodes] == [FIXTURE_STEM]  # type: ignore[attr-defined]
    page = (tmp_path / "site" / "episodes" / f"{FIXTURE_STEM}.html").read_text("utf-8")
    assert 'lang="zh-CN"' in page
    assert page.count('class="chapter"') == 3
    assert page.count('class="cue"') == 6
    assert f'src="../{FIXTURE_STEM}.mp3"' in page


def test_a_briefing_without_its_optional_sidecars_publishes_without_their_links(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    record = site / f"{FIXTURE_STEM}{METADATA_SUFFIX}"
    metadata = read_metadata(record)
    for role in ("srt", "transcript"):  # only audio and vtt are required
        (site / metadata["files"].pop(role)).unlink()
    write_metadata(record, metadata)
    _publish(site)
    page = (site / "episodes" / f"{FIXTURE_STEM}.html").read_text("utf-8")
    assert "字幕（WebVTT）" in page and "字幕（SRT）" not in page and "文字稿（TXT）" not in page


# --- transcript paragraphs ----------------------------------------------------------------------


def test_paragraphs_come_from_the_record_and_the_vtt_is_not_read(tmp_path: Path) -> None:
    path = add_briefing(tmp_path, "first")
    metadata = read_metadata(path)
    for index, cue in enumerate(metadata["cues"]):
        cue["paragraph_end"] = index in (0, 4)  # not what the transcript says
    write_metadata(path, metadata)
    (tmp_path / "first.vtt").write_text("not subtitles, and never read", encoding="utf-8")
    (tmp_path / "first.txt").write_text("nor is this\n", encoding="utf-8")
    _publish(tmp_path)
    page = (tmp_path / "episodes" / "first.html").read_text("utf-8")
    paragraphs = re.findall(r"<p>(.*?)</p>", page, re.S)
    cue_counts = [p.count('class="cue"') for p in paragraphs if 'class="cue"' in p]
    assert cue_counts == [1, 1, 2, 1, 1]  # chapters 2, 2, 2 cut after cues 0 and 4


def test_a_format_1_briefing_still_publishes_with_paragraphs_from_its_transcript(
    tmp_path: Path,
) -> None:
    path = add_briefing(tmp_path, "old")
    metadata = read_metadata(path)
    metadata["format"] = 1
    del metadata["cues"]
    write_metadata(path, metadata)
    result = _publish(tmp_path)
    episode = result.episodes[0]  # type: ignore[attr-defined]
    fixture = read_metadata(FIXTURE / f"{FIXTURE_STEM}.briefing.json")
    assert [c.text for c in episode.cues] == [c["text"] for c in fixture["cues"]]
    assert episode.paragraph_ends == {
        i for i, cue in enumerate(fixture["cues"]) if cue["paragraph_end"]
    }


def test_paragraph_ends_line_cues_up_with_paragraphs() -> None:
    from briefing.sidecars import paragraph_ends

    cues = ["标题", "第一句。", "第二句。", "小节", "第三句。"]
    paragraphs = ["标题", "第一句。第二句。", "小节", "第三 句。"]
    assert paragraph_ends(paragraphs, cues) == {0, 2, 3, 4}
    # text that says something else claims nothing
    assert paragraph_ends(["别的文字", "完全不同"], cues) == frozenset()


# --- on what `briefing make` really writes ------------------------------------------------------


def test_publish_real_make_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "article.md"
    article.write_text(
        "# 测试新闻\n\n2024年3月1日 来源：测试网\n\n今年是关键之年。江苏做好对口支援。\n\n"
        "## 提高政治站位\n\n增强使命感。增强责任感。\n\n第二段在这里。\n\n"
        "## 拓宽协作空间\n\n走好双向互济新路子。\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    site.mkdir()
    runner = CliRunner()
    made = runner.invoke(
        cli, ["make", str(article), "-o", str(site / "短新闻.mp3"), "--backend", "espeak",
              "--quiet"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    published = runner.invoke(cli, ["publish", str(site), "--base-url", BASE])
    assert published.exit_code == 0, published.output
    assert "Skipped" not in published.output

    entry = feedparser.parse((site / "feed.xml").read_bytes()).entries[0]
    assert entry.title == "测试新闻"
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert int(enclosure.length) == (site / "短新闻.mp3").stat().st_size
    page = (site / "episodes" / "duan-xin-wen.html").read_text("utf-8")
    assert page.count('class="chapter"') == 3
    assert page.count('<p><span class="cue"') >= 6  # paragraphs recovered from the .txt


def _article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    """An article file to make, with the chunk cache kept inside ``tmp_path``."""
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "article.md"
    article.write_text(text, "utf-8")
    return article


def _make(article: Path, output: Path, *options: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["make", str(article), "-o", str(output), "--backend", "espeak", "--quiet", *options],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_every_briefing_opens_with_a_spoken_ai_label_in_its_first_chapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import feedparser
    from mutagen.id3 import ID3

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "article.md"
    article.write_text(
        "# 测试新闻\n\n今年是关键之年。\n\n## 第二节\n\n江苏做好对口支援。\n", "utf-8"
    )
    site = tmp_path / "site"
    site.mkdir()
    _make(article, site / "news.mp3")
    record = read_metadata(site / "news.briefing.json")
    first_cue, second_cue = record["cues"][:2]
    assert first_cue["text"] == "本音频由人工智能合成。" and first_cue["paragraph_end"]
    assert second_cue["text"] == "测试新闻"  # then the headline, as before
    opening = record["chapters"][0]
    assert opening == {"title": "测试新闻", "start_ms": 0, "end_ms": opening["end_ms"]}
    assert first_cue["end_ms"] < second_cue["start_ms"] < opening["end_ms"]
    assert (
        (site / "news.txt")
        .read_text("utf-8")
        .startswith("【测试新闻】\n\n本音频由人工智能合成。\n\n")
    )
    assert record["description"] == "今年是关键之年。"
    implicit = json.loads(ID3(site / "news.mp3").getall("TXXX:AIGC")[0].text[0])
    assert record["ai_label"] == {"spoken": "本音频由人工智能合成。", "AIGC": implicit}
    assert implicit["Label"] == "1" and implicit["ContentProducer"] == "briefing"

    published = CliRunner().invoke(cli, ["publish", str(site), "--base-url", BASE])
    assert published.exit_code == 0, published.output
    entry = feedparser.parse((site / "feed.xml").read_bytes()).entries[0]
    assert entry.description == "【AI 合成】今年是关键之年。"
    for page in ("index.html", "episodes/news.html", "episodes/news.embed.html"):
        assert '<span class="ai-label"' in (site / page).read_text("utf-8")


def test_the_ai_label_can_be_worded_or_left_out_and_the_tag_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mutagen.id3 import ID3

    article = _article(tmp_path, monkeypatch, "# 测试新闻\n\n今年是关键之年。\n")
    _make(
        article,
        tmp_path / "worded.mp3",
        "--ai-label",
        "本节目由AI朗读。",
        "--ai-producer",
        "江苏网",
    )
    worded = read_metadata(tmp_path / "worded.briefing.json")
    assert worded["cues"][0]["text"] == "本节目由AI朗读。"
    assert worded["ai_label"]["AIGC"]["ContentProducer"] == "江苏网"

    output = _make(article, tmp_path / "none.mp3", "--no-ai-label")
    assert output.startswith("Warning: no spoken AI label;") and "up to you" in output
    record = read_metadata(tmp_path / "none.briefing.json")
    assert record["cues"][0]["text"] == "测试新闻"
    assert record["ai_label"]["spoken"] is None
    assert ID3(tmp_path / "none.mp3").getall("TXXX:AIGC"), "the implicit label is always written"

    refused = CliRunner().invoke(cli, ["make", str(article), "--ai-label", "……"])
    assert refused.exit_code == 1 and refused.output.startswith("Error: --ai-label")


def test_a_truncated_mp3_is_skipped_with_one_line_and_the_rest_published(tmp_path: Path) -> None:
    add_briefing(tmp_path, "good")
    _break(tmp_path, "cut", "truncated")
    result = CliRunner().invoke(cli, ["publish", str(tmp_path), "--base-url", BASE])
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.output.splitlines() if line.startswith("Skipped")]
    assert skipped == [
        "Skipped: cut.briefing.json: cut.mp3 holds 0:03 of audio but the briefing is 0:09 "
        "long: the file is truncated; copy it again or re-make it"
    ]
    assert "cut.mp3" not in (tmp_path / "feed.xml").read_text("utf-8")


def test_a_heading_after_the_title_is_not_the_description(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = _article(tmp_path, monkeypatch, "# 测试新闻\n\n## 第一部分\n\n正文从这里开始。\n")
    _make(article, tmp_path / "news.mp3")
    assert read_metadata(tmp_path / "news.briefing.json")["description"] == "正文从这里开始。"


def test_a_briefing_without_chapters_still_gets_its_whole_transcript(tmp_path: Path) -> None:
    add_briefing(tmp_path, "flat", chapters=[])
    (tmp_path / "flat.chapters.json").unlink()
    metadata = read_metadata(tmp_path / "flat.briefing.json")
    del metadata["files"]["chapters"]
    write_metadata(tmp_path / "flat.briefing.json", metadata)
    _publish(tmp_path)
    page = (tmp_path / "episodes" / "flat.html").read_text("utf-8")
    assert 'class="chapters"' not in page
    assert page.count('class="cue"') == 6
    assert "podcast:chapters" not in (tmp_path / "feed.xml").read_text("utf-8")


# --- files publish did not write ----------------------------------------------------------------


def test_publish_never_replaces_a_users_own_files_without_force(tmp_path: Path) -> None:
    add_briefing(tmp_path, "first")
    (tmp_path / "index.html").write_text("<h1>My own site</h1>", encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<rss>my own feed</rss>", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(cli, ["publish", str(tmp_path), "--base-url", BASE])
    assert refused.exit_code == 1
    assert refused.output.startswith("Error: feed.xml, index.html in ")
    assert "--force" in refused.output and "Traceback" not in refused.output
    assert (tmp_path / "index.html").read_text("utf-8") == "<h1>My own site</h1>"
    assert (tmp_path / "feed.xml").read_text("utf-8") == "<rss>my own feed</rss>"
    assert not (tmp_path / STATE_FILE).exists() and not (tmp_path / "episodes").exists()

    forced = runner.invoke(cli, ["publish", str(tmp_path), "--base-url", BASE, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "听新闻" in (tmp_path / "index.html").read_text("utf-8")
    again = runner.invoke(cli, ["publish", str(tmp_path)])  # its own files: no --force needed
    assert again.exit_code == 0, again.output


def test_a_published_page_edited_by_hand_is_not_overwritten_silently(tmp_path: Path) -> None:
    add_briefing(tmp_path, "first")
    _publish(tmp_path)
    page = tmp_path / "episodes" / "first.html"
    page.write_text(page.read_text("utf-8") + "<!-- my note -->", encoding="utf-8")
    with pytest.raises(OutputError, match=r"^episodes/first\.html in .* was not written"):
        _publish(tmp_path)
    assert page.read_text("utf-8").endswith("<!-- my note -->")


def test_a_folder_published_before_digests_were_kept_publishes_as_before(tmp_path: Path) -> None:
    add_briefing(tmp_path, "first")
    _publish(tmp_path)
    state = json.loads((tmp_path / STATE_FILE).read_text("utf-8"))
    del state["written"]
    (tmp_path / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    (tmp_path / "index.html").write_text("written by an older publish", encoding="utf-8")
    _publish(tmp_path)
    assert "听新闻" in (tmp_path / "index.html").read_text("utf-8")
