"""Pulling a source: fetch only the wanted digest files with git, publish each atomically."""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tui_reader.core.atomic_write import fsync_folder, remove_partials, replace_atomically
from tui_reader.core.sources.git_fetch import (
    GitError,
    GitMissingError,
    GitRepo,
    RemoteHeads,
    blob_sizes,
    fetch_blobs,
    fetch_tip,
    has_object,
    is_ancestor,
    list_remote,
    list_tree,
    mirror_bytes,
    missing_blobs,
    open_mirror,
    read_blobs,
    record_pulled,
)
from tui_reader.core.model import InvalidArxivId, parse_arxiv_id
from tui_reader.core.sources.source import (
    DATA_BRANCH,
    DATA_FOLDER,
    DayFile,
    Source,
    SourceError,
    check_url,
    choose_language,
    classify_day_files,
    empty_window,
    languages_present,
    parse_since,
    select_files,
)

MIRROR_FOLDER = ".tui-reader-git"
"""The source's bare partial clone, inside its library folder (a dot folder: never walked)."""
MANIFEST_FILE = ".tui-reader-source.json"
"""What the last complete pull published: branch, tip and each file's blob id."""
LOCK_FILE = ".tui-reader-pull.lock"
MAX_FILE_BYTES = 16 * 1024 * 1024
"""The largest digest file a pull accepts (the generator's largest real day file is 1.2 MB)."""
MAX_DAY_BYTES = 32 * 1024 * 1024
"""The most one day's files may hold together; a day over it is refused whole."""


class PullError(RuntimeError):
    """A pull that could not be done; the message is one line naming the source."""


@dataclass(slots=True, frozen=True)
class PullProgress:
    """Where a pull of one source is: stage "checking" (asking the remote), "fetching"
    (done/total blobs), "writing" (done/total files) or "done"."""

    source: str
    stage: str
    done: int = 0
    total: int = 0

    def line(self) -> str:
        """One line for a terminal or the reader's header."""
        if self.stage == "checking":
            return f"{self.source}: checking for new days…"
        if self.stage == "fetching":
            return f"{self.source}: fetching {self.total} file{'s' if self.total != 1 else ''}…"
        if self.stage == "writing":
            return f"{self.source}: writing {self.done}/{self.total}"
        return f"{self.source}: done"


ProgressCallback = Callable[[PullProgress], None]


@dataclass(slots=True)
class PullResult:
    """What a pull of one source changed in its library folder."""

    source: str
    branch: str
    new_days: list[str] = field(default_factory=list)
    changed_days: list[str] = field(default_factory=list)
    papers: int = 0
    """Distinct papers in the new and changed files."""
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    rewritten: bool = False
    """The branch was force-pushed or rewritten; the library now matches it."""
    notes: list[str] = field(default_factory=list)
    bytes_fetched: int = 0
    nothing_since: str = ""
    """Why nothing was pulled when `since` admits no day of the repository, else ""."""

    def summary(self, *, count_papers: bool = True) -> str:
        """E.g. "daily-arxiv: 3 new days, 912 papers" (the papers in those days' files,
        without count_papers: the reader counts what is new to the library instead)."""
        parts = []
        if self.new_days:
            parts.append(f"{len(self.new_days)} new day{'s' if len(self.new_days) != 1 else ''}")
        if self.changed_days:
            parts.append(f"{len(self.changed_days)} changed day{'s' if len(self.changed_days) != 1 else ''}")
        if parts and count_papers:
            parts.append(f"{self.papers} paper{'s' if self.papers != 1 else ''}")
        if self.removed:
            parts.append(f"{len(self.removed)} file{'s' if len(self.removed) != 1 else ''} removed")
        text = f"{self.source}: {', '.join(parts) if parts else self.nothing_since or 'up to date'}"
        if self.rewritten:
            text += f" (branch '{self.branch}' was rewritten upstream; the library now matches it)"
        return text

    @property
    def changed_paths(self) -> set[Path]:
        """Every library file this pull wrote or removed."""
        return {*self.written, *self.removed}


