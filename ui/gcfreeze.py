"""Take the server's long-lived objects out of the garbage collector's full passes.

A full (generation 2) collection walks every tracked object while it holds the GIL, so every
request in the process waits for it. Once the first user's index is warm, the server holds
about 280,000 such objects (the modules of gradio, chromadb, onnxruntime and the rest, the
Blocks, the caches), and one full pass took 180-250 ms. They live as long as the process.
`gc.freeze()` moves them to a permanent generation that collections no longer walk: under
`bench.bench_load`, the longest full pass in a window fell from 226-296 ms to 17-57 ms.

Done once, after the first index warm-up has imported the heavy modules, and after a
collection, so that no garbage is frozen along with them.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_once() -> bool:
    """Collect, then freeze everything still alive. Only the first call does this; returns
    whether this call did."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        _frozen = True
    gc.collect()
    gc.freeze()
    return True
