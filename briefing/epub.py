"""The briefing as a talking book: EPUB 3 with Media Overlays.

Reading systems made for listeners who cannot see the page (Thorium, Dolphin
EasyReader, Voice Dream, DAISY players) navigate a talking book by heading and
sentence and show each sentence as it is read. The publication holds:

- a title page (title, source, author, date and the visible AI label);
- one XHTML document per chapter: the chapter's title as its heading, then its
  paragraphs, each sentence (each cue) a ``span`` with an id of its own;
- one SMIL overlay per chapter, pairing each sentence with its clip of the MP3
  (``clipBegin``/``clipEnd`` are the cue's times, so text and audio agree with
  the subtitles to the millisecond);
- a navigation document by chapter, the MP3 itself, and package metadata:
  Dublin Core, ``media:duration`` of each overlay and of the whole, and the
  accessibility metadata (schema.org) that reading systems and catalogues read.

Everything comes from the ``Briefing`` make has built; nothing is read back
from the subtitles. The EPUB is written as a zip with ``mimetype`` first and
stored, as OCF requires.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape as escape_markup
from pathlib import Path

from briefing.ai_label import VISIBLE, aigc_json
from briefing.article import Briefing, Chapter, Cue
from briefing.sidecars import cues_by_chapter, cues_ending_paragraphs, one_line, timestamp

LANGUAGE = "zh-CN"
AUDIO = "audio/briefing.mp3"  # inside the package folder
_PACKAGE = "EPUB"
_COVERS = {"image/jpeg": "cover.jpg", "image/png": "cover.png"}  # by MIME type
_ACTIVE_CLASS = "-epub-media-overlay-active"
_STYLE = f"""\
body {{ line-height: 1.8; }}
h1 {{ font-size: 1.4em; }}
.{_ACTIVE_CLASS} {{ background-color: #fff3a0; color: #000; }}
"""
_SUMMARY = (
    "每个句子的文字与朗读的音频同步，可按章节标题导航；全文均有文字，不依赖图像、颜色或声音。"
    " The text of every sentence is synchronised with its narration by a synthetic voice; "
    "chapters are navigable by heading; nothing depends on images, colour or sound alone."
)


# what XML 1.0 cannot carry (outside its Char production): control characters
# a page may hold would otherwise make every reading system refuse the book
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape(text: str) -> str:
    """Text as XML character data or attribute value."""
    return escape_markup(_NOT_XML.sub("", text))


@dataclass(frozen=True)
class _Part:
    """One chapter's document: its sentences, numbered across the book, in paragraphs."""

    number: int
    chapter: Chapter
    paragraphs: list[list[tuple[int, Cue]]]

    @property
    def document(self) -> str:
        return f"chapter-{self.number:03d}.xhtml"

    @property
    def overlay(self) -> str:
        return f"chapter-{self.number:03d}.smil"

    @property
    def overlay_id(self) -> str:
        return f"overlay-{self.number:03d}"

    @property
    def cues(self) -> list[tuple[int, Cue]]:
        return [numbered for paragraph in self.paragraphs for numbered in paragraph]


def write_epub(
    path: Path,
    briefing: Briefing,
    audio: Path,
    aigc: dict[str, str],
    spoken_label: str | None = None,
    cover: tuple[bytes, str] | None = None,
) -> None:
    """Write the EPUB of ``briefing`` to ``path``, embedding the finished MP3 at
    ``audio``. ``aigc`` is the implicit AI label (its ProduceID names the book);
    ``spoken_label`` is the AI label read first, if one was; ``cover`` the cover
    art's bytes and MIME type (``tags.read_cover``), the book's cover image in
    reading systems' libraries. Raises OSError."""
    parts = _parts(briefing)
    cover_name = None if cover is None else _COVERS[cover[1]]
    files = {
        "META-INF/container.xml": _container(),
        f"{_PACKAGE}/package.opf": _package(briefing, parts, aigc, cover),
        f"{_PACKAGE}/nav.xhtml": _navigation(briefing, parts),
        f"{_PACKAGE}/title.xhtml": _title_page(briefing, spoken_label),
        f"{_PACKAGE}/style.css": _STYLE,
    }
    for part in parts:
        files[f"{_PACKAGE}/{part.document}"] = _chapter_document(part)
        if part.cues:
            files[f"{_PACKAGE}/{part.overlay}"] = _overlay(part)
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in files.items():
            book.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
        # already compressed: stored, so a reading system can seek in it
        book.write(audio, f"{_PACKAGE}/{AUDIO}", compress_type=zipfile.ZIP_STORED)
        if cover is not None:
            book.writestr(f"{_PACKAGE}/{cover_name}", cover[0], compress_type=zipfile.ZIP_STORED)


def _parts(briefing: Briefing) -> list[_Part]:
    """Each cue in the chapter its start falls in (chapters tile the audio, and
    no sentence straddles a chapter's start), split where paragraphs end."""
    cues = briefing.cues
    layout = cues_by_chapter(briefing.chapters, cues, cues_ending_paragraphs(briefing))
    # make's briefings always have a chapter (one per section, at least one)
    chapters = zip(briefing.chapters, layout, strict=True)
    return [
        _Part(number, chapter, [[(i + 1, cues[i]) for i in paragraph] for paragraph in paragraphs])
        for number, (chapter, paragraphs) in enumerate(chapters, 1)
    ]


def _sentence_id(number: int) -> str:
    return f"s{number:04d}"


def clock(ms: int) -> str:
    """A SMIL full clock value, hh:mm:ss.fff."""
    return timestamp(ms, ".")


def _xhtml(title: str, body: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
xml:lang="{LANGUAGE}" lang="{LANGUAGE}">
<head>
<meta charset="UTF-8"/>
<title>{escape(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
{body}
</body>
</html>
"""


def _paragraph(sentences: list[tuple[int, Cue]]) -> str:
    """A paragraph of sentences, each its own span: Chinese runs on without
    spaces, while two Latin-script sentences keep one between them."""
    markup, previous = "", ""
    for number, cue in sentences:
        text = one_line(cue.text)
        if previous and previous[-1].isascii() and text[:1].isascii():
            markup += " "
        markup += f'<span id="{_sentence_id(number)}">{escape(text)}</span>'
        previous = text
    return f"<p>{markup}</p>"


def _chapter_document(part: _Part) -> str:
    paragraphs = "\n".join(map(_paragraph, part.paragraphs))
    title = escape(part.chapter.title)
    body = f"""<section id="chapter" epub:type="chapter" role="doc-chapter" \
aria-labelledby="heading">
<h1 id="heading">{title}</h1>
{paragraphs}
</section>"""
    return _xhtml(part.chapter.title, body)


def _title_page(briefing: Briefing, spoken_label: str | None) -> str:
    article = briefing.article
    lines = [f"<h1>{escape(article.title)}</h1>"]
    byline = [article.author, article.source]
    if article.published:
        byline.append(article.published.strftime("%Y-%m-%d"))
    if names := [escape(name) for name in byline if name]:
        lines.append(f"<p>{' · '.join(names)}</p>")
    if article.url:
        lines.append(f'<p><a href="{escape(article.url)}">{escape(article.url)}</a></p>')
    label = f"{VISIBLE}：{spoken_label}" if spoken_label else VISIBLE
    lines.append(f'<p role="note">{escape(label)}（朗读：{escape(briefing.voice)}）</p>')
    body = '<section epub:type="titlepage">\n' + "\n".join(lines) + "\n</section>"
    return _xhtml(article.title, body)


def _navigation(briefing: Briefing, parts: list[_Part]) -> str:
    entries = "\n".join(
        f'<li><a href="{part.document}">{escape(part.chapter.title)}</a></li>' for part in parts
    )
    body = f"""<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-heading">
<h1 id="toc-heading">目录</h1>
<ol>
<li><a href="title.xhtml">{escape(briefing.article.title)}</a></li>
{entries}
</ol>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="">
<h2>导览</h2>
<ol>
<li><a epub:type="bodymatter" href="{parts[0].document}">正文</a></li>
</ol>
</nav>"""
    return _xhtml("目录", body)


def _overlay(part: _Part) -> str:
    pars = "\n".join(
        f'<par id="par-{_sentence_id(number)}">'
        f'<text src="{part.document}#{_sentence_id(number)}"/>'
        f'<audio src="{AUDIO}" clipBegin="{clock(cue.start_ms)}" clipEnd="{clock(cue.end_ms)}"/>'
        "</par>"
        for number, cue in part.cues
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
<body>
<seq id="seq-{part.number:03d}" epub:textref="{part.document}#chapter" epub:type="chapter">
{pars}
</seq>
</body>
</smil>
"""


def _overlay_ms(part: _Part) -> int:
    return sum(cue.end_ms - cue.start_ms for _, cue in part.cues)


def _package(
    briefing: Briefing,
    parts: list[_Part],
    aigc: dict[str, str],
    cover: tuple[bytes, str] | None,
) -> str:
    article = briefing.article
    modified = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    metadata = [
        f'<dc:identifier id="book-id">urn:uuid:{uuid.UUID(aigc["ProduceID"])}</dc:identifier>',
        f"<dc:title>{escape(article.title)}</dc:title>",
        f"<dc:language>{LANGUAGE}</dc:language>",
        f'<meta property="dcterms:modified">{modified}</meta>',
    ]
    if article.author:
        metadata.append(f"<dc:creator>{escape(article.author)}</dc:creator>")
    if article.source:
        metadata.append(f"<dc:publisher>{escape(article.source)}</dc:publisher>")
    if article.url:
        metadata.append(f"<dc:source>{escape(article.url)}</dc:source>")
    if article.published:
        metadata.append(f"<dc:date>{article.published.date().isoformat()}</dc:date>")
    metadata += [
        f'<meta property="media:narrator">{escape(briefing.voice)} ({VISIBLE})</meta>',
        f'<meta property="media:active-class">{_ACTIVE_CLASS}</meta>',
        f'<meta property="media:duration">{clock(sum(map(_overlay_ms, parts)))}</meta>',
        *(
            f'<meta property="media:duration" refines="#{part.overlay_id}">'
            f"{clock(_overlay_ms(part))}</meta>"
            for part in parts
            if part.cues
        ),
        '<meta property="schema:accessMode">textual</meta>',
        '<meta property="schema:accessMode">auditory</meta>',
        '<meta property="schema:accessModeSufficient">textual</meta>',
        '<meta property="schema:accessModeSufficient">auditory</meta>',
        '<meta property="schema:accessModeSufficient">textual,auditory</meta>',
        '<meta property="schema:accessibilityFeature">synchronizedAudioText</meta>',
        '<meta property="schema:accessibilityFeature">structuralNavigation</meta>',
        '<meta property="schema:accessibilityFeature">tableOfContents</meta>',
        '<meta property="schema:accessibilityFeature">readingOrder</meta>',
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{escape(_SUMMARY)}</meta>',
        f'<meta name="AIGC" content="{escape(aigc_json(aigc))}"/>',
    ]
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="style" href="style.css" media-type="text/css"/>',
        '<item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>',
        f'<item id="audio" href="{AUDIO}" media-type="audio/mpeg"/>',
    ]
    if cover is not None:
        _, mime = cover
        manifest.append(
            f'<item id="cover" href="{_COVERS[mime]}" media-type="{mime}" '
            'properties="cover-image"/>'
        )
    spine = ['<itemref idref="title"/>']
    for part in parts:
        item = f"chapter-{part.number:03d}"
        overlay = f' media-overlay="{part.overlay_id}"' if part.cues else ""
        manifest.append(
            f'<item id="{item}" href="{part.document}" '
            f'media-type="application/xhtml+xml"{overlay}/>'
        )
        if part.cues:
            manifest.append(
                f'<item id="{part.overlay_id}" href="{part.overlay}" '
                'media-type="application/smil+xml"/>'
            )
        spine.append(f'<itemref idref="{item}"/>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" \
xml:lang="{LANGUAGE}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
{chr(10).join(metadata)}
</metadata>
<manifest>
{chr(10).join(manifest)}
</manifest>
<spine>
{chr(10).join(spine)}
</spine>
</package>
"""


def _container() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="{_PACKAGE}/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""