@dataclass(slots=True, frozen=True)
class PullFailure:
    """A source that could not be pulled, with its one-line reason."""

    source: str
    message: str

    def summary(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(slots=True)
class _Manifest:
    url: str = ""
    branch: str = ""
    tip: str = ""
    files: dict[str, str] = field(default_factory=dict)
    newest: str = ""
    """The repository's newest day at that pull (whether pulled or not)."""


def _read_manifest(folder: Path) -> _Manifest:
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        files = data.get("files", {})
        if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()):
            return _Manifest(str(data.get("url", "")), str(data.get("branch", "")), str(data.get("tip", "")), files,
                             str(data.get("newest", "")))
    except (OSError, ValueError, AttributeError, RecursionError):
        pass  # none yet, or unreadable: the pull compares with the files on disk instead
    return _Manifest()


def is_foreign_folder(folder: Path) -> bool:
    """True when `folder` holds something no pull wrote that a pull could overwrite: a file
    in its place, or a folder with day files (`YYYY-MM-DD…`) but neither a pull's manifest
    nor its mirror (the person's own digests; other files, notes say, are left alone)."""
    if not os.path.lexists(folder):
        return False
    if folder.is_symlink() or not folder.is_dir():
        return True
    if (folder / MANIFEST_FILE).exists() or (folder / MIRROR_FOLDER).is_dir():
        return False
    with os.scandir(folder) as entries:
        return any(entry.name[:4].isdigit() and entry.name[4:5] == "-" for entry in entries)


def delete_pulled_files(folder: Path) -> list[str]:
    """Delete what pulls of a source wrote in its folder (the files its manifest lists, the
    mirror, the manifest, the lock) and the folder if nothing else is left; the names of
    what stays (files put there by hand are never deleted)."""
    import shutil

    manifest = _read_manifest(folder)
    for name in manifest.files:
        if "/" in name or name.startswith(".") or name != os.path.basename(name):
            continue  # a manifest names day files only; anything else is not deleted
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            pass
    shutil.rmtree(folder / MIRROR_FOLDER, ignore_errors=True)
    remove_partials(folder)
    for name in (MANIFEST_FILE, LOCK_FILE):
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            pass
    left = sorted(entry.name for entry in os.scandir(folder))
    if not left:
        folder.rmdir()
    return left


def _write_manifest(folder: Path, manifest: _Manifest) -> None:
    data = {"url": manifest.url, "branch": manifest.branch, "tip": manifest.tip, "files": manifest.files,
            "newest": manifest.newest}
    replace_atomically(folder / MANIFEST_FILE, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())


@contextmanager
def _pull_lock(folder: Path, name: str) -> Iterator[None]:
    """One pull of a source at a time (a cron pull and the reader's key at once)."""
    try:
        import fcntl
    except ImportError:  # no flock here: pulls are not guarded against each other
        yield
        return
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PullError(f"{name}: another pull of this source is running") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock; a killed pull's lock dies with it


def _find_layout(repo: GitRepo, heads: RemoteHeads, source: Source, manifest: _Manifest) -> tuple[str, str, list[DayFile]]:
    """The branch holding the digests, its fetched tip and its day files."""
    if source.branch:
        if source.branch not in heads.branches:
            have = ", ".join(sorted(heads.branches)[:8]) or "none"
            raise PullError(f"{source.name}: {source.url} has no branch '{source.branch}' (branches: {have})")
        candidates = [source.branch]
    else:
        # A server that does not say which branch HEAD is: the usual names, if they exist.
        fallback = [b for b in ("main", "master") if b in heads.branches] if heads.default_branch is None else []
        candidates = [b for b in (DATA_BRANCH if DATA_BRANCH in heads.branches else None, heads.default_branch,
                                  *fallback) if b is not None]
        candidates = list(dict.fromkeys(candidates))
    for branch in candidates:
        tip = fetch_tip(repo, branch, manifest.tip if manifest.branch == branch else None)
        files = classify_day_files([(Path(f.path).name, f.blob) for f in list_tree(repo, tip, DATA_FOLDER)])
        if files:
            return branch, tip, files
    default = f"its default branch '{heads.default_branch}'" if heads.default_branch else "its default branch"
    raise PullError(f"{source.name}: {source.url} is not a daily-arXiv-ai-enhanced repository "
                    f"(looked for a '{DATA_BRANCH}' branch and for {DATA_FOLDER}/YYYY-MM-DD*.jsonl or .md on {default})")


