"""Where the tests find the checkout: its artifacts folder, its data folders and its scripts.

Product code reads shipped data through `coach.assets` and `coach.evals.DATA_DIR`; only tests
and benches know the repository's own layout.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO_ROOT / "artifacts"
