"""Process memory hygiene: freed memory is overwritten before anything can reuse it.

Native libraries may write buffers to disk without clearing them first: the vector index
(hnswlib, inside chromadb) saves its whole preallocated capacity, and the unused slots held
whatever the process had freed there before, such as a hosted provider's error reply that
quoted the API key, or another user's text in multi-user mode. With glibc's perturb option
set, `free()` fills a released block with a fixed byte and `malloc()` hands out filled
blocks, so stale data can no longer reach a file. Not glibc (macOS, musl): nothing to do.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_PERTURB = -6  # glibc's mallopt() option number
PERTURB_BYTE = 0xA5


@functools.cache
def scrub_freed_memory() -> bool:
    """Turn glibc's perturb option on for this process (once); False where there is no glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_PERTURB, PERTURB_BYTE))
