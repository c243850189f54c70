"""How many editions a build renders at once: the cores, make -j1, or make's jobserver."""

from __future__ import annotations

import os
import select
from collections.abc import Iterator
from pathlib import Path

import pytest

from editions.jobserver import job_slots


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    read, write = os.pipe()
    yield read, write
    os.close(read)
    os.close(write)


def tokens_in(read: int) -> bytes:
    """Drain the pipe (without blocking) and return what it held."""
    taken = b""
    while select.select([read], [], [], 0)[0]:
        taken += os.read(read, 64)
    return taken


def test_without_make_every_wanted_slot_is_used():
    with job_slots(4, makeflags="") as slots:
        assert slots == 4


def test_make_j1_renders_one_edition_at_a_time():
    with job_slots(4, makeflags=" -j1") as slots:
        assert slots == 1
    with job_slots(4, makeflags="k -j1") as slots:
        assert slots == 1


def test_make_without_a_number_leaves_the_choice_to_the_build():
    with job_slots(3, makeflags=" -j") as slots:
        assert slots == 3


def test_free_slots_of_the_jobserver_are_borrowed_and_given_back(pipe: tuple[int, int]):
    read, write = pipe
    os.write(write, b"abc")
    with job_slots(3, makeflags=f" -j4 --jobserver-auth={read},{write}") as slots:
        assert slots == 3  # the slot this job holds, and two borrowed
        assert tokens_in(read) == b"c"
        os.write(write, b"c")
    assert sorted(tokens_in(read)) == sorted(b"abc")


def test_a_busy_jobserver_leaves_one_slot_without_waiting(pipe: tuple[int, int]):
    read, write = pipe
    with job_slots(4, makeflags=f" -j2 --jobserver-auth={read},{write}") as slots:
        assert slots == 1
    assert tokens_in(read) == b""


def test_borrowed_slots_are_given_back_when_the_build_fails(pipe: tuple[int, int]):
    read, write = pipe
    os.write(write, b"+")
    with pytest.raises(RuntimeError), job_slots(2, makeflags=f"--jobserver-auth={read},{write}"):
        assert tokens_in(read) == b""
        raise RuntimeError("a failed edition")
    assert tokens_in(read) == b"+"


def test_the_fifo_jobserver_of_make_4_4(tmp_path: Path):
    fifo = tmp_path / "jobserver"
    os.mkfifo(fifo)
    keep = os.open(fifo, os.O_RDWR)  # what make holds open
    try:
        os.write(keep, b"xy")
        with job_slots(2, makeflags=f" -j3 --jobserver-auth=fifo:{fifo}") as slots:
            assert slots == 2
        assert len(tokens_in(keep)) == 2
    finally:
        os.close(keep)


def test_a_jobserver_not_passed_on_means_one_slot():
    closed = os.open(os.devnull, os.O_RDONLY)
    os.close(closed)  # a descriptor number nobody holds
    with job_slots(4, makeflags=f" -j2 --jobserver-auth={closed},{closed}") as slots:
        assert slots == 1
