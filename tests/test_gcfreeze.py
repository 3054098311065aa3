"""The web server keeps its long-lived objects out of full garbage collections."""

import subprocess
import sys

from tests.paths import REPO_ROOT

SCRIPT = """
import gc
from coach.ui.gcfreeze import freeze_once
first = freeze_once()
frozen = gc.get_freeze_count()
again = freeze_once()
print(first, frozen > 1_000, again, gc.get_freeze_count() == frozen)
"""


def test_freeze_once_freezes_what_is_alive_and_only_once():
    # In its own interpreter: a freeze would keep this test process's objects forever.
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=120, check=True)
    assert done.stdout.split() == ["True", "True", "False", "True"]
