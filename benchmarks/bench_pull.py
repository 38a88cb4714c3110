"""What a pull transfers and how long it takes, from a local repository shaped like upstream.

Builds a bare repository like daily-arXiv-ai-enhanced's (a `main` branch with code, an orphan
`data` branch with one commit per day for --days days, each day a raw crawl and an English AI
file of about the upstream sizes), then prints the bytes received and seconds of a first pull
with `--since 30d`, of an incremental one-day pull, and the seconds from a new file in the
library folder to the LibraryWatcher's callback (and its idle CPU).

Run: python benchmarks/bench_pull.py [--days N] [--ai-kb K] [--raw-kb K]. Prints figures;
asserts nothing. The server side allows partial-clone filters, as GitHub does."""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from tui_reader.core.atomic_write import replace_atomically
from tui_reader.core.sources.git_fetch import mirror_bytes
from tui_reader.core.library.watch import LibraryWatcher
from tui_reader.core.sources.pull import MIRROR_FOLDER, pull_source
from tui_reader.core.sources.source import Source

WORDS = ("model data learning method results network training performance task large language graph "
         "diffusion video image robust efficient benchmark attention transformer sparse neural policy "
         "agent reasoning retrieval adaptive federated quantum causal contrastive generative latent "
         "optimal bound convergence theorem estimator kernel manifold spectral stochastic gradient").split()


def text_pool(rng: random.Random, size: int) -> str:
    """A long run of words to slice papers' text from: every slice differs, as papers do,
    and it compresses about as English does (so packs are of realistic size)."""
    vocab = WORDS + [f"{w}{rng.randint(0, 999)}" for w in WORDS for _ in range(40)]
    out: list[str] = []
    length = 0
    while length < size:
        chunk = " ".join(rng.choices(vocab, k=2000))
        out.append(chunk)
        length += len(chunk) + 1
    return " ".join(out)


def day_records(rng: random.Random, pool: str, day: date, target_bytes: int, ai: bool) -> bytes:
    lines: list[str] = []
    size = n = 0
    stem = f"{day:%y%m}"
    while size < target_bytes:
        n += 1
        pid = f"{stem}.{(day.day * 1000 + n) % 100000:05d}"

        def piece(length: int) -> str:
            start = rng.randrange(0, len(pool) - length)
            return pool[start:start + length]

        record = {"id": pid, "categories": ["cs.CL"], "pdf": f"https://arxiv.org/pdf/{pid}",
                  "abs": f"https://arxiv.org/abs/{pid}", "authors": [piece(14), piece(12), piece(16)],
                  "title": piece(80), "comment": None, "summary": piece(1200)}
        if ai:
            record["AI"] = {k: piece(160) for k in ("tldr", "motivation", "method", "result", "conclusion")}
        line = json.dumps(record)
        lines.append(line)
        size += len(line) + 1
    return ("\n".join(lines) + "\n").encode()


def fast_import_day(out, mark: int, day: date, files: dict[str, bytes], first: bool) -> None:
    stamp = int(time.mktime(day.timetuple())) + 5400
    message = f"update: {day.isoformat()} arXiv papers".encode()
    out.write(f"commit refs/heads/data\nmark :{mark}\ncommitter generator <bot@example.org> {stamp} +0000\n".encode())
    out.write(f"data {len(message)}\n".encode() + message + b"\n")
    if not first:
        out.write(f"from :{mark - 1}\n".encode())
    for name, data in files.items():
        out.write(f"M 100644 inline {name}\ndata {len(data)}\n".encode() + data + b"\n")
    out.write(b"\n")


