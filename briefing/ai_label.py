"""The AI label China requires of synthesised audio, explicit and implicit.

《人工智能生成合成内容标识办法》 (in force since 2025-09-01) and the mandatory
standard GB 45438-2025 ask for two labels (docs/ai-label.md cites the sources):

- an explicit one a listener perceives: for audio, a spoken prompt at the start.
  make reads ``spoken`` (本音频由人工智能合成。 unless the user words it
  otherwise) first, in the opening chapter, with the same voice as the article;
- the same in text where the audio is offered: ``VISIBLE`` on the player page,
  the index and in the feed item's description (``briefing publish``);
- an implicit one in the file's metadata: the key ``AIGC`` holding a JSON
  object of seven fields (``implicit``), written into the MP3's ID3 tag as a
  TXXX frame named AIGC, and kept in ``.briefing.json``.

A user may leave out the spoken prompt (``--no-ai-label``) and then takes on
that duty; the implicit label is always written, since it is true of every
file briefing makes.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from briefing.article import speakable
from briefing.errors import InputError

DEFAULT_SPOKEN = "本音频由人工智能合成。"
# Every briefing is read by a synthetic voice: its page and feed item say so where
# they are seen, whatever was spoken.
VISIBLE = "AI 合成"
DEFAULT_PRODUCER = "briefing"
AIGC_KEY = "AIGC"
# "1": the content is AI-generated or synthesised (the value producers write)
GENERATED = "1"
MAX_SPOKEN_CHARS = 60  # a prompt, not a paragraph: it is heard before every briefing
_PRODUCE_ID_NAMESPACE = uuid.UUID("0b6f64d5-2a0c-5c1e-9d4e-7f7a1c2b9e31")


@dataclass(frozen=True)
class AiLabel:
    """What make labels a briefing with: ``spoken`` is read first (None: not read)."""

    spoken: str | None = DEFAULT_SPOKEN
    producer: str = DEFAULT_PRODUCER  # ContentProducer: the service's name or code

    def __post_init__(self) -> None:
        if self.spoken is not None:
            text = self.spoken.strip()
            if not speakable(text) or len(text) > MAX_SPOKEN_CHARS:
                raise InputError(
                    f"--ai-label {self.spoken!r} must be a short sentence a voice can say "
                    f"(at most {MAX_SPOKEN_CHARS} characters), e.g. {DEFAULT_SPOKEN}"
                )
            object.__setattr__(self, "spoken", text)
        if not self.producer.strip():
            raise InputError("--ai-producer must name who produced the audio")

    def implicit(self, content: str) -> dict[str, str]:
        """The AIGC metadata for one file; ``content`` (what was said, by which voice)
        gives its ProduceID, so the same briefing made again has the same one. The
        propagator's fields are for whoever distributes the file to fill."""
        return {
            "Label": GENERATED,
            "ContentProducer": self.producer,
            "ProduceID": uuid.uuid5(_PRODUCE_ID_NAMESPACE, content).hex,
            "ReservedCode1": "",
            "ContentPropagator": "",
            "PropagateID": "",
            "ReservedCode2": "",
        }


def aigc_json(implicit: dict[str, str]) -> str:
    """The implicit label as the TXXX:AIGC frame holds it: compact JSON, field order kept."""
    return json.dumps(implicit, ensure_ascii=False, separators=(",", ":"))
