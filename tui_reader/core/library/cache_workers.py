"""Parsing the digests the cache lacks: once per distinct content, on every core, in worker subprocesses.

Plain subprocesses rather than multiprocessing: spawn and forkserver re-import the caller's
main module in each worker (an unguarded script would run again), and fork is unsafe in the
reader, which runs threads. Each worker gets its share of paths on stdin and writes one
length-prefixed marshal record per path, in order, to a private copy of stdout; its stderr
goes nowhere, so nothing it prints can reach the reader's screen.
"""
from __future__ import annotations

import gc
import hashlib
import importlib
import marshal
import os
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from tui_reader.core.library.cache import Reader, log, parse_for_cache

PARALLEL_MIN_FILES = 8
"""Fewer files than this are parsed in the calling process (starting workers costs ~0.1 s)."""
_LARGEST_COMPARED = 64 * 1024 * 1024
"""Files larger than this are never compared byte for byte with others (they are parsed)."""
HEADER = struct.Struct("<Q")
"""The length before each record on a worker's pipes."""
_LARGEST_RECORD = 4 * 1024 * 1024 * 1024
"""No answer a worker gives is larger (a part of a library, one parsed file)."""
_WORKER_CODE = "from tui_reader.core.library.cache_workers import worker_main; worker_main()"


def usable_cpus() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse_all(paths: list[Path], reader: Reader) -> Iterator[tuple]:
    """parse_for_cache over paths, in order; in worker processes when there are many."""
    cpus = usable_cpus()
    reader_name = importable_name(reader)
    done = 0
    if len(paths) >= PARALLEL_MIN_FILES and cpus > 1 and reader_name is not None:
        try:
            for record in parse_in_workers(paths, reader_name, min(cpus, 4)):
                if record[0] == "retry":
                    record = parse_for_cache(paths[done], reader, keep_digest=True)
                done += 1
                yield record
            return
        except WorkerFailed as err:
            log.info("parallel parsing stopped (%s); parsing the rest in this process", err)
    for path in paths[done:]:
        yield parse_for_cache(path, reader, keep_digest=True)


def copies_of_earlier_files(files: list[tuple[Path, int]]) -> dict[Path, Path]:
    """Files whose bytes equal an earlier file's (Saturday's and Sunday's digests repeat
    Friday's): copy -> that earlier file. Only files sharing their size with another are read."""
    by_size: dict[int, list[Path]] = {}
    for path, size in files:
        if 0 < size <= _LARGEST_COMPARED:
            by_size.setdefault(size, []).append(path)
    copies: dict[Path, Path] = {}
    for group in by_size.values():
        if len(group) < 2:
            continue
        first_with: dict[bytes, Path] = {}
        for path in group:
            try:
                content_hash = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
            except OSError:
                continue
            original = first_with.setdefault(content_hash, path)
            if original is not path:
                copies[path] = original
    return copies


class WorkerFailed(RuntimeError):
    """A worker died or answered nonsense; the caller parses the rest itself."""


def importable_name(func: Callable) -> tuple[str, str] | None:
    """(module, qualified name) if func can be found again by import in another process."""
    module, name = getattr(func, "__module__", None), getattr(func, "__qualname__", "")
    if not module or "<" in name or module == "__main__":
        return None
    target: object = sys.modules.get(module)
    for part in name.split("."):
        target = getattr(target, part, None)
    return (module, name) if target is func else None


def parse_in_workers(paths: list[Path], reader_name: tuple[str, str], workers: int) -> Iterator[tuple]:
    """cache.parse_for_cache(path, reader) for each path, in order, spread over workers.

    A record ('retry',) means: parse this one in the calling process (it could not be sent
    back, or the parser raised something unexpected, which must surface as it would there).
    Raises WorkerFailed if a worker cannot be started or stops answering."""
    workers = max(1, min(workers, len(paths)))
    procs: list[subprocess.Popen] = []
    try:
        for index in range(workers):
            share = [str(p) for p in paths[index::workers]]
            proc = start_worker(_WORKER_CODE, list(reader_name))
            procs.append(proc)
            assert proc.stdin is not None  # stdin=PIPE
            proc.stdin.write(marshal.dumps(share))
            proc.stdin.close()
        for index in range(len(paths)):
            stream = procs[index % workers].stdout
            assert stream is not None  # stdout=PIPE
            yield read_record(stream)
    except OSError as err:
        raise WorkerFailed(str(err)) from None
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


def start_worker(code: str, args: list[str]) -> subprocess.Popen:
    """A Python subprocess running `code` (this package importable, wherever it lies),
    with pipes for stdin and stdout and its stderr discarded. Raises OSError."""
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[3])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)


def read_record(stream: IO[bytes]) -> tuple:
    """One length-prefixed marshal record a worker wrote (WorkerFailed if it cannot be had)."""
    header = stream.read(HEADER.size)
    if len(header) != HEADER.size:
        raise WorkerFailed("a parsing worker stopped early")
    (size,) = HEADER.unpack(header)
    if size > _LARGEST_RECORD:  # not a length: reading it would ask for exabytes
        raise WorkerFailed("a worker answered nonsense")
    data = stream.read(size)
    if len(data) != size:
        raise WorkerFailed("a parsing worker stopped mid-answer")
    try:
        record = marshal.loads(data)
    except (ValueError, EOFError, TypeError) as err:
        raise WorkerFailed(f"a parsing worker answered nonsense ({err})") from None
    if not isinstance(record, tuple) or not record:
        raise WorkerFailed("a parsing worker answered nonsense")
    return record


def worker_main() -> None:
    """The worker: read the paths, parse each, write back one record per path."""
    gc.disable()  # a short-lived process: collecting the parser's garbage costs ~25% of its time
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything the parsers print goes to stderr (discarded), not into the answers
    module, name = sys.argv[1], sys.argv[2]
    reader: Any = importlib.import_module(module)
    for part in name.split("."):
        reader = getattr(reader, part)
    for raw in marshal.loads(sys.stdin.buffer.read()):
        try:
            record = parse_for_cache(Path(raw), reader)
            if record[0] == "digest":  # not encodable: the caller parses it itself
                record = ("retry",)
            data = marshal.dumps(record)
        except Exception:
            data = marshal.dumps(("retry",))
        out.write(HEADER.pack(len(data)))
        out.write(data)
    out.flush()
