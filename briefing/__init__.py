"""briefing: a Chinese news article in, a spoken Mandarin audio briefing out.

The library is usable without the command line::

    from briefing import pipeline
    result = pipeline.make(pipeline.MakeConfig(source="article.txt"))
"""

from __future__ import annotations

__version__ = "0.1.0"
