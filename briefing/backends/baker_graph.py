"""The Baker voice's two TFLite graphs: made runnable, loaded, and run.

``fastspeech2_quan.tflite`` (phone ids → mel frames) was exported with two
dropout layers frozen in training mode. Each computes, for the f0 and the
energy embedding x::

    y = (x * 2.0) * cast(random_uniform(shape(x)) >= 0.5)

with ``RandomUniform`` as the TensorFlow-only custom op ``FlexRandomUniform``,
which the small ``ai-edge-litert`` runtime cannot run. At inference dropout is
the identity (its expectation: E[2·mask] = 1), so ``make_dropout_identity``
rewires every reader of ``y`` to read ``x`` and drops the ops that no longer
feed anything (the random op among them). The output becomes deterministic,
which the chunk cache and the tests rely on. The rewrite happens in memory at
load time, from the user's own downloaded weights; nothing rewritten ships.

``mb_melgan.tflite`` (mel → 24 kHz samples) is fully convolutional. XNNPACK
re-plans a graph each time its input shape changes (over a second for this
one), so mels are vocoded in fixed windows with enough context on each side
that the result inside each window is exactly that of a single pass. The
graph ends with the PQMF synthesis filter bank (4 sub-bands → one signal: a
transposed convolution that only inserts zeros, then a 63-tap FIR), which the
runtime runs slowly on 165,600 samples a window; ``split_vocoder`` cuts it
off and ``Synthesis`` does the same arithmetic as one polyphase matrix
product in numpy, once per utterance.

This module is what each worker process imports: numpy and ai-edge-litert,
no text processing.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

SAMPLE_RATE_HZ = 24000
HOP_SAMPLES = 300  # samples per mel frame
SUBBANDS = 4
SUBBAND_HOP = HOP_SAMPLES // SUBBANDS  # sub-band samples per mel frame
MEL_BINS = 80
# Frames of the decoder's position table: a longer utterance cannot be said.
MAX_FRAMES = 2048

# Vocoder windows: WINDOW frames kept, CONTEXT frames each side thrown away.
# MB-MelGAN's receptive field reaches 17 frames (checked: with 18 or more,
# windowed and single-pass samples are identical inside the signal).
VOCODER_WINDOW = 512
VOCODER_SMALL_WINDOW = 64
VOCODER_CONTEXT = 20

_DROPOUT_OP = "FlexRandomUniform"


class GraphError(Exception):
    """The graph is not the one we know how to rewrite or run."""


class _Graph:
    """A TFLite model unpacked for editing, seen one subgraph at a time: each
    op's name, each tensor's producer and readers, its constant value, and
    the model packed back into bytes. ``what`` begins its error messages."""

    def __init__(self, model_bytes: bytes, what: str) -> None:
        from ai_edge_litert import schema_py_generated as schema

        self.schema = schema
        self.what = what
        self._size = len(model_bytes)
        self.model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model_bytes, 0))
        self._builtin_names = {v: k for k, v in vars(schema.BuiltinOperator).items() if k.isupper()}
        self.select(self.model.subgraphs[0])

    def select(self, graph) -> None:  # type: ignore[no-untyped-def]
        """Look at ``graph``, one of the model's subgraphs, from now on."""
        self.graph = graph
        self.producer = {int(t): op for op in graph.operators for t in op.outputs}
        self.readers: dict[int, list[Any]] = {}
        for op in graph.operators:
            for t in op.inputs:
                self.readers.setdefault(int(t), []).append(op)

    def op_name(self, op) -> str:  # type: ignore[no-untyped-def]
        code = self.model.operatorCodes[op.opcodeIndex]
        if code.customCode:
            return code.customCode.decode()
        return self._builtin_names.get(max(code.builtinCode, code.deprecatedBuiltinCode), "?")

    def chain(self, tensor: int, *expected: str) -> list[Any]:
        """The ops that follow ``tensor`` one after the other, each the only
        reader of the one before's output, checked against ``expected`` names."""
        found = []
        for name in expected:
            following = self.readers.get(tensor, [])
            if len(following) != 1 or self.op_name(following[0]) != name:
                raise GraphError(f"{self.what}: expected {name} after tensor {tensor}")
            found.append(following[0])
            tensor = int(following[0].outputs[0])
        return found

    def constant(self, tensor: int) -> np.ndarray:
        t = self.graph.tensors[tensor]
        data = self.model.buffers[t.buffer].data
        kinds = {self.schema.TensorType.FLOAT32: "<f4", self.schema.TensorType.INT32: "<i4"}
        if data is None or t.type not in kinds:
            raise GraphError(f"{self.what}: tensor {tensor} is not a constant")
        values = np.frombuffer(bytes(bytearray(data)), kinds[t.type])
        return values if t.shape is None else values.reshape(t.shape)  # None: a scalar

    def scalar(self, tensor: int) -> float:
        values = self.constant(tensor)
        if values.size != 1 or values.dtype.kind != "f":
            raise GraphError(f"{self.what}: tensor {tensor} is not a scalar constant")
        return float(values.reshape(-1)[0])

    def pack(self) -> bytes:
        import flatbuffers

        builder = flatbuffers.Builder(self._size + 65536)
        builder.Finish(self.model.Pack(builder), file_identifier=b"TFL3")
        return bytes(builder.Output())


