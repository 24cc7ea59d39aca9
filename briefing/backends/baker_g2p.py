"""Readings of polyphonic characters from their sentence, with g2pM's model.

pypinyin alone reads about 87% of CPP's polyphones right: outside its phrase
dictionary it falls back to a character's most frequent reading. g2pM (Apache
2.0, on PyPI) ships a 1.6 MB character BiLSTM trained on CPP as plain numpy
arrays. Its own ``G2pM.__call__`` steps the LSTM with a Python loop of tiny
matrix products and may pick any of its 876 readings; here the input
projections are computed for the whole sentence in one product, only the
character's own readings compete, and the model says how sure it is, so the
front end can weigh it against pypinyin's phrase dictionary.
"""

from __future__ import annotations

import functools
import pickle
from dataclasses import dataclass
from importlib import resources

import numpy as np

from briefing.errors import BackendUnavailable

_BOS = "시"  # g2pM's sentence start and end tokens
_EOS = "끝"
_UNK = "<UNK>"
_LSTM_PARAMETERS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


@dataclass(frozen=True)
class Guess:
    """The model's reading of one character (``hang2``, ``lv4``) and its
    probability among that character's readings."""

    reading: str
    probability: float


class _Model:
    def __init__(self) -> None:
        try:
            files = resources.files("g2pM")
        except ModuleNotFoundError as exc:  # pragma: no cover - a declared dependency
            raise BackendUnavailable(
                "the baker voice reads polyphones with g2pM: pip install g2pM"
            ) from exc

        def load(name: str):  # type: ignore[no-untyped-def]
            # The package's own pickles of dicts and numpy arrays.
            return pickle.loads((files / name).read_bytes())  # noqa: S301

        weights = load("np_ckpt.pkl")
        self.char_ids: dict[str, int] = load("char2idx.pkl")
        class_ids: dict[str, int] = load("class2idx.pkl")
        cedict: dict[str, list[str]] = load("digest_cedict.pkl")
        # Each polyphone's readings, as the model's class ids.
        self.candidates = {
            ch: np.array([class_ids[r] for r in readings if r in class_ids])
            for ch, readings in cedict.items()
            if len(readings) > 1
        }
        by_id = sorted(class_ids.items(), key=lambda item: item[1])
        self.classes = [reading.replace("u:", "v") for reading, _ in by_id]
        self.embedding = weights["embedding.weight"]
        self.directions = [
            tuple(weights[f"lstm.{name}_l0{suffix}"] for name in _LSTM_PARAMETERS)
            for suffix in ("", "_reverse")
        ]
        self.hidden = (weights["logit_layer.0.weight"], weights["logit_layer.0.bias"])
        self.output = (weights["logit_layer.2.weight"], weights["logit_layer.2.bias"])

    def states(self, inputs: np.ndarray, direction: int) -> np.ndarray:
        """Hidden states of one LSTM direction over the embedded sequence
        (gates in PyTorch's order: input, forget, cell, output)."""
        w_ih, w_hh, b_ih, b_hh = self.directions[direction]
        projected = inputs @ w_ih.T + (b_ih + b_hh)
        size = w_hh.shape[1]
        h = np.zeros(size, dtype=np.float32)
        c = np.zeros(size, dtype=np.float32)
        out = np.empty((len(inputs), size), dtype=np.float32)
        for t, x in enumerate(projected):
            gates = x + w_hh @ h
            i, f = _sigmoid(gates[:size]), _sigmoid(gates[size : 2 * size])
            g, o = np.tanh(gates[2 * size : 3 * size]), _sigmoid(gates[3 * size :])
            c = f * c + i * g
            h = o * np.tanh(c)
            out[t] = h
        return out

    def guess(self, sentence: str) -> dict[int, Guess]:
        positions = [i for i, ch in enumerate(sentence) if ch in self.candidates]
        if not positions:
            return {}
        unknown = self.char_ids[_UNK]
        chars = [self.char_ids.get(ch, unknown) for ch in sentence]
        ids = [self.char_ids[_BOS], *chars, self.char_ids[_EOS]]
        inputs = self.embedding[ids]
        forward = self.states(inputs, 0)
        backward = self.states(inputs[::-1], 1)[::-1]
        rows = [p + 1 for p in positions]  # after the start token
        features = np.concatenate([forward[rows], backward[rows]], axis=1)
        hidden = np.maximum(features @ self.hidden[0].T + self.hidden[1], 0)
        logits = hidden @ self.output[0].T + self.output[1]
        result: dict[int, Guess] = {}
        for position, row in zip(positions, logits, strict=True):
            candidates = self.candidates[sentence[position]]
            scores = row[candidates]
            odds = np.exp(scores - scores.max())
            best = int(odds.argmax())
            result[position] = Guess(self.classes[candidates[best]], float(odds[best] / odds.sum()))
        return result


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@functools.cache
def _model() -> _Model:
    return _Model()


def polyphone_readings(sentence: str) -> dict[int, Guess]:
    """For each polyphonic character of ``sentence``, by index, the model's
    reading in context (pinyin with a tone digit) and how sure it is."""
    return _model().guess(sentence)