def _over_the_limits(repo: GitRepo, files: list[DayFile], name: str, notes: list[str]) -> set[str]:
    """The names of the files a pull refuses: each over MAX_FILE_BYTES, and every file of a
    day whose files together are over MAX_DAY_BYTES; one note each (one per day)."""
    sizes = blob_sizes(repo, sorted({f.blob for f in files}))
    refused: set[str] = set()
    per_day: dict[str, int] = {}
    for day_file in files:
        size = sizes.get(day_file.blob, 0)
        if size > MAX_FILE_BYTES:
            refused.add(day_file.name)
            notes.append(f"{name}: {_printable(day_file.name)} is {size / 2**20:.1f} MB, over the "
                         f"{MAX_FILE_BYTES / 2**20:g} MB limit per file; not pulled")
        else:
            per_day[day_file.day] = per_day.get(day_file.day, 0) + size
    for day, total in sorted(per_day.items()):
        if total > MAX_DAY_BYTES:
            refused.update(f.name for f in files if f.day == day)
            notes.append(f"{name}: the files of {day} hold {total / 2**20:.1f} MB, over the "
                         f"{MAX_DAY_BYTES / 2**20:g} MB limit per day; not pulled")
    return refused


def _printable(text: str) -> str:
    return text.encode("unicode_escape").decode("ascii")[:120]


def _count_papers(name: str, data: bytes, ids: set[str]) -> None:
    """Add the arXiv ids of one pulled file to `ids` (for the summary only)."""
    if name.endswith(".jsonl"):
        for line in data.splitlines():
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                try:
                    ids.add(parse_arxiv_id(record["id"])[0])
                except InvalidArxivId:
                    continue
        return
    from tui_reader.core.formats import parse_digest

    try:
        digest = parse_digest(data.decode("utf-8", "replace"), name, name[:10])
    except Exception:  # noqa: BLE001 - a count for a summary is never worth a failed pull
        return
    ids.update(p.id for p in digest.papers)


def pull_source(source: Source, library_dir: Path, progress: ProgressCallback | None = None,
                today: date | None = None) -> PullResult:
    """Bring the source's library folder up to date with its remote; PullError (one line)
    when it cannot. Each file appears whole (temporary file, fsync, rename); a pull killed
    at any moment leaves every visible file as before or after, and the next pull finishes
    the work (it compares the remote with the last complete pull's manifest)."""
    def tell(stage: str, done: int = 0, total: int = 0) -> None:
        if progress is not None:
            progress(PullProgress(source.name, stage, done, total))

    folder = library_dir / source.name
    try:
        first_day = parse_since(source.since, today) if source.since else None
        check_url(source.url)  # a hand-written config.toml is not checked by `source add`
        if is_foreign_folder(folder):
            raise PullError(f"{source.name}: {folder} holds day files no pull wrote; they are "
                            "not touched (give the source a name of its own)")
        folder.mkdir(parents=True, exist_ok=True)
        with _pull_lock(folder, source.name):
            remove_partials(folder)
            return _pull_locked(source, folder, first_day, tell)
    except GitMissingError:
        raise
    except (GitError, SourceError) as err:
        raise PullError(f"{source.name}: {err}") from None
    except OSError as err:
        raise PullError(f"{source.name}: {err.filename or folder}: {err.strerror or err}") from None


