#!/usr/bin/env python3
"""One timed run of the bench (scripts/bench.py), in a fresh process: runs a shell script and
prints, as JSON, its seconds and the largest resident set of any process of its tree.

    timed_run.py SCRIPT FOLDER

The standard library only: this process stays small, and the runs are its children alone.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

PR_SET_CHILD_SUBREAPER = 36


def timed_run(script: str, folder: str) -> dict[str, Any]:
    # Orphans (a daemon a run leaves behind) are re-parented here, waited for and counted.
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    started = time.perf_counter()
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    reap_orphans()
    # ru_maxrss of the children: the largest of them (Linux counts it in KiB).
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    tail = " | ".join(done.stderr.strip().splitlines()[-3:])
    error = None if done.returncode == 0 else f"exited {done.returncode}: {tail}"
    return {"seconds": seconds, "peak_mib": peak_mib, "ok": error is None, "error": error}


def reap_orphans(seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                time.sleep(0.01)
        except ChildProcessError:
            return


if __name__ == "__main__":
    print(json.dumps(timed_run(sys.argv[1], sys.argv[2])))
