"""briefing: a Chinese news article in, a spoken Mandarin audio briefing out.

The library does what the command line does (see README, "From Python")::

    import briefing

    made = briefing.make(briefing.MakeConfig("article.txt", rate=briefing.Rate(10)))
    print(made.files.mp3, made.briefing.duration_ms)

Everything public is named in ``__all__``; other modules are the library's
own. Names are imported when first used, so ``import briefing`` stays light
(no numpy, no jieba) for a program that only needs, say, the error classes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from briefing.errors import (
    AudioError,
    BackendUnavailable,
    BriefingError,
    InputError,
    OutputError,
    SynthesisError,
)
from briefing.prosody import Pitch, Rate, Volume

if TYPE_CHECKING:
    from briefing.article import Article, Briefing
    from briefing.ingest import Source, Text
    from briefing.pipeline import MakeConfig, MakeResult, make, plan
    from briefing.publish import PublishConfig, PublishResult
    from briefing.sidecars import OutputFiles

__version__ = "0.1.0"

__all__ = [
    "Article",
    "AudioError",
    "BackendUnavailable",
    "Briefing",
    "BriefingError",
    "InputError",
    "MakeConfig",
    "MakeResult",
    "OutputError",
    "OutputFiles",
    "Pitch",
    "PublishConfig",
    "PublishResult",
    "Rate",
    "Source",
    "SynthesisError",
    "Text",
    "Volume",
    "__version__",
    "make",
    "plan",
    "publish",
]

# name → module that defines it, imported on first use
_LAZY = {
    "Article": "briefing.article",
    "Briefing": "briefing.article",
    "Source": "briefing.ingest",
    "Text": "briefing.ingest",
    "MakeConfig": "briefing.pipeline",
    "MakeResult": "briefing.pipeline",
    "make": "briefing.pipeline",
    "plan": "briefing.pipeline",
    "PublishConfig": "briefing.publish",
    "PublishResult": "briefing.publish",
    "OutputFiles": "briefing.sidecars",
}


def __getattr__(name: str) -> Any:
    if name == "publish":
        # briefing.publish is also the package that publishes; importing it
        # makes it this attribute, and the package is callable as its function.
        return importlib.import_module("briefing.publish")
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'briefing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
