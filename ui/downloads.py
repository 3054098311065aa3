"""Files handed to the browser by a one-click download button.

Gradio serves a file only from the system's temp folder or the working directory; the data
home is usually neither, and must not be served as a whole (it holds the database). So each
file a button offers is written to, or copied into, a private temp folder per user, under a
fixed name: a new draft replaces the last one instead of piling up.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
from pathlib import Path

from coach.services.context import Context

_root: Path | None = None
_lock = threading.Lock()


def folder(ctx: Context) -> Path:
    """This user's download folder (readable by this OS user only)."""
    global _root
    with _lock:
        if _root is None or not _root.is_dir():
            _root = Path(tempfile.mkdtemp(prefix="coach-downloads-"))
    key = hashlib.sha256(str(ctx.settings.home).encode()).hexdigest()[:16]
    path = _root / key
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def offer(ctx: Context, source: str | Path) -> str:
    """A copy of `source` the download button can serve (same file name)."""
    target = folder(ctx) / Path(source).name
    shutil.copyfile(source, target)
    return str(target)
