"""make --epub: the talking book (EPUB 3 with Media Overlays).

The seed article is made with the real espeak voice, then the EPUB is opened as
a reading system would, checked by EPUBCheck (Debian's package) and by Ace by
DAISY (.ci/install-epub-checkers). Without either checker a developer's run
skips its test; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from briefing import epub
from briefing.article import Article, Briefing, Chapter, Cue, Section
from briefing.cli import cli
from briefing.ffmpeg import ffmpeg_exe
from briefing.publish.episodes import parse_vtt
from briefing.sidecars import one_line

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "jiangsu-duikou-zhiyuan.txt"
ACE = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "ace-puppeteer"
CHROMIUM = Path("/usr/bin/chromium")
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "smil": "http://www.w3.org/ns/SMIL",
    "epub": "http://www.idpf.org/2007/ops",
}
CLIP_TOLERANCE_MS = 50


def missing(tool: str, how: str) -> None:
    if os.environ.get("CI"):  # CI must not pass by skipping: .ci/run installs it
        pytest.fail(f"{tool} is not installed: .ci/run must call {how}")
    pytest.skip(f"{tool} is not installed; run {how}")


@pytest.fixture(scope="module")
def seed_epub(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("talking-book") / "seed.mp3"
    cover = out.with_name("cover.png")
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=c=navy:s=64x64"]
        + ["-frames:v", "1", str(cover)],
        check=True,
    )
    result = CliRunner().invoke(
        cli,
        ["make", str(SEED), "-o", str(out), "--backend", "espeak", "--quiet", "--epub"]
        + ["--cover", str(cover)],
        catch_exceptions=False,
        env={"BRIEFING_CACHE_DIR": str(out.parent / "cache")},
    )
    assert result.exit_code == 0, result.output
    return out.with_suffix(".epub")


def read_xml(book: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(book.read(name))


def package(book: zipfile.ZipFile) -> tuple[str, ElementTree.Element]:
    """The package document's folder and root, found as reading systems find it."""
    container = read_xml(book, "META-INF/container.xml")
    rootfile = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
    assert rootfile is not None
    full_path = rootfile.attrib["full-path"]
    return full_path.rpartition("/")[0], read_xml(book, full_path)


def overlays_in_reading_order(book: zipfile.ZipFile) -> list[tuple[str, ElementTree.Element]]:
    folder, opf = package(book)
    items = {item.attrib["id"]: item.attrib for item in opf.iterfind(".//opf:item", NS)}
    documents = [items[ref.attrib["idref"]] for ref in opf.iterfind(".//opf:itemref", NS)]
    return [
        (item["href"], read_xml(book, f"{folder}/{items[item['media-overlay']]['href']}"))
        for item in documents
        if "media-overlay" in item
    ]


def clock_ms(value: str) -> int:
    hours, minutes, seconds = value.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)


def test_make_writes_the_epub_beside_the_mp3_and_names_it_in_the_record(seed_epub):
    record = json.loads(seed_epub.with_suffix(".briefing.json").read_text())
    assert record["files"]["epub"] == "seed.epub"
    assert not list(seed_epub.parent.glob(".*.part")), "a temporary file was left behind"
    with zipfile.ZipFile(seed_epub) as book:
        first = book.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"
        folder, opf = package(book)
        items = list(opf.iterfind(".//opf:item", NS))
        (audio,) = [i for i in items if i.attrib["media-type"] == "audio/mpeg"]
        embedded = book.read(f"{folder}/{audio.attrib['href']}")
        (cover,) = [i for i in items if "cover-image" in i.get("properties", "")]
        assert cover.attrib["media-type"] == "image/png"
        cover_bytes = book.read(f"{folder}/{cover.attrib['href']}")
    assert embedded == seed_epub.with_suffix(".mp3").read_bytes()
    assert cover_bytes == seed_epub.with_name("cover.png").read_bytes()


