"""Evals: score every kind of coach output against the guidance's steps, on recorded responses.

`coach eval run --replay` scores `evals/recorded/` with no model call; `--live` generates
through the app's services and the judge model. See evals/README.md.
"""
