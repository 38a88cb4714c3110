"""Real git repositories shaped like daily-arXiv-ai-enhanced's, built in a test's tmp folder."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path


def paper(paper_id: str, title: str, category: str = "cs.CL") -> dict:
    """A raw entry in the generator's crawl shape."""
    return {
        "id": paper_id, "categories": [category], "pdf": f"https://arxiv.org/pdf/{paper_id}",
        "abs": f"https://arxiv.org/abs/{paper_id}", "authors": ["Ada Example", "Bo Sample"],
        "title": title, "comment": None,
        "summary": f"We study {title.lower()} with a small method and report what it does.",
    }


def enhanced(entry: dict) -> dict:
    """The same entry with the AI summary the enhanced files add."""
    return {**entry, "AI": {"tldr": f"TLDR of {entry['title']}.", "motivation": "Why it matters.",
                            "method": "How it was done.", "result": "What came out.",
                            "conclusion": "What it means."}}


def jsonl(entries: list[dict]) -> str:
    return "".join(json.dumps(e) + "\n" for e in entries)


def markdown(entries: list[dict]) -> str:
    """A Markdown digest in the generator's current template (one category)."""
    out = ["<div id=toc></div>\n\n# Table of Contents\n\n",
           f"- [cs.CL](#cs.CL) [Total: {len(entries)}]\n\n\n<div id='cs.CL'></div>\n\n# cs.CL [[Back]](#toc)\n\n"]
    for n, e in enumerate(entries, 1):
        out.append(f"### [{n}] [{e['title']}](https://arxiv.org/abs/{e['id']})\n*{', '.join(e['authors'])}*\n\n"
                   f"Main category: cs.CL\n\nTL;DR: TLDR of {e['title']}.\n\n\n<details>\n  <summary>Details</summary>\n"
                   f"Motivation: Why.\n\nMethod: How.\n\nResult: What.\n\nConclusion: So.\n\n"
                   f"Abstract: {e['summary']}\n\n</details>\n\n\n")
    return "".join(out)


def day_papers(day: str, count: int, start: int = 1) -> list[dict]:
    """`count` distinct papers for a day, ids made from the day so days never collide."""
    stem = day[2:4] + day[5:7]
    base = int(day[8:10]) * 1000
    return [paper(f"{stem}.{base + n:05d}", f"Paper {n} of {day}") for n in range(start, start + count)]


class GeneratorRepo:
    """A non-bare repository a test commits days to, fetched through its file:// URL."""

    def __init__(self, path: Path, *, layout: str = "data-branch", default_branch: str = "main") -> None:
        self.path = path
        self.layout = layout
        self.clock = 1_735_700_000  # commit times go forward one day per commit
        path.mkdir(parents=True)
        self.git("init", "-q", "-b", default_branch)
        self.git("config", "user.email", "bot@example.org")
        self.git("config", "user.name", "generator")
        # What GitHub serves: partial clone filters and fetching a blob by its id.
        self.git("config", "uploadpack.allowFilter", "true")
        self.git("config", "uploadpack.allowAnySHA1InWant", "true")
        (path / "README.md").write_text("# daily arXiv\n")
        (path / "main.py").write_text("print('the crawler')\n")
        self.commit("initial code")
        if layout == "data-branch":
            self.git("checkout", "-q", "--orphan", "data")
            self.git("rm", "-rq", "--cached", ".")
            for name in ("README.md", "main.py"):
                (path / name).unlink()

    @property
    def url(self) -> str:
        return self.path.resolve().as_uri()

    def git(self, *args: str) -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": f"@{self.clock} +0000", "GIT_COMMITTER_DATE": f"@{self.clock} +0000"}
        return subprocess.run(["git", *args], cwd=self.path, check=True, capture_output=True, text=True,
                              env=env).stdout

    def commit(self, message: str) -> str:
        self.clock += 86400
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def write(self, name: str, text: str) -> None:
        target = self.path / "data" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def add_day(self, day: str, papers: list[dict], *, language: str | None = "English",
                raw: bool = True, md: bool = False, ai_drops: int = 0) -> str:
        """Commit one day as the generator does: the raw crawl, the AI file (which leaves
        out `ai_drops` filtered papers) and optionally the Markdown, in one commit."""
        if raw:
            self.write(f"{day}.jsonl", jsonl(papers))
        if language is not None:
            kept = papers[ai_drops:]
            self.write(f"{day}_AI_enhanced_{language}.jsonl", jsonl([enhanced(e) for e in kept]))
        if md:
            self.write(f"{day}.md", markdown(papers))
        # Since the move to the data branch this lists only the latest day: never relied on.
        (self.path / "assets").mkdir(exist_ok=True)
        (self.path / "assets" / "file-list.txt").write_text(f"{day}.jsonl\n")
        return self.commit(f"update: {day} arXiv papers")


def needs_git():
    """A pytest mark that skips a module's tests where git is not installed."""
    import pytest

    return pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                              reason="git is not installed")


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """The command line in this process: its exit code, standard output and standard error."""
    from tui_reader.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err