def make_dropout_identity(model_bytes: bytes) -> bytes:
    """``model_bytes`` with every training-mode dropout replaced by the identity."""
    g = _Graph(model_bytes, "dropout")
    rewired = 0
    for graph in g.model.subgraphs:
        g.select(graph)
        for op in list(graph.operators):
            if g.op_name(op) != _DROPOUT_OP:
                continue
            source, output = _dropout_pattern(g, op)
            for reader in g.readers.get(output, []):
                reader.inputs = np.array(
                    [source if int(t) == output else int(t) for t in reader.inputs], dtype=np.int32
                )
            graph.outputs = np.array(
                [source if int(t) == output else int(t) for t in graph.outputs], dtype=np.int32
            )
            rewired += 1
        _drop_dead_ops(graph)
    if rewired == 0:
        raise GraphError(f"no {_DROPOUT_OP} dropout found in the acoustic model")
    if any(g.op_name(op) == _DROPOUT_OP for sub in g.model.subgraphs for op in sub.operators):
        raise GraphError(f"a {_DROPOUT_OP} op is still used after the rewrite")
    return g.pack()


def _dropout_pattern(g: _Graph, random_op) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(x, y) tensor indices of ``y = (x * s) * cast(random >= rate)``, after
    checking the graph really computes that with s = 1 / (1 - rate)."""
    compare, cast, apply_mask = g.chain(int(random_op.outputs[0]), "GREATER_EQUAL", "CAST", "MUL")
    rate = g.scalar(int(compare.inputs[1]))
    mask = int(cast.outputs[0])
    scaled = next(int(t) for t in apply_mask.inputs if int(t) != mask)
    scale_op = g.producer.get(scaled)
    if scale_op is None or g.op_name(scale_op) != "MUL":
        raise GraphError("dropout: the kept values are not scaled by a MUL")
    source, scale_tensor = (int(t) for t in scale_op.inputs)
    scale = g.scalar(scale_tensor)
    if not np.isclose(scale, 1.0 / (1.0 - rate)):
        raise GraphError(f"dropout: scale {scale} does not match rate {rate}")
    return source, int(apply_mask.outputs[0])


def _drop_dead_ops(graph) -> None:  # type: ignore[no-untyped-def]
    """Remove ops whose outputs nothing reads, until none is left."""
    while True:
        needed = {int(t) for t in graph.outputs}
        for op in graph.operators:
            needed.update(int(t) for t in op.inputs)
        alive = [op for op in graph.operators if any(int(t) in needed for t in op.outputs)]
        if len(alive) == len(graph.operators):
            return
        graph.operators = alive


@dataclass(frozen=True)
class Synthesis:
    """MB-MelGAN's PQMF synthesis, as the graph computes it.

    Sub-band samples x [L, 4] are quantised (the exported graph rounds them to
    int8 steps of ``step``), spread 4 apart with ``gain`` (zeros between),
    zero-padded by ``pad`` each side and filtered by ``taps`` [K, 4] (a
    correlation, as CONV_2D computes it), plus ``bias``: 4·L samples.
    """

    taps: np.ndarray
    gain: float
    pad: int
    bias: float
    step: float

    def __call__(self, subbands: np.ndarray) -> np.ndarray:
        x = subbands.astype(np.float32)
        if self.step:
            x = (np.clip(np.round(x / self.step), -128, 127) * self.step).astype(np.float32)
        matrix, front, back = self._polyphase()
        padded = np.pad(x, ((front, back), (0, 0)))
        width = matrix.shape[0] // SUBBANDS
        windows = np.lib.stride_tricks.sliding_window_view(padded, width, axis=0)
        # windows[m, k, j] = x[m + j - front, k]; one product gives 4 output phases per m.
        out = windows.reshape(len(x), SUBBANDS * width) @ matrix
        return (out.reshape(-1) + self.bias).astype(np.float32)

    def _polyphase(self) -> tuple[np.ndarray, int, int]:
        """The FIR split by output phase: y[4m + p] = Σ_k,j M[(k, j), p] · x[m + j - front, k]."""
        kernel = self.taps.shape[0]
        phases = []
        for p in range(SUBBANDS):
            first = (self.pad - p) % SUBBANDS  # the taps that land on a non-zero input
            offset = (p + first - self.pad) // SUBBANDS
            phases.append((first, offset, len(range(first, kernel, SUBBANDS))))
        low = min(offset for _, offset, _ in phases)
        high = max(offset + count for _, offset, count in phases)
        matrix = np.zeros((SUBBANDS, high - low, SUBBANDS), dtype=np.float32)
        for p, (first, offset, count) in enumerate(phases):
            for j in range(count):
                matrix[:, offset - low + j, p] = self.gain * self.taps[first + SUBBANDS * j, :]
        if low > 0 or high < 1:
            raise GraphError("PQMF synthesis filter does not cover the output")
        return matrix.reshape(SUBBANDS * (high - low), SUBBANDS), -low, high - 1


def split_vocoder(model_bytes: bytes) -> tuple[bytes, Synthesis]:
    """The vocoder without its final PQMF synthesis (it now outputs the tanh
    sub-band signal [1, frames·75, 4]), and that synthesis as ``Synthesis``."""
    g = _Graph(model_bytes, "vocoder")
    graph = g.graph
    upsamplers = [op for op in graph.operators if g.op_name(op) == "TRANSPOSE_CONV"]
    if not upsamplers:
        raise GraphError("vocoder: no transposed convolution found")
    upsample = upsamplers[-1]
    # Walk back over the int8 round trip to the tanh that makes the sub-bands.
    tensor, step = int(upsample.inputs[2]), 0.0
    while g.op_name(g.producer[tensor]) in ("DEQUANTIZE", "EXPAND_DIMS", "QUANTIZE"):
        op = g.producer[tensor]
        if g.op_name(op) == "QUANTIZE":
            q = graph.tensors[int(op.outputs[0])].quantization
            if len(q.scale) != 1 or int(q.zeroPoint[0]) != 0:
                raise GraphError("vocoder: unexpected sub-band quantisation")
            step = float(q.scale[0])
        tensor = int(op.inputs[0])
    if g.op_name(g.producer[tensor]) != "TANH":
        raise GraphError("vocoder: the sub-bands do not come from a tanh")
    subbands = tensor
    squeeze, pad_op, expand, conv, last = g.chain(
        int(upsample.outputs[0]), "SQUEEZE", "PAD", "EXPAND_DIMS", "CONV_2D", "SQUEEZE"
    )
    if [int(t) for t in graph.outputs] != [int(last.outputs[0])]:
        raise GraphError("vocoder: the synthesis filter is not the last step")
    spread = g.constant(int(upsample.inputs[1]))  # [out, 1, kernel, in]
    gain = float(spread[0, 0, 0, 0])
    expected_spread = np.zeros_like(spread)
    for k in range(SUBBANDS):
        expected_spread[k, 0, 0, k] = gain
    options = upsample.builtinOptions
    if spread.shape != (SUBBANDS, 1, SUBBANDS, SUBBANDS) or not np.array_equal(
        spread, expected_spread
    ) or options.strideW != SUBBANDS:  # fmt: skip
        raise GraphError("vocoder: the sub-band upsampling is not plain zero insertion")
    paddings = g.constant(int(pad_op.inputs[1]))
    taps = g.constant(int(conv.inputs[1]))  # [1, 1, K, 4]
    kernel = taps.shape[2]
    if paddings.tolist() != [[0, 0], [kernel // 2, kernel // 2], [0, 0]] or kernel % 2 == 0:
        raise GraphError("vocoder: unexpected synthesis filter padding")
    if conv.builtinOptions.padding != g.schema.Padding.VALID or conv.builtinOptions.strideW != 1:
        raise GraphError("vocoder: unexpected synthesis filter convolution")
    bias = float(g.constant(int(conv.inputs[2]))[0]) if len(conv.inputs) > 2 else 0.0

    graph.outputs = np.array([subbands], dtype=np.int32)
    _drop_dead_ops(graph)
    synthesis = Synthesis(taps[0, 0].astype(np.float32), gain, kernel // 2, bias, step)
    return g.pack(), synthesis


@dataclass(frozen=True)
class Graphs:
    """Both graphs, ready to load: the acoustic one with dropout made the
    identity, the vocoder cut before its synthesis filter bank (``synthesis``)."""

    acoustic: bytes
    vocoder: bytes
    synthesis: Synthesis


def prepare(acoustic: bytes, vocoder: bytes) -> Graphs:
    """The graphs as shipped → the graphs we run."""
    subband_vocoder, synthesis = split_vocoder(vocoder)
    return Graphs(make_dropout_identity(acoustic), subband_vocoder, synthesis)


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Silence the runtime's C++ log lines ("INFO: Created TensorFlow Lite
    XNNPACK delegate for CPU.") that would land in the user's terminal."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to protect
        yield
        return
    try:
        sys.stderr.flush()
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class Engine:
    """Both graphs loaded once; turns phone ids into float samples in [-1, 1]."""

    def __init__(self, graphs: Graphs, threads: int = 1) -> None:
        with _quiet_native_stderr():
            self._load(graphs, threads)

    def _load(self, graphs: Graphs, threads: int) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self._acoustic = Interpreter(model_content=graphs.acoustic, num_threads=threads)
        self._inputs = [d["index"] for d in self._acoustic.get_input_details()]
        outputs = self._acoustic.get_output_details()
        # Outputs: mel before and after the postnet, durations, f0, energy.
        self._mel_output = outputs[1]["index"]
        self._durations_output = outputs[2]["index"]
        self._vocoders = {
            size: _FixedVocoder(graphs.vocoder, size, threads)
            for size in (VOCODER_WINDOW, VOCODER_SMALL_WINDOW)
        }
        self._synthesis = graphs.synthesis

    def mel(self, ids: Sequence[int], speed_ratio: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """(mel frames [T, 80], frames per input id) for one utterance.

        ``speed_ratio`` scales durations: 2.0 is half speed, 0.5 double."""
        interpreter = self._acoustic
        interpreter.resize_tensor_input(self._inputs[0], [1, len(ids)])
        interpreter.allocate_tensors()
        values = [
            np.array([ids], dtype=np.int32),
            np.zeros(1, dtype=np.int32),  # speaker 0: the only one
            np.array([speed_ratio], dtype=np.float32),
            np.ones(1, dtype=np.float32),  # f0 ratio
            np.ones(1, dtype=np.float32),  # energy ratio
        ]
        for index, value in zip(self._inputs, values, strict=True):
            interpreter.set_tensor(index, value)
        interpreter.invoke()
        mel = interpreter.get_tensor(self._mel_output)[0]
        durations = interpreter.get_tensor(self._durations_output)[0]
        return mel, durations

    def vocode(self, mel: np.ndarray) -> np.ndarray:
        """Samples (float32, 300 per frame) for mel frames [T, 80]."""
        frames = mel.shape[0]
        if frames == 0:
            return np.zeros(0, dtype=np.float32)
        c = VOCODER_CONTEXT
        big, small = VOCODER_WINDOW, VOCODER_SMALL_WINDOW
        big_count = frames // big
        rest = frames - big_count * big
        small_count = -(-rest // small)
        # The leftover goes to small windows or one more big one, whichever
        # runs fewer frames through the network.
        if small_count * (small + 2 * c) > big + 2 * c:
            big_count, small_count = big_count + 1, 0
        padded_frames = big_count * big + small_count * small
        # Edge frames (silence at utterance ends) fill the context beyond the signal.
        padded = np.pad(mel, ((c, padded_frames - frames + c), (0, 0)), mode="edge")
        pieces = []
        start = 0
        for size, count in ((big, big_count), (small, small_count)):
            for _ in range(count):
                window = padded[start : start + size + 2 * c]
                pieces.append(
                    self._vocoders[size](window)[c * SUBBAND_HOP : (c + size) * SUBBAND_HOP]
                )
                start += size
        subbands = np.concatenate(pieces)[: frames * SUBBAND_HOP]
        return self._synthesis(subbands)


class _FixedVocoder:
    """The vocoder planned once for one window length, never resized."""

    def __init__(self, model: bytes, frames: int, threads: int) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self._interpreter = Interpreter(model_content=model, num_threads=threads)
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._frames = frames + 2 * VOCODER_CONTEXT
        self._interpreter.resize_tensor_input(self._input, [1, self._frames, MEL_BINS])
        self._interpreter.allocate_tensors()

    def __call__(self, window: np.ndarray) -> np.ndarray:
        self._interpreter.set_tensor(
            self._input, np.ascontiguousarray(window[np.newaxis], dtype=np.float32)
        )
        self._interpreter.invoke()
        return self._interpreter.get_tensor(self._output)[0]  # [frames · 75, 4] sub-bands
