"""Running the `git` program for pulls: no prompts, one-line errors, partial fetches."""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tui_reader.core.sources.git_process import git_process, run_git

GIT_TIMEOUT_SECONDS = 600
"""A fetch that has not ended in ten minutes is stuck (a dead network), not slow."""


class GitError(RuntimeError):
    """A git command that failed; the message is one line fit for a person."""


class GitMissingError(GitError):
    """The git program is not installed or not on PATH."""


def git_environment() -> dict[str, str]:
    """The environment for every git call: never a hidden prompt for a password or a key
    passphrase (a pull in a worker or from cron has nobody to answer it), and messages in
    English so that they can be recognised."""
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    # BatchMode: ssh fails instead of asking for a password or a key's passphrase. A
    # person's own GIT_SSH_COMMAND (a key chosen with -i) is kept, with the options added.
    env["GIT_SSH_COMMAND"] = f"{env.get('GIT_SSH_COMMAND') or 'ssh'} -o BatchMode=yes -o ConnectTimeout=20"
    env["GIT_ASKPASS"] = "true"  # an askpass helper that answers nothing: fail, never ask
    env["SSH_ASKPASS"] = "true"
    env["LC_ALL"] = "C"
    # Only the transports a digest repository is served over: `fd::` would wait for ever on
    # a descriptor nobody writes, `ext::` runs a command (git blocks that one already).
    env["GIT_ALLOW_PROTOCOL"] = "file:git:http:https:ssh"
    env.pop("GIT_DIR", None)  # a pull started from inside another repository's hook
    env.pop("GIT_WORK_TREE", None)
    return env


def find_git() -> str:
    """The path of the git program; GitMissingError with what to do when there is none."""
    git = shutil.which("git")
    if git is None:
        raise GitMissingError("git is not installed or not on PATH: install git to pull digests "
                              "(e.g. 'apt install git' or 'brew install git')")
    return git


_GENERIC_ENDINGS = ("Could not read from remote repository.", "Please make sure you have the correct access rights",
                    "and the repository exists.")