def _pull_locked(source: Source, folder: Path, first_day: date | None,
                 tell: Callable[..., None]) -> PullResult:
    manifest = _read_manifest(folder)
    tell("checking")
    mirror = folder / MIRROR_FOLDER
    repo = open_mirror(mirror, source.url)
    bytes_before = mirror_bytes(mirror)
    try:
        heads = list_remote(repo)
    except GitError as err:
        raise PullError(f"{source.name}: cannot reach {source.url}: {err}") from None
    branch, tip, files = _find_layout(repo, heads, source, manifest)
    result = PullResult(source.name, branch)
    if manifest.branch and manifest.branch != branch:
        result.notes.append(f"{source.name}: now reading branch '{branch}' (was '{manifest.branch}')")
    old_tip = manifest.tip if manifest.branch == branch else ""
    language = choose_language(files, source.language)
    if source.language is not None and language is None:
        present = ", ".join(repr(lang) for lang in languages_present(files)) or "none"
        result.notes.append(f"{source.name}: no AI files in language {source.language!r} "
                            f"(the repository has: {present}); pulling the raw files")
    selected = select_files(files, language, first_day, set(manifest.files))
    newest = max(f.day for f in files)
    if not selected and source.since:
        why, suggested = empty_window(source.since, newest)
        result.nothing_since = f"nothing pulled: {why}: set since = \"{suggested}\" for it in config.toml?"
    wanted = {f.name: f.blob for f in selected}
    to_write = [f for f in selected if manifest.files.get(f.name) != f.blob or not (folder / f.name).is_file()]
    to_remove = sorted(name for name in manifest.files if name not in wanted)
    if manifest.branch and manifest.branch != branch:
        # A new branch (the generator's move to `data`) need not hold the old days: they
        # still exist on the old one, so they stay (and stay listed, for --delete-files).
        kept = {name: manifest.files[name] for name in to_remove if (folder / name).is_file()}
        wanted.update(kept)
        to_remove = [name for name in to_remove if name not in kept]
    # A file of the last pull that changed or vanished upstream, or a tip that is no longer
    # in the branch's history, means the branch was rewritten (force-pushed).
    changed_known = [f for f in to_write if f.name in manifest.files and manifest.files[f.name] != f.blob]
    gone_upstream = [n for n in to_remove if n not in {f.name for f in files}]
    if old_tip and old_tip != tip:
        if has_object(repo, old_tip):
            result.rewritten = not is_ancestor(repo, old_tip, tip)
        result.rewritten = result.rewritten or bool(changed_known or gone_upstream)

    need = missing_blobs(repo, tip) & {f.blob for f in to_write}
    tell("fetching", 0, len(need))
    fetch_blobs(repo, sorted(need))
    result.bytes_fetched = mirror_bytes(mirror) - bytes_before
    refused = _over_the_limits(repo, selected, source.name, result.notes)
    if refused:
        to_write = [f for f in to_write if f.name not in refused]
        wanted = {name: blob for name, blob in wanted.items() if name not in refused}

    ids: set[str] = set()
    known_days = {n[:10] for n in manifest.files if (folder / n).is_file()}
    new_days: set[str] = set()
    changed_days: set[str] = set()
    tell("writing", 0, len(to_write))
    for done, (day_file, (_sha, data)) in enumerate(zip(to_write, read_blobs(repo, [f.blob for f in to_write])), 1):
        target = folder / day_file.name
        replace_atomically(target, data)
        result.written.append(target)
        (changed_days if day_file.day in known_days else new_days).add(day_file.day)
        _count_papers(day_file.name, data, ids)
        tell("writing", done, len(to_write))
    for name in to_remove:
        target = folder / name
        try:
            target.unlink()
            result.removed.append(target)
        except FileNotFoundError:
            pass
    fsync_folder(folder)
    record_pulled(repo, tip)
    _write_manifest(folder, _Manifest(source.url, branch, tip, wanted, newest))
    result.new_days = sorted(new_days)
    result.changed_days = sorted(changed_days)
    result.papers = len(ids)
    tell("done", len(to_write), len(to_write))
    return result


