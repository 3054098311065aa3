"""Evals: score every kind of coach output against the guidance's steps, on recorded responses.

`coach eval run --replay` scores `evals/recorded/` with no model call; `--live` generates
through the app's services and the judge model. See evals/README.md.
"""

from importlib.resources import files
from pathlib import Path

# The datasets, rubrics, recordings and thresholds travel inside the package (package data).
DATA_DIR = Path(str(files(__name__)))