def _last_line(text: str, command: str, status: int) -> str:
    """The line of git's error output that says what went wrong: its last fatal/error line,
    or, when that is the generic "could not read from remote", the cause before it (ssh's
    "Permission denied (publickey)", "does not appear to be a git repository"); when git
    said nothing, the command and its exit status."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("hint:")]
    lines = [line.split(":", 1)[1].strip() if line.startswith(("fatal:", "error:")) else line for line in lines]
    specific = [line for line in lines if not line.startswith(_GENERIC_ENDINGS)]
    if specific:
        return specific[-1]
    return lines[-1] if lines else f"git {command} failed (exit status {status}) without saying why"


@dataclass(slots=True)
class GitRepo:
    """A bare mirror repository that git commands run in."""

    path: Path
    git: str

    def run(self, *args: str, input_bytes: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        """Run `git ARGS` in the mirror; GitError (one line) when it fails and check is set."""
        try:
            done = run_git([self.git, "--git-dir", str(self.path), *args], input_bytes=input_bytes,
                           timeout=GIT_TIMEOUT_SECONDS, env=git_environment())
        except FileNotFoundError:
            raise GitMissingError("git is not installed or not on PATH: install git to pull digests") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} took more than {GIT_TIMEOUT_SECONDS} s; gave up") from None
        if check and done.returncode != 0:
            command = next((arg for arg in args if not arg.startswith("-") and "=" not in arg), "")
            raise GitError(_last_line(done.stderr.decode("utf-8", "replace"), command, done.returncode))
        return done

    def text(self, *args: str) -> str:
        """The standard output of a git command, as text."""
        return self.run(*args).stdout.decode("utf-8", "replace")


def open_mirror(path: Path, url: str) -> GitRepo:
    """The bare mirror at `path` with `url` as its promisor remote, created when absent.

    A mirror is created under a temporary name and renamed, so a pull killed while creating
    it leaves no half repository behind; git's own lock files left by a killed fetch are
    removed (the caller holds the source's pull lock, so no live git owns them)."""
    git = find_git()
    if not (path / "HEAD").is_file():
        if path.exists():
            shutil.rmtree(path)
        fresh = path.with_name(path.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        GitRepo(fresh, git).run("init", "--quiet", "--bare", str(fresh))
        fresh.rename(path)
    repo = GitRepo(path, git)
    remove_stale_locks(path)
    remotes = repo.text("remote").split()
    if "origin" in remotes:
        repo.run("remote", "set-url", "origin", url)
    else:
        repo.run("remote", "add", "origin", url)
    # Blobs come only when asked for: a fetch brings commits and trees, then the few digest
    # files wanted are fetched by id (git's partial clone, which GitHub serves).
    repo.run("config", "remote.origin.promisor", "true")
    repo.run("config", "remote.origin.partialclonefilter", "blob:none")
    repo.run("config", "gc.auto", "0")  # no background repack racing the next pull
    return repo


def remove_stale_locks(path: Path) -> None:
    """Delete the *.lock files a killed git left in the mirror (shallow.lock, ref locks) and
    the half-received packs of a fetch cut off (objects/pack/tmp_pack_*)."""
    for lock in [*path.glob("*.lock"), *path.glob("refs/**/*.lock"), *path.glob("objects/**/*.lock"),
                 *path.glob("objects/pack/tmp_*")]:
        try:
            lock.unlink()
        except OSError:
            pass


@dataclass(slots=True, frozen=True)
class RemoteHeads:
    """The branches a remote has and the one its HEAD points at."""

    branches: dict[str, str]
    default_branch: str | None


def list_remote(repo: GitRepo) -> RemoteHeads:
    """The remote's branches (name to commit) and default branch, without fetching."""
    out = repo.text("ls-remote", "--symref", "origin", "HEAD", "refs/heads/*")
    branches: dict[str, str] = {}
    default: str | None = None
    for line in out.splitlines():
        if line.startswith("ref: "):
            target, _, name = line[5:].partition("\t")
            if name == "HEAD" and target.startswith("refs/heads/"):
                default = target[len("refs/heads/"):]
            continue
        sha, _, ref = line.partition("\t")
        if ref.startswith("refs/heads/"):
            branches[ref[len("refs/heads/"):]] = sha
    return RemoteHeads(branches, default)


def fetch_tip(repo: GitRepo, branch: str, since_commit: str | None) -> str:
    """Fetch the branch's commits and trees (no blobs) into refs/heads/BRANCH; its tip.

    Without a previous tip only the last commit comes (its tree lists every day). With one,
    the commits since that tip's date come too, so that whether the tip is still in the
    branch's history (a force-push) can be told, at the cost of a few commits and trees."""
    refspec = f"+refs/heads/{branch}:refs/heads/{branch}"
    common = ("fetch", "--quiet", "--no-tags", "--filter=blob:none", "origin", refspec)
    if since_commit and has_object(repo, since_commit):
        stamp = repo.text("show", "-s", "--format=%ct", since_commit).strip()
        if stamp.isdigit():
            done = repo.run(*common[:-2], f"--shallow-since={int(stamp) - 1}", *common[-2:], check=False)
            if done.returncode == 0:
                return rev_parse(repo, f"refs/heads/{branch}")
            # No commit since then (the remote went back in time): its last commit will do.
    repo.run(*common[:-2], "--depth=1", *common[-2:])
    # The whole ref name: a branch called `-x`, `@` or forty hex digits is no option,
    # no revision and no commit id to git.
    return rev_parse(repo, f"refs/heads/{branch}")


def rev_parse(repo: GitRepo, rev: str) -> str:
    """The commit id of a revision."""
    return repo.text("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()


PULLED_REF = "refs/tui-reader/pulled"
"""The tip the last complete pull published, kept as a ref so the mirror holds it."""


def has_object(repo: GitRepo, sha: str) -> bool:
    """True when `sha` is the commit the last pull recorded in this mirror. (Asking git
    about any other id could make a partial clone fetch it, and its whole history.)"""
    done = repo.run("for-each-ref", "--format=%(objectname)", PULLED_REF, check=False)
    return done.returncode == 0 and bool(sha) and sha in done.stdout.decode().split()


def record_pulled(repo: GitRepo, sha: str) -> None:
    """Remember `sha` as the published tip (see has_object)."""
    repo.run("update-ref", PULLED_REF, sha)


def is_ancestor(repo: GitRepo, older: str, newer: str) -> bool:
    """True when `older` is in the history of `newer` as far as the mirror knows it."""
    return repo.run("merge-base", "--is-ancestor", older, newer, check=False).returncode == 0


@dataclass(slots=True, frozen=True)
class TreeFile:
    """One file of a commit's tree: its path and its blob's id."""

    path: str
    blob: str


def list_tree(repo: GitRepo, commit: str, folder: str) -> list[TreeFile]:
    """The files directly in `folder` of a commit (trees only: no blob is fetched)."""
    out = repo.run("ls-tree", "-z", commit, "--", folder.rstrip("/") + "/").stdout
    files = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        if kind == "blob" and mode in ("100644", "100755"):
            files.append(TreeFile(path.decode("utf-8", "replace"), sha))
    return files


def missing_blobs(repo: GitRepo, commit: str) -> set[str]:
    """The blobs of a commit's tree that the mirror has not fetched yet (asks no remote)."""
    out = repo.text("rev-list", "--objects", "--no-walk", "--missing=print", commit)
    return {line[1:].strip() for line in out.splitlines() if line.startswith("?")}


def fetch_blobs(repo: GitRepo, blobs: list[str]) -> None:
    """Fetch the given blobs by id in one request (what git's own lazy fetch does)."""
    if not blobs:
        return
    repo.run("-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet", "--no-tags",
             "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin", "origin",
             input_bytes=("\n".join(blobs) + "\n").encode())


def blob_sizes(repo: GitRepo, blobs: list[str]) -> dict[str, int]:
    """The size in bytes of each blob already in the mirror (one `cat-file --batch-check`),
    so a pull can refuse a huge file before reading it."""
    if not blobs:
        return {}
    done = run_git([repo.git, "--git-dir", str(repo.path), "cat-file", "--batch-check"],
                   input_bytes="".join(f"{sha}\n" for sha in blobs).encode(), env=git_environment(),
                   timeout=GIT_TIMEOUT_SECONDS)
    sizes = {}
    for line in done.stdout.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


def read_blobs(repo: GitRepo, blobs: list[str]) -> Iterator[tuple[str, bytes]]:
    """Yield (blob id, contents) for each blob, read in one `git cat-file --batch`."""
    if not blobs:
        return
    with git_process([repo.git, "--git-dir", str(repo.path), "cat-file", "--batch"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=git_environment()) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        for sha in blobs:
            proc.stdin.write(sha.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if len(header) != 3:
                raise GitError(f"blob {sha[:12]} is missing from the mirror")
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after each object
            yield sha, data
        proc.stdin.close()  # cat-file ends at the end of its input
        proc.wait()


def mirror_bytes(path: Path) -> int:
    """Bytes the mirror's objects take on disk (what its fetches received, compressed)."""
    total = 0
    for dirpath, _dirs, files in os.walk(path / "objects"):
        for name in files:
            try:
                total += os.stat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total
