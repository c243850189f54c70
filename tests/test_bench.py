"""The bench's targets (scripts/bench.py, TARGETS) judge made-up results: nothing is timed."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

import pytest

from editions.paths import PROJECT


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", PROJECT / "scripts" / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def variant(seconds: float, peak_mib: float = 100, ok: bool = True) -> dict[str, Any]:
    return {"ok": ok, "seconds": seconds, "peak_mib": peak_mib, "max_peak_mib": peak_mib}


def results(**parts: Any) -> dict[str, Any]:
    """Made-up results: everything passes but what parts change."""
    edited = [f"build/small-07/small-07.{suffix}" for suffix in ("html", "pdf", "docx", "epub")]
    made_up: dict[str, Any] = {
        "cases": {
            "flagship": {"hand": variant(2.0), "floor": variant(1.4), "ours": variant(1.4)},
            "10×": {"hand": variant(8.0), "floor": variant(6.0), "ours": variant(6.0)},
            "100×": {"hand": variant(80.0), "floor": variant(60.0), "ours": variant(60.0, 500)},
        },
        "make": {
            "j1_seconds": 30.0,
            "j2_seconds": 16.0,
            "edit_seconds": 1.2,
            "noop_seconds": 0.02,
            "rebuilt_after_edit": edited,
            "edited": edited,
        },
        "serve": {"html": {"seconds": 0.2}, "pdf": {"seconds": 0.9}},
    }
    made_up.update(parts)
    return made_up


def states(bench: ModuleType, made_up: dict[str, Any]) -> dict[str, str]:
    verdicts = bench.check(bench.measures(made_up))
    return {target.name: state for target, (state, _) in zip(bench.TARGETS, verdicts, strict=True)}


def test_results_within_every_target_pass_them_all(bench: ModuleType):
    assert set(states(bench, results()).values()) == {"PASS"}


def test_each_target_fails_alone_when_its_measure_is_over_the_limit(bench: ModuleType):
    edited = results()["make"]["edited"]
    slow = results(
        cases={
            "flagship": {"hand": variant(1.0), "floor": variant(1.0), "ours": variant(1.2)},
            "10×": {"hand": variant(8.0), "floor": variant(6.0), "ours": variant(6.0)},
            "100×": {"hand": variant(50.0), "floor": variant(60.0), "ours": variant(70.0, 900)},
        },
        make={
            **results()["make"],
            "j2_seconds": 25.0,
            "noop_seconds": 0.5,
            "rebuilt_after_edit": [*edited, "build/small-08/small-08.html"],
        },
        serve={"html": {"seconds": 0.4}, "pdf": {"seconds": 0.9}},
    )
    assert set(states(bench, slow).values()) == {"FAIL"}


def test_a_failed_run_fails_its_targets_and_a_part_not_run_is_skipped(bench: ModuleType):
    quick = results(make=None, serve=None)
    del quick["cases"]["100×"]
    quick["cases"]["flagship"]["floor"] = variant(1.4, ok=False)
    verdicts = bench.check(bench.measures(quick))
    found = {target.name: verdict for target, verdict in zip(bench.TARGETS, verdicts, strict=True)}
    assert found["flagship, cold, ours / hand"][0] == "PASS"
    state, line = found["flagship, cold, ours / floor"]
    assert state == "FAIL" and "a run failed" in line
    skipped = [name for name, (state, _) in found.items() if state == "SKIP"]
    assert len(skipped) == len(bench.TARGETS) - 2


def test_a_verdict_line_names_the_value_and_the_limit(bench: ModuleType):
    verdicts = bench.check({"make no-op s": 0.015})
    assert "PASS  make all with nothing changed: 0.015 s (target ≤ 0.300 s)" in [
        line for _, line in verdicts
    ]
