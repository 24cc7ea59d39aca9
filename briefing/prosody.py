"""How fast, how loud and how high a voice speaks, as small typed values.

Each is an offset from the voice's own: ``Rate(10)`` is 10 % faster,
``Volume(-5)`` 5 % quieter, ``Pitch(5)`` 5 Hz higher. They are validated when
made, so a value out of range is refused before any work; ``parse`` reads what
the command line and the preset files say ("+10%", "-5Hz").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

from briefing.errors import BriefingError

_Offset = TypeVar("_Offset", bound="_ProsodyOffset")


@dataclass(frozen=True)
class _ProsodyOffset:
    """An integer offset within ``LOWEST``..``HIGHEST``, written with ``UNIT``."""

    NAME: ClassVar[str]
    UNIT: ClassVar[str]
    LOWEST: ClassVar[int]
    HIGHEST: ClassVar[int]

    if TYPE_CHECKING:  # each subclass has its one field, named for its unit

        def __init__(self, value: int, /) -> None: ...

    def _value(self) -> int:
        raise NotImplementedError

    def __post_init__(self) -> None:
        value = self._value()
        if isinstance(value, bool) or not isinstance(value, int):
            raise BriefingError(f"{self.NAME} must be a whole number of {self.UNIT}, not {value!r}")
        if not self.LOWEST <= value <= self.HIGHEST:
            raise BriefingError(
                f"{self.NAME} {value:+d}{self.UNIT} is out of range; "
                f"use {self.LOWEST:+d}{self.UNIT} to {self.HIGHEST:+d}{self.UNIT}"
            )

    @classmethod
    def parse(cls: type[_Offset], text: str | int) -> _Offset:
        """'+10%' → 10, '-5Hz' → -5 (the unit may be left out); a clear error otherwise."""
        if isinstance(text, int):
            return cls(text)
        match = re.fullmatch(rf"\s*([+-]?\d+)\s*(?:{re.escape(cls.UNIT)})?\s*", text, re.I)
        if not match:
            raise BriefingError(
                f"{cls.NAME} {text!r} is not an offset like +10{cls.UNIT} or -5{cls.UNIT}"
            )
        return cls(int(match.group(1)))

    def __str__(self) -> str:
        return f"{self._value():+d}{self.UNIT}"


@dataclass(frozen=True)
class Rate(_ProsodyOffset):
    """Speaking rate, in percent faster (negative: slower) than the voice's own."""

    percent: int = 0
    NAME: ClassVar[str] = "rate"
    UNIT: ClassVar[str] = "%"
    LOWEST: ClassVar[int] = -50
    HIGHEST: ClassVar[int] = 100

    def _value(self) -> int:
        return self.percent


@dataclass(frozen=True)
class Volume(_ProsodyOffset):
    """Loudness, in percent louder (negative: quieter) than the voice's own."""

    percent: int = 0
    NAME: ClassVar[str] = "volume"
    UNIT: ClassVar[str] = "%"
    LOWEST: ClassVar[int] = -50
    HIGHEST: ClassVar[int] = 50

    def _value(self) -> int:
        return self.percent


@dataclass(frozen=True)
class Pitch(_ProsodyOffset):
    """Pitch, in hertz higher (negative: lower) than the voice's own."""

    hertz: int = 0
    NAME: ClassVar[str] = "pitch"
    UNIT: ClassVar[str] = "Hz"
    LOWEST: ClassVar[int] = -50
    HIGHEST: ClassVar[int] = 50

    def _value(self) -> int:
        return self.hertz
