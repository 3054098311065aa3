"""Recorded responses are data: `evals/recorded/<output-kind>.jsonl`, one Recording per line.

Replay scores these files and nothing else. `coach eval run --live --save-recording`
rewrites the lines of the cases it ran and keeps every other line as it was.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from coach.domain.errors import CoachError
from coach.domain.validation import explain
from coach.evals import DATA_DIR
from coach.evals.schema import OutputKind, Recording

RECORDED_DIR = DATA_DIR / "recorded"


def recording_path(directory: Path, kind: OutputKind) -> Path:
    return directory / f"{kind.value}.jsonl"


def load_recordings(directory: Path = RECORDED_DIR) -> dict[str, Recording]:
    """Every recording in the folder, by case id; a bad line names its file and line number."""
    found: dict[str, Recording] = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                recording = Recording.model_validate_json(line)
            except ValidationError as exc:
                raise CoachError(f"{path.name} line {number}: {explain(exc)}",
                                 hint="Fix the line or re-record it with `coach eval run --live "
                                      "--save-recording`.") from None
            if recording.kind.value != path.stem:
                raise CoachError(f"{path.name} line {number} holds a '{recording.kind.value}' recording",
                                 hint=f"Move it to {recording.kind.value}.jsonl.")
            if recording.case_id in found:
                raise CoachError(f"{path.name} line {number}: case '{recording.case_id}' recorded twice")
            found[recording.case_id] = recording
    return found


def save_recordings(recordings: list[Recording], directory: Path = RECORDED_DIR,
                    order: list[str] | None = None) -> list[Path]:
    """Merge `recordings` into the folder: same case id replaces, others stay. Lines are kept
    in dataset order (`order`, a list of case ids) so diffs stay small."""
    directory.mkdir(parents=True, exist_ok=True)
    existing = load_recordings(directory)
    for recording in recordings:
        existing[recording.case_id] = recording
    rank = {case_id: i for i, case_id in enumerate(order or [])}
    written: list[Path] = []
    touched = {r.kind for r in recordings}
    for kind in touched:
        lines = sorted((r for r in existing.values() if r.kind == kind),
                       key=lambda r: (rank.get(r.case_id, len(rank)), r.case_id))
        path = recording_path(directory, kind)
        tmp = path.with_suffix(".jsonl.tmp")
        tmp.write_text("".join(r.model_dump_json(exclude_defaults=False) + "\n" for r in lines),
                       encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return sorted(written)
