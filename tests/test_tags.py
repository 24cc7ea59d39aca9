from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from mutagen.id3 import ID3, CTOCFlags

from briefing import tags
from briefing.article import Article, Chapter, Cue, Section
from briefing.errors import InputError
from briefing.ffmpeg import Mp3Encoder

RATE = 24_000


@pytest.fixture
def mp3(tmp_path):
    path = tmp_path / "a.mp3"
    t = np.arange(RATE * 2) / RATE
    encoder = Mp3Encoder(path, RATE, "64k")
    encoder.write((0.2 * 32767 * np.sin(2 * np.pi * 330 * t)).astype(np.int16))
    encoder.close()
    return path


def article() -> Article:
    return Article(
        "【政声】标题",
        [Section("一", ["正文"])],
        source="中国江苏网",
        published=datetime(2019, 4, 2, 7, 14),
        author="刘浩春",
        url="https://example.org/a",
    )


def chapters(count: int, length_ms: int = 10) -> list[Chapter]:
    return [Chapter(f"第{i}章", i * length_ms, (i + 1) * length_ms) for i in range(count)]


def test_tags_are_id3v23_with_metadata_and_transcript(mp3):
    tags.write_tags(mp3, article(), chapters(2), "全文", comment="Read by espeak")
    id3 = ID3(mp3)
    assert id3.version == (2, 3, 0)
    assert str(id3["TIT2"]) == "【政声】标题"
    assert str(id3["TPE1"]) == "刘浩春"
    assert str(id3["TPUB"]) == "中国江苏网"
    assert str(id3["TDRC"]).startswith("2019-04-02")
    assert str(id3["TCON"]) == "Speech"
    assert id3.getall("USLT")[0].text == "全文"
    assert id3.getall("COMM")[0].text == ["Read by espeak"]


def test_chapters_are_a_top_level_ordered_ctoc_of_titled_chaps(mp3):
    tags.write_tags(mp3, article(), chapters(3, 500), "")
    id3 = ID3(mp3)
    (toc,) = id3.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    chaps = {chap.element_id: chap for chap in id3.getall("CHAP")}
    assert [chaps[i].sub_frames["TIT2"].text[0] for i in toc.child_element_ids] == [
        "第0章",
        "第1章",
        "第2章",
    ]
    assert [(chaps[i].start_time, chaps[i].end_time) for i in toc.child_element_ids] == [
        (0, 500),
        (500, 1000),
        (1000, 1500),
    ]


def test_more_than_255_chapters_nest_under_child_tocs(mp3):
    tags.write_tags(mp3, article(), chapters(300), "")
    id3 = ID3(mp3)
    tocs = {toc.element_id: toc for toc in id3.getall("CTOC")}
    top = [toc for toc in tocs.values() if toc.flags & CTOCFlags.TOP_LEVEL]
    assert len(top) == 1
    children = [tocs[i] for i in top[0].child_element_ids]
    assert all(len(child.child_element_ids) <= 255 for child in children)
    flattened = [chap for child in children for chap in child.child_element_ids]
    assert flattened == [f"chp{i}" for i in range(300)]


def test_cover_art_is_embedded(mp3, tmp_path):
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    tags.write_tags(mp3, article(), chapters(1), "", cover=tags.read_cover(cover))
    (picture,) = ID3(mp3).getall("APIC")
    assert picture.mime == "image/png" and picture.type == 3


def test_a_cover_that_is_not_an_image_is_refused(tmp_path):
    cover = tmp_path / "cover.png"
    cover.write_text("not an image")
    with pytest.raises(InputError, match="not a JPEG or PNG"):
        tags.read_cover(cover)


def test_the_implicit_ai_label_is_a_txxx_aigc_frame_of_json(mp3):
    import json

    from briefing.ai_label import AiLabel, aigc_json

    implicit = AiLabel(producer="江苏网").implicit("what was said, by which voice")
    tags.write_tags(mp3, article(), chapters(1), "正文", aigc=aigc_json(implicit))
    (frame,) = ID3(mp3).getall("TXXX:AIGC")
    label = json.loads(frame.text[0])
    assert list(label) == [
        "Label", "ContentProducer", "ProduceID", "ReservedCode1",
        "ContentPropagator", "PropagateID", "ReservedCode2",
    ]  # fmt: skip
    assert label["Label"] == "1" and label["ContentProducer"] == "江苏网"
    assert label["ProduceID"] == AiLabel().implicit("what was said, by which voice")["ProduceID"]
    assert label["ProduceID"] != AiLabel().implicit("something else")["ProduceID"]


@pytest.mark.parametrize("spoken", ["……", "", "很长" * 40])
def test_an_ai_label_that_cannot_be_said_briefly_is_refused(spoken):
    from briefing.ai_label import AiLabel

    with pytest.raises(InputError, match="--ai-label"):
        AiLabel(spoken)


def test_the_cues_are_synchronised_text_in_milliseconds(mp3):
    cues = [Cue(0, 900, "第一句。"), Cue(1200, 2000, "第二句\n接着说。"), Cue(2000, 2000, "A&B")]
    tags.write_tags(mp3, article(), chapters(1), "全文", cues=cues)
    id3 = ID3(mp3)
    (synced,) = id3.getall("SYLT")
    assert synced.format == 2  # absolute time, milliseconds
    assert synced.lang == "chi"
    assert synced.text == [("第一句。", 0), ("第二句 接着说。", 1200), ("A&B", 2000)]
    assert id3.getall("USLT")[0].text == "全文"


def test_without_cues_there_is_no_synchronised_text(mp3):
    tags.write_tags(mp3, article(), chapters(1), "全文")
    assert ID3(mp3).getall("SYLT") == []
