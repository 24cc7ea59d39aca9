"""The pronunciation lexicon: exact readings for baker, spellings for the others."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import lexicon
from briefing.article import Chunk
from briefing.backends import baker_frontend as fe
from briefing.cli import cli


@pytest.fixture(autouse=True)
def _own_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(config))
    return config


def readings(text: str, words: lexicon.Lexicon | None = None) -> str:
    words = words or lexicon.load()
    return fe.annotate(words.respell(text, pinyin=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("记者单田报道", "单(shan4)"),
        ("单先生表示同意", "单(shan4)"),
        ("曾某被警方带走", "曾(zeng1)"),
        ("区教授认为", "区(ou1)"),
        ("他来自六安", "六(lu4)安(an1)"),
        ("蚌埠火车站", "蚌(beng4)埠(bu4)"),
        ("浙江台州", "台(tai1)州(zhou1)"),
        ("丽水市", "丽(li2)水(shui3)"),
        ("广州番禺", "番(pan1)禺(yu2)"),
    ],
)
def test_default_lexicon_reads_names_and_places(text: str, expected: str) -> None:
    assert expected in readings(text)


@pytest.mark.parametrize(
    ("text", "unchanged"),
    [("他曾经是老师", "曾(ceng2)"), ("这个单位很大", "单(dan1)"), ("浦东新区", "区(qu1)")],
)
def test_a_surname_outside_a_name_keeps_its_usual_reading(text: str, unchanged: str) -> None:
    assert unchanged in readings(text)


def test_voices_without_pinyin_get_the_say_spelling() -> None:
    words = lexicon.load()
    assert words.respell("单先生在六安", pinyin=False) == "善先生在路安"
    assert words.respell("单先生在六安", pinyin=True) == "单{shan4}先生在六安{lu4 an1}"
    chunks = [Chunk("单先生", "单先生")]
    assert words.for_backend(chunks, "espeak")[0].spoken == "善先生"
    assert words.for_backend(chunks, "baker")[0].spoken == "单{shan4}先生"
    assert chunks[0].spoken == "单先生"  # the article itself is not changed


def test_baker_says_the_lexicons_pinyin_exactly(tmp_path: Path) -> None:
    own = tmp_path / "mine.toml"
    own.write_text('[[word]]\ntext = "行"\npinyin = "hang2"\n', encoding="utf-8")
    text = lexicon.load(own).respell("行", pinyin=True)
    assert fe.utterances(text)[0].phones == ("sil", "h", "ang2", "sil")


def test_later_lexicons_win(tmp_path: Path, _own_config_dir: Path) -> None:
    (_own_config_dir / "lexicon.toml").write_text(
        '[[word]]\ntext = "六安"\npinyin = "liu4 an1"\n', encoding="utf-8"
    )
    assert "六(liu4)" in readings("六安", lexicon.load())
    extra = tmp_path / "extra.toml"
    extra.write_text('[[word]]\ntext = "六安"\npinyin = "lu4 an4"\n', encoding="utf-8")
    assert "安(an4)" in readings("六安", lexicon.load(extra))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[[word]]\ntext = "单"\npinyin = "shan"\n', "tone 1-5"),
        ('[[word]]\ntext = "单"\npinyin = "shan4 dan1"\n', "one syllable"),
        ('[[word]]\ntext = "Mate"\npinyin = "mei1"\n', "Chinese characters"),
        ('[[word]]\ntext = "单"\npinyin = "shan4"\ncontext = "boss"\n', "surname"),
        ("[[word]\n", "lexicon"),
    ],
)
def test_a_bad_lexicon_is_one_error_line(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("标题\n\n单先生说。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", str(article), "--proof", "--lexicon", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: lexicon")
    assert message in result.output
    assert "Traceback" not in result.output


def test_plan_proof_lists_lexicon_polyphone_and_latin_choices(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("发布会\n\n记者单田报道，华为Mate60在六安发布。他长得很高。\n", "utf-8")
    result = CliRunner().invoke(cli, ["plan", str(article), "--proof"], catch_exceptions=False)
    assert result.exit_code == 0
    proof = result.output.split("Proof:")[1]
    assert "单 → shan4 (say 善)  lexicon [name]" in proof
    assert "六安 → lu4 an1 (say 路安)  lexicon [place]" in proof
    assert "Mate → mei1 te5  latin [latin, word]" in proof
    assert "他【长】得很高" in proof


@settings(deadline=None)
@given(st.text(alphabet="单曾区六安蚌埠先生记者经位的了长GDP 5,。", max_size=30))
def test_marking_readings_never_changes_the_text(text: str) -> None:
    words = lexicon.load()
    marked = words.respell(fe.spoken_text(text), pinyin=True)
    plain, fixed = fe.marked_readings(marked)
    assert plain == fe.spoken_text(text)
    assert all(fe._HAN.match(plain[offset]) for offset in fixed)


def test_make_sends_the_say_spelling_and_keeps_the_transcript(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing import pipeline, synth

    sent: list[str] = []
    real_stream = synth.stream

    def recording_stream(chunks, *args, **kwargs):  # type: ignore[no-untyped-def]
        sent.extend(chunk.spoken for chunk in chunks)
        return real_stream(chunks, *args, **kwargs)

    monkeypatch.setattr(synth, "stream", recording_stream)
    article = tmp_path / "a.txt"
    article.write_text("会见\n\n单先生在六安会见了来宾。\n", encoding="utf-8")
    config = pipeline.MakeConfig(
        source=str(article),
        output=tmp_path / "out.mp3",
        backend="espeak",
        cache_dir=tmp_path / "cache",
    )
    made = pipeline.make(config)
    assert any("善先生在路安" in text for text in sent)
    assert "单先生在六安" in made.files.transcript.read_text(encoding="utf-8")
