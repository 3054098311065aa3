"""Freed memory is scrubbed: a block handed out again holds nothing of what was freed in it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coach.heap import scrub_freed_memory

# A fresh process frees a block holding a secret, asks for one of the same size (glibc hands
# back the same block) and prints whether the secret is still in it.
PROBE = """
import ctypes, sys
from coach.heap import scrub_freed_memory
if sys.argv[1] == "scrub":
    assert scrub_freed_memory()
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
SIZE, SECRET = 64 * 1024, b"cc-canary-secret-" * 100
first = libc.malloc(SIZE)
keep = libc.malloc(64)  # so the freed block does not melt into the top of the heap
ctypes.memmove(first, SECRET, len(SECRET))
libc.free(first)
again = libc.malloc(SIZE)
print(again == first, b"cc-canary" in ctypes.string_at(again, SIZE))
"""


def _probe(mode: str) -> str:
    return subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                          check=True).stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux") or not scrub_freed_memory(),
                    reason="glibc only")
def test_a_reused_block_holds_nothing_of_what_was_freed():
    assert _probe("keep") == ["True", "True"]  # the probe sees stale data when nothing scrubs
    assert _probe("scrub") == ["True", "False"]
