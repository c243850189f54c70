"""SIGINT, SIGTERM and SIGHUP end the program at once, leaving nothing behind.

The first of them raises Interrupted in the main thread, wherever it is (in WeasyPrint's
layout, waiting on a worker): the build unwinds, ends its workers and removes its temporary
files; the exit status is 128 + the signal's number. Later signals are ignored, so that they
cannot cut that cleanup short. What must not be cut in two (renaming a publication's editions
into place, making and registering a temporary file) runs in held(): a signal arriving within
is raised at its end.

Standard library only: installed first thing, before the imports (see __main__.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """A stopping signal arrived; code is the exit status a shell expects (130, 143, 129)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.code = 128 + signum


class _State:
    pid = 0  # the process the handlers were installed in: a forked child is not it
    arrived: int | None = None  # the first stopping signal
    deferred = False  # it arrived within held() and is raised at its end
    holding = 0


_state = _State()


def stop_on_signals() -> None:
    """Install the handlers (in the main thread of the main process)."""
    _state.pid = os.getpid()
    for signum in STOPPING:
        signal.signal(signum, _on_signal)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _state.pid:
        # A worker just forked, before its own handlers are in place: it has made nothing.
        os._exit(128 + signum)
    stop(signum)


def stop(signum: int) -> None:
    """Raise Interrupted for the first stopping signal, now or at the end of held()."""
    if _state.arrived is not None:
        return
    _state.arrived = signum
    if _state.holding:
        _state.deferred = True
        return
    raise Interrupted(signum)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Run the block whole: a stopping signal arriving within is raised once it has ended."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are handled in the main thread only
        return
    _state.holding += 1
    try:
        yield
    finally:
        _state.holding -= 1
    if not _state.holding and _state.deferred:
        _state.deferred = False
        assert _state.arrived is not None
        raise Interrupted(_state.arrived)
