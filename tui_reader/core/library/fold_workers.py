"""A first start's search text made on every core: the merged papers' searched fields folded in worker subprocesses.

The fold is pure Python (a few seconds at 80,000 papers) and comes after the last file is
parsed, when the parse workers have ended and one core would idle. The papers' searched
values (only those, see SEARCHED) go to the workers in parts of PART_PAPERS, in turn; each
worker answers each part with its PreparedText (text and field bounds), in order; the parts are put back
together in order. The same function on the same values: the text is what folding here
gives. Should a worker fail, the parts not yet answered are folded here. Pipes and worker
start-up as for the parse workers (core.library.cache_workers).
"""
from __future__ import annotations

import marshal
import os
from array import array
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter
from typing import IO, TYPE_CHECKING

from tui_reader.core.library.cache_workers import HEADER, WorkerFailed, read_record, start_worker, usable_cpus
from tui_reader.core.search.haystack import FIELD_COUNT, SUMMARY_FIELDS, PreparedText

if TYPE_CHECKING:
    from tui_reader.core.model import Paper

PARALLEL_MIN_PAPERS = 6000
"""Fewer papers than this are folded in the calling process (starting workers costs ~0.1 s)."""
PART_PAPERS = 2048
"""Papers sent to a worker at once: its answer is what is held besides the result."""
SEARCHED = ("id", "title", "authors", "abstract", *SUMMARY_FIELDS, "extra", "category", "categories", "comment",
            "keywords")
"""What PreparedText reads of a paper."""
_WORKER_CODE = "from tui_reader.core.library.fold_workers import worker_main; worker_main()"
_MARSHAL_VERSION = 4
_searched_values = attrgetter(*SEARCHED)


class SearchedFields:
    """A paper's searched values, as a worker receives them (PreparedText reads only these)."""

    __slots__ = SEARCHED

    def __init__(self, values: Sequence[object]) -> None:
        for name, value in zip(SEARCHED, values):
            setattr(self, name, value)


def _nothing() -> None:
    pass


def prepare_in_workers(papers: Sequence[Paper], between_parts: Callable[[], None] = _nothing) -> PreparedText:
    """PreparedText(papers) with every paper's text made (`ensure`): in worker processes
    when there are many papers and cores, else here; between_parts is called after each
    part (it may raise to give up, as PreparedText.ensure's between_batches)."""
    prepared = PreparedText(papers)
    workers = min(usable_cpus(), 4)
    if len(papers) >= PARALLEL_MIN_PAPERS and workers > 1:
        try:
            for count, (data, bounds) in _parts_from_workers(papers, workers, between_parts):
                part = array("q")
                part.frombytes(bounds)
                if len(part) != FIELD_COUNT * count + 1 or part[0] != 0 or part[-1] != len(data):
                    raise WorkerFailed("a folding worker answered nonsense")
                base = prepared.bounds.pop()
                prepared.bounds.extend(map(base.__add__, part))
                prepared.data += data
        except WorkerFailed:
            pass  # the parts the workers answered are kept; the rest is folded here
    prepared.ensure(between_parts)
    return prepared


def _parts_from_workers(papers: Sequence[Paper], workers: int,
                        between_parts: Callable[[], None]) -> Iterator[tuple[int, tuple]]:
    starts = list(range(0, len(papers), PART_PAPERS))
    workers = min(workers, len(starts))
    procs = []
    try:
        for _ in range(workers):
            procs.append(start_worker(_WORKER_CODE, []))
    except OSError as err:
        for proc in procs:
            proc.kill()
            proc.wait()
        raise WorkerFailed(str(err)) from None

    inputs: list[IO[bytes]] = [proc.stdin for proc in procs if proc.stdin is not None]
    outputs: list[IO[bytes]] = [proc.stdout for proc in procs if proc.stdout is not None]

    def send() -> None:
        """In a thread: each part to its worker in turn, then the end of input to each."""
        try:
            for number, start in enumerate(starts):
                data = marshal.dumps(list(map(_searched_values, papers[start:start + PART_PAPERS])), _MARSHAL_VERSION)
                _write(inputs[number % workers], data)
            for stream in inputs:
                _write(stream, b"")
                stream.close()
        except (OSError, ValueError):  # a worker gone: reading its answer says so
            pass

    sender = threading.Thread(target=send, name="fold-parts", daemon=True)
    sender.start()
    try:
        for number in range(len(starts)):
            part = read_record(outputs[number % workers])
            if len(part) != 2 or not isinstance(part[0], bytes) or not isinstance(part[1], bytes):
                raise WorkerFailed("a folding worker answered nonsense")
            yield min(PART_PAPERS, len(papers) - starts[number]), part
            between_parts()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None and not stream.closed:
                    try:
                        stream.close()
                    except OSError:
                        pass
        sender.join()


def _write(stream: IO[bytes], data: bytes) -> None:
    stream.write(HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read_part(stream: IO[bytes]) -> bytes | None:
    header = stream.read(HEADER.size)
    if len(header) != HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    if not size:
        return None
    data = stream.read(size)
    return data if len(data) == size else None


def worker_main() -> None:
    """The worker: fold each part of searched values it is sent, answer each in order."""
    from tui_reader.core.collector import gc_paused

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr (discarded), not into the answers
    source = sys.stdin.buffer
    with gc_paused():  # a short-lived process making only acyclic strings
        while (data := _read_part(source)) is not None:
            fields = [SearchedFields(values) for values in marshal.loads(data)]
            made = PreparedText(fields)  # type: ignore[arg-type]  # reads only the searched fields
            made.ensure(_nothing)
            answer = marshal.dumps((bytes(made.data), made.bounds.tobytes()), _MARSHAL_VERSION)
            out.write(HEADER.pack(len(answer)))
            out.write(answer)
            out.flush()