def test_each_sentence_plays_its_clip_of_the_audio_as_the_subtitles_time_it(seed_epub):
    cues = parse_vtt(seed_epub.with_suffix(".vtt").read_text(encoding="utf-8"))
    with zipfile.ZipFile(seed_epub) as book:
        folder, _ = package(book)
        clips = []
        for document, overlay in overlays_in_reading_order(book):
            text = read_xml(book, f"{folder}/{document}")
            spans = {span.attrib["id"]: span for span in text.iterfind(".//x:span[@id]", NS)}
            for par in overlay.iterfind(".//smil:par", NS):
                target = par.find("smil:text", NS)
                audio = par.find("smil:audio", NS)
                assert target is not None and audio is not None
                href, _, fragment = target.attrib["src"].partition("#")
                assert href == document
                clips.append(
                    (
                        clock_ms(audio.attrib["clipBegin"]),
                        clock_ms(audio.attrib["clipEnd"]),
                        "".join(spans[fragment].itertext()),
                    )
                )
    assert len(clips) == len(cues) > 30
    for (begin, end, text), cue in zip(clips, cues, strict=True):
        assert abs(begin - cue.start_ms) <= CLIP_TOLERANCE_MS
        assert abs(end - cue.end_ms) <= CLIP_TOLERANCE_MS
        assert text == cue.text


def test_navigation_and_headings_follow_the_chapters(seed_epub):
    chapters = json.loads(seed_epub.with_suffix(".chapters.json").read_text())["chapters"]
    with zipfile.ZipFile(seed_epub) as book:
        folder, opf = package(book)
        (nav_item,) = [
            i for i in opf.iterfind(".//opf:item", NS) if "nav" in i.get("properties", "")
        ]
        nav = read_xml(book, f"{folder}/{nav_item.attrib['href']}")
        toc = nav.find(".//x:nav[@epub:type='toc']", NS)
        assert toc is not None
        links = [(a.attrib["href"], "".join(a.itertext())) for a in toc.iterfind(".//x:a", NS)]
        headings = [
            "".join(read_xml(book, f"{folder}/{href}").find(".//x:h1", NS).itertext())  # type: ignore[union-attr]
            for href, _ in links
        ]
    titles = [chapter["title"] for chapter in chapters]
    assert [title for _, title in links[1:]] == titles
    assert headings[1:] == titles


def test_metadata_says_what_the_book_is_and_how_it_can_be_read(seed_epub):
    record = json.loads(seed_epub.with_suffix(".briefing.json").read_text())
    with zipfile.ZipFile(seed_epub) as book:
        _, opf = package(book)
        title_page = b"".join(book.read(n) for n in book.namelist() if n.endswith("title.xhtml"))
        durations = {
            meta.get("refines"): clock_ms(meta.text or "")
            for meta in opf.iterfind(".//opf:meta[@property='media:duration']", NS)
        }
        overlays = overlays_in_reading_order(book)
    metadata = opf.find("opf:metadata", NS)
    assert metadata is not None
    assert metadata.findtext("dc:title", namespaces=NS) == record["title"]
    assert metadata.findtext("dc:language", namespaces=NS) == "zh-CN"
    assert metadata.findtext("dc:publisher", namespaces=NS) == record["source"]
    assert metadata.findtext("dc:date", namespaces=NS) == record["published"][:10]
    properties: dict[str, set[str]] = {}
    for meta in metadata.iterfind("opf:meta[@property]", NS):
        properties.setdefault(meta.attrib["property"], set()).add(meta.text or "")
    assert properties["schema:accessMode"] == {"textual", "auditory"}
    assert {"textual", "auditory"} <= properties["schema:accessModeSufficient"]
    assert {"synchronizedAudioText", "structuralNavigation"} <= properties[
        "schema:accessibilityFeature"
    ]
    assert properties["schema:accessibilityHazard"] == {"none"}
    assert properties["schema:accessibilitySummary"] != {""}
    # one duration per overlay and the total, which is their sum
    assert len(durations) == len(overlays) + 1
    total = durations.pop(None)
    assert abs(total - sum(durations.values())) <= len(durations)
    assert total <= record["duration_ms"]
    # the AI label, visible and implicit
    assert "AI 合成".encode() in title_page
    (aigc,) = metadata.iterfind("opf:meta[@name='AIGC']", NS)
    assert json.loads(aigc.attrib["content"]) == record["ai_label"]["AIGC"]


def test_epubcheck_finds_no_error(seed_epub):
    command = shutil.which("epubcheck")
    if command is None:
        missing("EPUBCheck", ".ci/install-epub-checkers")
    # Debian's /usr/bin/epubcheck is the jar itself
    result = subprocess.run(
        ["java", "-jar", str(Path(command).resolve()), str(seed_epub)],
        capture_output=True,
        text=True,
        check=False,
    )
    summary = result.stdout + result.stderr
    assert result.returncode == 0, summary
    assert re.search(r"Messages: 0 fatals / 0 errors", summary), summary


