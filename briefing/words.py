"""Chinese word segmentation with jieba, loaded once and quietly.

jieba prints its dictionary loading to stderr at DEBUG level through its own
handler; the CLI's stderr is for the user, so it is turned down here, the one
place the project imports jieba.
"""

from __future__ import annotations

import functools
import logging
from types import ModuleType


@functools.cache
def _jieba() -> ModuleType:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def cut(text: str, hmm: bool = True) -> list[str]:
    """The words of ``text``, in order; joining them gives ``text`` back."""
    return list(_jieba().cut(text, HMM=hmm))


def frequency(word: str) -> int:
    """How often ``word`` occurs in jieba's dictionary corpus (0 if not a word there)."""
    return int(_jieba().dt.FREQ.get(word, 0))
