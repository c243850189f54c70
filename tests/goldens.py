"""Golden files: a readable, normalised form of each edition, reviewed like code."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

GOLDENS = Path(__file__).parent / "goldens"
ACTUAL = Path(__file__).parent.parent / "build" / "test-actual"


def assert_golden(name: str, actual: str, update: bool) -> None:
    """Compare actual with tests/goldens/<name>; `make goldens` rewrites it."""
    golden = GOLDENS / name
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    if not golden.exists():
        pytest.fail(f"no golden file {golden}; create it with `make goldens` and review it")
    expected = golden.read_text(encoding="utf-8")
    if actual == expected:
        return
    kept = ACTUAL / name
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(actual, encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"tests/goldens/{name}",
            tofile=str(kept),
            n=2,
        )
    )
    lines = diff.splitlines()
    shown = "\n".join(lines[:200])
    if len(lines) > 200:
        shown += f"\n... {len(lines) - 200} more lines"
    pytest.fail(f"{name} differs from its golden (actual kept at {kept}):\n{shown}", pytrace=False)


def assert_goldens(folder: str, parts: dict[str, str], update: bool) -> None:
    """Compare each part with tests/goldens/<folder>/<part>; a golden no part has any more
    (a page fewer) fails too. `make goldens` rewrites the folder."""
    golden_folder = GOLDENS / folder
    if update:
        for stale in golden_folder.glob("*"):
            if stale.name not in parts:
                stale.unlink()
    for name, text in parts.items():
        assert_golden(f"{folder}/{name}", text, update)
    left = sorted(p.name for p in golden_folder.glob("*") if p.name not in parts)
    if left:
        pytest.fail(f"goldens with no part any more in {golden_folder}: {', '.join(left)}")
