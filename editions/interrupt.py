"""SIGINT, SIGTERM and SIGHUP end the program at once, leaving nothing behind.

The first of them raises Interrupted in the main thread, wherever it is (in WeasyPrint's
layout, waiting on a worker): the build unwinds, ends its workers and removes its temporary
files; the exit status is 128 + the signal's number. Later signals are ignored, so that they
cannot cut that cleanup short. What must not be cut in two (renaming a publication's editions
into place, making and registering a temporary file) runs in held(): a signal arriving within
is raised at its end. An Interrupted can be swallowed (raised in an at-fork hook, a weakref
callback or a library's bare except): until the program takes it (acknowledge()), it is raised
again every RETRY_SECONDS, and the "Exception ignored" report of a swallowed one is left out.

Standard library only: installed first thing, before the imports (see __main__.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
RETRY_SECONDS = 0.1


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


def _forget_in_child() -> None:
    # A worker is forked within held() (editions/build.py): it must not inherit the hold, or
    # the SIGTERM that ends it would wait for a block that never ends in it.
    _state.holding = 0
    _state.deferred = False
    _state.arrived = None


os.register_at_fork(after_in_child=_forget_in_child)


def stop_on_signals() -> None:
    """Install the handlers (in the main thread of the main process)."""
    _state.pid = os.getpid()
    for signum in STOPPING:
        signal.signal(signum, _on_signal)
    sys.unraisablehook = _unraisable


def _unraisable(report: sys.UnraisableHookArgs) -> None:
    # Once stopping, what could not be raised (an Interrupted, or what it left behind in a
    # hook it cut short) is the interruption's doing: the one line says so.
    if _state.arrived is None:
        sys.__unraisablehook__(report)


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
    signal.signal(signal.SIGALRM, _again)
    signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS, RETRY_SECONDS)
    if _state.holding:
        _state.deferred = True
        return
    raise Interrupted(signum)


def acknowledge() -> None:
    """The program has taken the Interrupted and is cleaning up: raise it no more."""
    signal.setitimer(signal.ITIMER_REAL, 0)


def _again(signum: int, frame: FrameType | None) -> None:
    assert _state.arrived is not None
    if _state.holding:
        _state.deferred = True
        return
    raise Interrupted(_state.arrived)


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