def pull_sources(sources: list[Source], library_dir: Path,
                 progress: ProgressCallback | None = None) -> list[PullResult | PullFailure]:
    """Pull each source in turn; a failed one becomes a PullFailure and the others still
    pull. A missing git fails every source with the same line."""
    outcomes: list[PullResult | PullFailure] = []
    for source in sources:
        try:
            outcomes.append(pull_source(source, library_dir, progress))
        except (PullError, GitError) as err:
            message = str(err)
            prefix = f"{source.name}: "
            outcomes.append(PullFailure(source.name, message[len(prefix):] if message.startswith(prefix) else message))
        except Exception as err:  # noqa: BLE001 - one source's fault never stops the others
            detail = " ".join(str(err).split())[:200]
            outcomes.append(PullFailure(source.name, f"pull failed ({type(err).__name__}"
                                                     f"{': ' + detail if detail else ''})"))
    return outcomes


@dataclass(slots=True, frozen=True)
class SourceLayout:
    """What a source's remote holds, found without fetching any file."""

    branch: str
    languages: list[str]
    days: int
    first_day: str
    last_day: str
    every_file_bytes: int = 0
    """When the remote ignored the partial-clone filter (a plain bare clone over file://),
    the bytes of the whole history it sent; 0 when it sent commits and trees only."""


def probe_source(source: Source, library_dir: Path) -> SourceLayout:
    """Find the source's layout (commits and trees only); PullError when the repository is
    not a generator's or cannot be reached. The mirror it fetches is kept for the first
    pull; a folder this call created is removed again when the source is refused."""
    folder = library_dir / source.name
    if is_foreign_folder(folder):
        raise PullError(f"{source.name}: {folder} holds day files no pull wrote; choose "
                        "another name with --name")
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _pull_lock(folder, source.name):
            repo = open_mirror(folder / MIRROR_FOLDER, source.url)
            try:
                heads = list_remote(repo)
            except GitError as err:
                raise PullError(f"{source.name}: cannot reach {source.url}: {err}") from None
            branch, tip, files = _find_layout(repo, heads, source, _read_manifest(folder))
            # git warns "filtering not recognized by server, ignoring" and takes every file.
            unfiltered = mirror_bytes(folder / MIRROR_FOLDER) if not missing_blobs(repo, tip) else 0
    except BaseException as err:
        if created:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(err, GitError) and not isinstance(err, GitMissingError):
            raise PullError(f"{source.name}: {err}") from None
        if isinstance(err, OSError):
            raise PullError(f"{source.name}: {err.filename or folder}: {err.strerror or err}") from None
        raise
    days = sorted({f.day for f in files})
    return SourceLayout(branch, languages_present(files), len(days), days[0], days[-1], unfiltered)


def nothing_pulled_since(library_dir: Path, source: Source) -> str | None:
    """Why the last complete pull of a source with `since` took no day (that no day of the
    repository is recent enough, and the `since` that would take its newest), else None."""
    manifest = _read_manifest(library_dir / source.name)
    if manifest.files or not manifest.newest or not source.since:
        return None
    try:
        why, suggested = empty_window(source.since, manifest.newest)
    except (SourceError, ValueError):
        return None
    return f"{why}: set since = \"{suggested}\" for it in config.toml?"


def sources_pulled_empty(library_dir: Path) -> list[tuple[str, str]]:
    """(source folder, its repository's newest day) for each source whose last complete
    pull took no day (its `since` is after that day): why a library can stay empty."""
    found = []
    try:
        folders = sorted(entry for entry in library_dir.iterdir() if (entry / MANIFEST_FILE).is_file())
    except OSError:
        return []
    for folder in folders:
        manifest = _read_manifest(folder)
        if not manifest.files and manifest.newest:
            found.append((folder.name, manifest.newest))
    return found


def pulled_days(library_dir: Path, name: str) -> list[str]:
    """The days the last complete pull of a source published, oldest first."""
    manifest = _read_manifest(library_dir / name)
    return sorted({n[:10] for n in manifest.files})
