"""The proof: every reading decision an editor may want to check before publishing.

``briefing plan --proof`` prints it. Each stage that decides how something is
read contributes records to one list, in the article's order: text
normalisation (figures, dates, units, symbols: ``normalisation_items``), the
pronunciation lexicon (``lexicon.proof_items``), the baker front end's
polyphones and Latin tokens (``baker_frontend.proof_items``). A stage adds
its own by writing a ``proof_items(text) -> list[ProofItem]`` and calling it
in ``collect`` below; ``stage`` names it and ``flags`` say what the editor
should look at (``name``, ``place``, ``latin``, ``acronym``, ``model`` …).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass

from briefing.article import Article
from briefing.lexicon import Lexicon


@dataclass(frozen=True)
class ProofItem:
    """One reading decision: what was written, how it will be said, where."""

    stage: str  # who decided: "lexicon", "polyphone", "latin", …
    written: str
    spoken: str
    context: str  # the text around it, the item in 【】
    flags: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "flags": list(self.flags)}

    def line(self) -> str:
        flags = f" [{', '.join(self.flags)}]" if self.flags else ""
        return f"{self.written} → {self.spoken}  {self.stage}{flags}  {self.context}"


def context(text: str, start: int, end: int, width: int = 8) -> str:
    """``text`` around ``start:end``, the span marked with 【】."""
    head = text[max(0, start - width) : start]
    tail = text[end : end + width]
    return f"{head}【{text[start:end]}】{tail}"


# Spans the normaliser rewrote with only this many letters between them (no
# punctuation) are one decision: 2019年4月2日 → 二零一九年四月二日, not three.
_JOIN_GAP_CHARS = 2
_HAN_ONLY = re.compile(r"[\u3400-\u9fff]+")


def normalisation_items(written: str, spoken: str) -> list[ProofItem]:
    """What the normaliser changed in one chunk, written → spoken, span by span
    (the chunk carries both, so nothing is normalised again here). A change of
    Han characters into as many others is Traditional script made Simplified
    for the voice, not a reading decision, and is left out."""
    from briefing.normalize import to_simplified

    # Compared in Simplified script where that keeps every character's place,
    # so that a Traditional article shows its readings, not its script.
    simplified = to_simplified(written)
    base = simplified if len(simplified) == len(written) else written
    spans: list[list[int]] = []  # [written start, written end, spoken start, spoken end]
    matcher = difflib.SequenceMatcher(None, base, spoken, autojunk=False)
    for tag, w0, w1, s0, s1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        gap = base[spans[-1][1] : w0] if spans else ""
        if spans and len(gap) <= _JOIN_GAP_CHARS and gap.isalnum():
            spans[-1][1], spans[-1][3] = w1, s1
        else:
            spans.append([w0, w1, s0, s1])
    items = []
    for w0, w1, s0, s1 in spans:
        before, after = written[w0:w1], spoken[s0:s1]
        if len(before) == len(after) and _HAN_ONLY.fullmatch(before) and _HAN_ONLY.fullmatch(after):
            continue
        flags = ("number",) if any(ch.isdigit() for ch in before) else ()
        items.append(ProofItem("normalise", before, after, context(written, w0, w1), flags))
    return items


def collect(article: Article, lexicon: Lexicon) -> list[ProofItem]:
    """Every decision for every chunk of ``article``, in reading order."""
    from briefing import lexicon as lexicons
    from briefing.backends import baker_frontend

    items: list[ProofItem] = []
    for chunk in article.chunks:
        items += normalisation_items(chunk.text, chunk.spoken)
        items += lexicons.proof_items(chunk.spoken, lexicon)
        items += baker_frontend.proof_items(lexicon.respell(chunk.spoken, pinyin=True))
    return items
