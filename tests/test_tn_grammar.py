"""The grammar that ships compiled (briefing/grammar/) is what our options make
of WeTextProcessing's rules, and kaldifst reads with it exactly as
WeTextProcessing itself does."""

from __future__ import annotations

import filecmp
import functools
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import tn_grammar
from briefing.normalize import apply_rules, to_simplified

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = ROOT.parent / "shared" / "tn-external"


@functools.cache
def wetext():  # type: ignore[no-untyped-def]
    """WeTextProcessing's own normaliser (pynini), on the shipped FSTs."""
    from tn.chinese.normalizer import Normalizer

    return Normalizer(cache_dir=str(tn_grammar.folder()), **tn_grammar.OPTIONS)


def dev_inputs() -> list[str]:
    lines = (ROOT / "tests" / "data" / "tn-dev.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line and not line.startswith("#")]


def external_inputs() -> list[str]:
    """The written side of each case in the public TN test sets."""
    if not EXTERNAL.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{EXTERNAL} is missing: CI must have the shared test data")
        pytest.skip(f"{EXTERNAL} is not here")
    written = []
    for path in sorted(EXTERNAL.rglob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for separator in ("~", "|", " => ", "\t"):
                line = line.split(separator)[0]
            if line.strip():
                written.append(line)
    return written


def test_the_shipped_grammar_is_what_our_options_compile_to(tmp_path: Path) -> None:
    tn_grammar.build(tmp_path)
    names = [tn_grammar.TAGGER, tn_grammar.VERBALIZER, tn_grammar.TRADITIONAL_CHARS]
    match, mismatch, missing = filecmp.cmpfiles(tn_grammar.folder(), tmp_path, names, shallow=False)
    assert (mismatch, missing) == ([], []), "regenerate it: python -m briefing.tn_grammar"


@pytest.mark.parametrize("source", ["dev", "external"])
def test_kaldifst_reads_every_case_as_wetextprocessing_does(source: str) -> None:
    texts = dev_inputs() if source == "dev" else external_inputs()
    assert len(texts) > 100
    # As written, and as our rules hand it to the grammar.
    for text in {*texts, *(apply_rules(to_simplified(t)) for t in texts)}:
        assert tn_grammar.normalize(text) == wetext().normalize(text), text


PIECES = (
    list("0123456789０１２.,:/%‰℃°¥$€£+-×=~～—·@_#&()[]{}\\\"' \t")
    + list("年月日号点分秒时个万亿元米千克第零下两廿卅兒們區")
    + list("，。！？、；：“”《》")
    + ["km", "kg", "GDP", "COVID", "ｍ²", "IPHONE", "ⅢⅣ", "½", "①"]
)
WRITTEN = st.lists(
    st.one_of(st.sampled_from(PIECES), st.characters(codec="utf-8")), max_size=16
).map("".join)


@settings(max_examples=300, deadline=None)
@given(WRITTEN)
def test_kaldifst_reads_any_text_as_wetextprocessing_does(text: str) -> None:
    assert tn_grammar.normalize(text) == wetext().normalize(text)


def test_the_traditional_character_list_marks_text_to_simplify() -> None:
    chars = tn_grammar.traditional_chars()
    assert {"區", "們", "頭"} <= chars
    assert not {"区", "们", "头", "乾"} & chars  # 乾 is in the Simplified standard
