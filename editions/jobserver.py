"""How many editions a build may render at once: the cores, or what `make -jN` allows.

Run by hand, or by a `make` given no -j, a build uses every core. Under `make -j1` it renders
one edition at a time. Under `make -jN` it takes part in make's jobserver (the recipe must be
marked `+` to receive it): it holds make's one job slot and borrows up to a slot more per core
while the pipe has some free, so that N slots are shared between all the publications make
builds at once. Borrowed slots are given back when the build ends, even when it fails.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

# GNU make 4.4 names a fifo; 4.2 and 4.3 pass two inherited descriptors (older: --jobserver-fds).
AUTH = re.compile(r"--jobserver-(?:auth|fds)=(?:fifo:(?P<fifo>\S+)|(?P<read>\d+),(?P<write>\d+))")


def available_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def job_slots(wanted: int, makeflags: str | None = None) -> Iterator[int]:
    """Yield how many editions to render at once (1 to wanted); return borrowed slots after."""
    flags = os.environ.get("MAKEFLAGS", "") if makeflags is None else makeflags
    auth = AUTH.search(flags)
    if auth is None:
        yield 1 if "-j1" in flags.split() else wanted
        return
    server = _open_jobserver(auth)
    if server is None:
        # make runs other jobs beside this one but did not pass its jobserver on (a recipe
        # not marked '+'): take no more than the one slot this job holds.
        yield 1
        return
    reader, writer = server
    borrowed = b""
    try:
        while len(borrowed) < wanted - 1:
            try:
                token = os.read(reader, 1)
            except BlockingIOError:  # every slot is taken: go on with what we have
                break
            if not token:
                break
            borrowed += token
        yield 1 + len(borrowed)
    finally:
        if borrowed:
            os.write(writer, borrowed)
        os.close(reader)
        os.close(writer)


def _open_jobserver(auth: re.Match[str]) -> tuple[int, int] | None:
    """Private descriptors on make's jobserver, the read end non-blocking; None if not passed.

    The read end is opened anew rather than set non-blocking: make and the other jobs read the
    same pipe, and must keep blocking on it.
    """
    try:
        if auth["fifo"]:
            reader = os.open(auth["fifo"], os.O_RDONLY | os.O_NONBLOCK)
            return reader, os.open(auth["fifo"], os.O_WRONLY)
        reader = os.open(f"/proc/self/fd/{auth['read']}", os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        return reader, os.dup(int(auth["write"]))
    except OSError:
        os.close(reader)
        return None
