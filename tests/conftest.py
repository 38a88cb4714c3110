"""Shared fixtures: paths to the project's own fixtures and the optional shared sample."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
FLOWS = Path(__file__).parent / "flows"
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "digests" / "2025-12-25.md"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests under tests/flows drive the reader through a real terminal (or a browser) with
    real pauses: marked `pty`, so `-m "not pty"` is the fast subset."""
    for item in items:
        if FLOWS in item.path.parents:
            item.add_marker(pytest.mark.pty)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def sample_digest() -> Path:
    """The real digest shared beside the repository; tests using it skip when absent."""
    if not SAMPLE.is_file():
        pytest.skip("../shared/digests/2025-12-25.md is not present")
    return SAMPLE


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private TUI_READER_HOME so no test touches the user's real state."""
    root = tmp_path / "home"
    root.mkdir()
    monkeypatch.setenv("TUI_READER_HOME", str(root))
    return root
