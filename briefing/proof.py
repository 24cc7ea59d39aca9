"""The proof: every reading decision an editor may want to check before publishing.

``briefing plan --proof`` prints it. Each stage that decides how something is
read contributes records to one list, in the article's order: the
pronunciation lexicon (``lexicon.proof_items``), the baker front end's
polyphones and Latin tokens (``baker_frontend.proof_items``). A stage adds
its own by writing a ``proof_items(text) -> list[ProofItem]`` and calling it
in ``collect`` below; ``stage`` names it and ``flags`` say what the editor
should look at (``name``, ``place``, ``latin``, ``acronym``, ``model`` …).
"""

from __future__ import annotations

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


def collect(article: Article, lexicon: Lexicon) -> list[ProofItem]:
    """Every decision for every chunk of ``article``, in reading order."""
    from briefing import lexicon as lexicons
    from briefing.backends import baker_frontend

    items: list[ProofItem] = []
    for chunk in article.chunks:
        items += lexicons.proof_items(chunk.spoken, lexicon)
        items += baker_frontend.proof_items(lexicon.respell(chunk.spoken, pinyin=True))
    return items