@pytest.mark.browser
def test_ace_finds_nothing_serious(seed_epub, tmp_path):
    if not ACE.exists():
        missing("Ace by DAISY", ".ci/install-epub-checkers")
    if not CHROMIUM.exists():
        missing("chromium", ".ci/install-browser")
    report = tmp_path / "ace"
    result = subprocess.run(
        [str(ACE), "--silent", "--outdir", str(report), str(seed_epub)],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads((report / "report.json").read_text())
    violations = [
        (document["earl:testSubject"]["url"], test["earl:test"]["dct:title"])
        for document in findings["assertions"]
        for test in document.get("assertions", [])
        if test["earl:test"]["earl:impact"] in ("serious", "critical")
    ]
    assert violations == []
    present = set(findings["a11y-metadata"]["present"])
    assert {"schema:accessMode", "schema:accessibilitySummary"} <= present


def briefing_of(texts: list[str]) -> Briefing:
    """A two-chapter briefing whose cues are ``texts``, half in each chapter."""
    cues = [Cue(i * 1000, i * 1000 + 800, text) for i, text in enumerate(texts)]
    middle = len(texts) // 2 * 1000
    chapters = [Chapter("一", 0, middle), Chapter("二 <&>", middle, len(texts) * 1000 + 500)]
    article = Article("题 & <题>", [Section("一", texts), Section("二 <&>", [])])
    return Briefing(article, len(texts) * 1000 + 500, chapters, cues, "espeak", "cmn")


AIGC = {"ProduceID": "0" * 32, "Label": "1"}
# what XML 1.0 cannot carry (outside its Char production): left out of the book
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@given(st.lists(st.text(min_size=1), min_size=1, max_size=6))
def test_every_cue_is_one_span_of_well_formed_text_whatever_it_says(texts):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path, audio = Path(folder) / "b.epub", Path(folder) / "b.mp3"
        audio.write_bytes(b"")
        epub.write_epub(path, briefing_of(texts), audio, AIGC)
        with zipfile.ZipFile(path) as book:
            spans = [
                "".join(span.itertext())
                for name in sorted(book.namelist())
                if re.fullmatch(r"EPUB/chapter-\d+\.xhtml", name)
                for span in read_xml(book, name).iterfind(".//x:span[@id]", NS)
            ]
            for name in book.namelist():
                if name.endswith((".xhtml", ".opf", ".smil", ".xml")):
                    read_xml(book, name)  # every document is well-formed XML
    assert spans == [NOT_XML.sub("", one_line(text)) for text in texts]


def test_a_chapter_with_nothing_read_has_no_overlay(tmp_path):
    audio = tmp_path / "b.mp3"
    audio.write_bytes(b"")
    briefing = briefing_of(["第一句。"])
    briefing.chapters = [Chapter("一", 0, 900), Chapter("空", 900, 1500)]
    epub.write_epub(tmp_path / "b.epub", briefing, audio, AIGC)
    with zipfile.ZipFile(tmp_path / "b.epub") as book:
        overlays = overlays_in_reading_order(book)
        names = book.namelist()
    assert [document for document, _ in overlays] == ["chapter-001.xhtml"]
    assert "EPUB/chapter-002.xhtml" in names and "EPUB/chapter-002.smil" not in names


def test_latin_sentences_keep_a_space_and_chinese_ones_none(tmp_path):
    audio = tmp_path / "b.mp3"
    audio.write_bytes(b"")
    article = Article("t", [Section("一", ["x"])])
    cues = [Cue(0, 1, "第一句。"), Cue(1, 2, "Hello."), Cue(2, 3, "World."), Cue(3, 4, "好。")]
    briefing = Briefing(article, 5, [Chapter("一", 0, 5)], cues, "espeak", "cmn")
    epub.write_epub(tmp_path / "b.epub", briefing, audio, AIGC)
    with zipfile.ZipFile(tmp_path / "b.epub") as book:
        (paragraph,) = read_xml(book, "EPUB/chapter-001.xhtml").iterfind(".//x:p", NS)
    assert "".join(paragraph.itertext()) == "第一句。Hello. World.好。"