def build_upstream(path: Path, days: int, ai_kb: int, raw_kb: int, last_day: date) -> None:
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    for key, value in (("uploadpack.allowFilter", "true"), ("uploadpack.allowAnySHA1InWant", "true")):
        subprocess.run(["git", "--git-dir", str(path), "config", key, value], check=True)
    rng = random.Random(7)
    pool = text_pool(rng, 8_000_000)
    proc = subprocess.Popen(["git", "--git-dir", str(path), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    assert proc.stdin is not None
    code = b"print('the crawler')\n"
    proc.stdin.write(b"commit refs/heads/main\ncommitter generator <bot@example.org> 1700000000 +0000\n"
                     b"data 4\ncode\nM 100644 inline main.py\n" + f"data {len(code)}\n".encode() + code + b"\n\n")
    first_day = last_day - timedelta(days=days - 1)
    for n in range(days):
        day = first_day + timedelta(days=n)
        files = {f"data/{day}.jsonl": day_records(rng, pool, day, raw_kb * 1024, ai=False),
                 f"data/{day}_AI_enhanced_English.jsonl": day_records(rng, pool, day, ai_kb * 1024, ai=True),
                 "assets/file-list.txt": f"{day}.jsonl\n".encode()}
        fast_import_day(proc.stdin, n + 1, day, files, first=n == 0)
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")


def add_one_day(path: Path, day: date, ai_kb: int, raw_kb: int) -> None:
    rng = random.Random(day.toordinal())
    pool = text_pool(rng, 2_000_000)
    tip = subprocess.run(["git", "--git-dir", str(path), "rev-parse", "data"], capture_output=True, text=True,
                         check=True).stdout.strip()
    proc = subprocess.Popen(["git", "--git-dir", str(path), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    assert proc.stdin is not None
    stamp = int(time.mktime(day.timetuple())) + 5400
    message = f"update: {day} arXiv papers".encode()
    proc.stdin.write(f"commit refs/heads/data\ncommitter generator <bot@example.org> {stamp} +0000\n".encode()
                     + f"data {len(message)}\n".encode() + message + f"\nfrom {tip}\n".encode())
    for name, data in ((f"data/{day}.jsonl", day_records(rng, pool, day, raw_kb * 1024, False)),
                       (f"data/{day}_AI_enhanced_English.jsonl", day_records(rng, pool, day, ai_kb * 1024, True))):
        proc.stdin.write(f"M 100644 inline {name}\ndata {len(data)}\n".encode() + data + b"\n")
    proc.stdin.write(b"\n")
    proc.stdin.close()
    proc.wait()


def watcher_latency(folder: Path, rounds: int) -> tuple[list[float], float]:
    """Seconds from an atomically written new digest to the callback; idle CPU seconds/s."""
    arrived = threading.Event()
    seen: dict[Path, float] = {}

    def callback(paths: set[Path]) -> None:
        now = time.perf_counter()
        for p in paths:
            seen.setdefault(p, now)
        arrived.set()

    watcher = LibraryWatcher([folder], callback)
    watcher.start()
    samples = []
    try:
        for n in range(rounds):
            arrived.clear()
            target = folder / "bench" / f"2099-01-{n + 1:02d}.jsonl"
            started = time.perf_counter()
            replace_atomically(target, b'{"id": "9901.00001"}\n')
            deadline = time.monotonic() + 10
            while target not in seen and time.monotonic() < deadline:
                arrived.wait(0.05)
            samples.append(seen.get(target, float("nan")) - started)
        cpu_before = time.process_time()
        time.sleep(3)
        idle = (time.process_time() - cpu_before) / 3
    finally:
        watcher.stop()
    return samples, idle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=420)
    parser.add_argument("--ai-kb", type=int, default=740, help="AI file size per day (upstream averages ~740 KB)")
    parser.add_argument("--raw-kb", type=int, default=560, help="raw crawl size per day")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pull-") as tmp:
        root = Path(tmp)
        upstream = root / "upstream.git"
        yesterday = date.today() - timedelta(days=1)
        started = time.perf_counter()
        build_upstream(upstream, args.days, args.ai_kb, args.raw_kb, yesterday)
        whole = mirror_bytes(upstream)
        text_mb = args.days * (args.ai_kb + args.raw_kb) * 1024 / 1e6
        print(f"upstream: {args.days} days on 'data', {text_mb:.0f} MB of files, {whole / 1e6:.1f} MB of packed objects "
              f"(built in {time.perf_counter() - started:.1f} s)")
        library = root / "library"
        source = Source("bench", upstream.as_uri(), since="30d")
        started = time.perf_counter()
        first = pull_source(source, library)
        seconds = time.perf_counter() - started
        print(f"first pull, --since 30d: {first.bytes_fetched / 1e6:.1f} MB received "
              f"({first.bytes_fetched / whole:.1%} of the repository), {seconds:.2f} s; {first.summary()}")
        add_one_day(upstream, date.today(), args.ai_kb, args.raw_kb)
        started = time.perf_counter()
        second = pull_source(source, library)
        seconds = time.perf_counter() - started
        print(f"incremental one-day pull: {second.bytes_fetched / 1e6:.2f} MB received, {seconds:.2f} s; "
              f"{second.summary()}")
        started = time.perf_counter()
        third = pull_source(source, library)
        print(f"pull with nothing new: {third.bytes_fetched} bytes, {time.perf_counter() - started:.2f} s")
        print(f"mirror after the pulls: {mirror_bytes(library / 'bench' / MIRROR_FOLDER) / 1e6:.1f} MB")
        samples, idle = watcher_latency(library, 7)
        print(f"new file in the library -> watcher callback: {statistics.median(samples) * 1000:.0f} ms median, "
              f"{max(samples) * 1000:.0f} ms worst (debounce 0.5 s max); watcher idle CPU "
              f"{idle * 1000:.2f} ms per second")


if __name__ == "__main__":
    main()
