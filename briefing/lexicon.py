"""A pronunciation lexicon: how to read words that voices get wrong.

Entries come from TOML files, each an array of ``[[word]]`` tables::

    [[word]]
    text = "单"            # as written
    pinyin = "shan4"       # one syllable per character, tone 1-5
    say = "善"             # optional: a spelling for voices that take no pinyin
    context = "surname"    # optional: only where the word is a surname
    before = "(记者)$"      # optional regexes the text just before / after
    after = "^(先生|女士)"   # must match for the entry to apply
    note = "surname"       # optional: what the editor sees in the proof

The default lexicon (``voices/lexicon.toml``: surnames and place names that
are commonly misread) is read first, then the user's (``lexicon.toml`` in the
user config dir, or ``BRIEFING_CONFIG_DIR``), then ``--lexicon FILE``; a later
file's entry for the same text comes first. baker reads the pinyin exactly
(the text it gets carries it as ``单{shan4}``, which its front end parses);
edge and espeak get the ``say`` spelling instead.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tomllib

from briefing.article import Chunk
from briefing.errors import InputError
from briefing.words import frequency

if TYPE_CHECKING:
    from briefing.proof import ProofItem

# Backends whose front end reads ``字{zi4}`` as an exact reading.
PINYIN_BACKENDS = frozenset({"baker"})

# Where a character is a surname: after a role or 姓, or before a given name
# and a title (单先生, 单某, 记者单…).
_TITLES = (
    "先生|女士|小姐|老师|教授|博士|医生|院士|院长|校长|局长|处长|科长|部长|市长|县长|省长|"
    "书记|主任|经理|总裁|董事长|某"
)
# A surname is not the start of a common word (曾经, 单位, 解决, 查询): its
# two characters are rarer than this in jieba's dictionary corpus.
_COMMON_PAIR = 1000
_CONTEXTS = {
    "surname": (
        re.compile(r"(记者|通讯员|编辑|主持人|作者|姓|叫|名叫|教授|老师|同学)$"),
        re.compile(rf"^[\u4e00-\u9fff]{{0,2}}({_TITLES})"),
    ),
}
_SYLLABLE = re.compile(r"[a-zü]+[1-5]")
_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


class LexiconError(InputError):
    """A lexicon file cannot be read or holds an entry that makes no sense."""


@dataclass(frozen=True)
class Entry:
    """One word's reading: ``pinyin`` has one syllable per character."""

    text: str
    pinyin: tuple[str, ...]
    say: str = ""
    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    note: str = ""
    surname: bool = False

    def applies(self, text: str, start: int) -> bool:
        end = start + len(self.text)
        if text[start:end] != self.text:
            return False
        if self.surname and frequency(text[start : end + 1]) >= _COMMON_PAIR:
            return False
        if self.before is None and self.after is None:
            return True
        # With both a before and an after rule, either side makes the case.
        return bool(
            (self.before and self.before.search(text[max(0, start - 12) : start]))
            or (self.after and self.after.search(text[end : end + 12]))
        )


@dataclass(frozen=True)
class Match:
    start: int
    entry: Entry

    @property
    def end(self) -> int:
        return self.start + len(self.entry.text)


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...] = ()

    def matches(self, text: str) -> list[Match]:
        """Where entries apply in ``text``: leftmost, longest, not overlapping;
        among entries for the same text the first that applies."""
        by_first: dict[str, list[Entry]] = {}
        for entry in sorted(self.entries, key=lambda e: -len(e.text)):
            by_first.setdefault(entry.text[0], []).append(entry)
        found: list[Match] = []
        i = 0
        while i < len(text):
            chosen = next((e for e in by_first.get(text[i], ()) if e.applies(text, i)), None)
            if chosen is None:
                i += 1
                continue
            found.append(Match(i, chosen))
            i += len(chosen.text)
        return found

    def respell(self, text: str, pinyin: bool) -> str:
        """The text a backend gets: each matched word with its reading in
        braces (``单{shan4}``) for a backend that reads pinyin, else its
        ``say`` spelling where there is one."""
        out: list[str] = []
        last = 0
        for match in self.matches(text):
            entry = match.entry
            out.append(text[last : match.start])
            if pinyin:
                out.append(f"{entry.text}{{{' '.join(entry.pinyin)}}}")
            else:
                out.append(entry.say or entry.text)
            last = match.end
        out.append(text[last:])
        return "".join(out)

    def for_backend(self, chunks: Sequence[Chunk], backend: str) -> list[Chunk]:
        """Chunks as ``backend`` should say them (the article's own are unchanged)."""
        pinyin = backend in PINYIN_BACKENDS
        return [
            dataclasses.replace(chunk, spoken=self.respell(chunk.spoken, pinyin))
            for chunk in chunks
        ]


def default_path() -> Path:
    from briefing.presets import presets_dir

    return presets_dir() / "lexicon.toml"


def user_path() -> Path:
    if value := os.environ.get("BRIEFING_CONFIG_DIR"):
        return Path(value).expanduser() / "lexicon.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir("briefing")) / "lexicon.toml"


def load(extra: Path | str | None = None) -> Lexicon:
    """The default lexicon, the user's, and ``extra`` (which must exist)."""
    paths = [default_path(), user_path()]
    if extra is not None:
        if not Path(extra).is_file():
            raise LexiconError(f"lexicon {extra}: no such file")
        paths.append(Path(extra))
    entries: list[Entry] = []
    for path in reversed(paths):  # later files first: their entries win
        if path.is_file():
            entries += read(path)
    return Lexicon(tuple(entries))


def read(path: Path) -> list[Entry]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"lexicon {path}: {exc}") from exc
    tables = data.get("word", [])
    if not isinstance(tables, list):
        raise LexiconError(f"lexicon {path}: entries are [[word]] tables")
    return [_entry(table, f"lexicon {path}, entry {n}") for n, table in enumerate(tables, 1)]


def _entry(table: dict[str, object], where: str) -> Entry:
    text = str(table.get("text", ""))
    if not _HAN_WORD.fullmatch(text):
        raise LexiconError(f"{where}: text must be Chinese characters, not {text!r}")
    syllables = tuple(str(table.get("pinyin", "")).replace("v", "ü").split())
    if len(syllables) != len(text) or not all(_SYLLABLE.fullmatch(s) for s in syllables):
        raise LexiconError(
            f"{where} ({text}): pinyin needs one syllable with a tone 1-5 per "
            f'character, e.g. pinyin = "{" ".join(["shan4"] * len(text))}"'
        )
    before, after = _context(table, where, text)
    return Entry(
        text,
        tuple(s.replace("ü", "v") for s in syllables),
        say=str(table.get("say", "")),
        before=before,
        after=after,
        note=str(table.get("note", table.get("context", ""))),
        surname=table.get("context") == "surname",
    )


def _context(
    table: dict[str, object], where: str, text: str
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    named = table.get("context")
    if named is not None:
        if named not in _CONTEXTS:
            known = ", ".join(_CONTEXTS)
            raise LexiconError(f"{where} ({text}): context {named!r} is not one of: {known}")
        return _CONTEXTS[str(named)]
    try:
        patterns = [table.get(side) for side in ("before", "after")]
        compiled = [re.compile(str(p)) if p else None for p in patterns]
    except re.error as exc:
        raise LexiconError(f"{where} ({text}): bad before/after pattern: {exc}") from exc
    return compiled[0], compiled[1]


def proof_items(text: str, lexicon: Lexicon) -> list[ProofItem]:
    """The lexicon's choices in ``text``, for the proof."""
    from briefing.proof import ProofItem, context

    items = []
    for match in lexicon.matches(text):
        entry = match.entry
        spoken = " ".join(entry.pinyin) + (f" (say {entry.say})" if entry.say else "")
        is_name = entry.surname or entry.note == "surname"
        flags: tuple[str, ...] = ("name",) if is_name else ((entry.note,) if entry.note else ())
        items.append(
            ProofItem("lexicon", entry.text, spoken, context(text, match.start, match.end), flags)
        )
    return items
