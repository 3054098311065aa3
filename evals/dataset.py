"""Load eval cases from `evals/datasets/`: YAML lists or JSONL lines, one case each.

A case names a person from `people.yaml` (profile + impact log, shared by many cases) or
carries its own `profile` and `entries`. Either way it resolves to a full `Sample`, so
scorers never look anything up.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from coach.domain.errors import CoachError
from coach.domain.validation import explain
from coach.evals import DATA_DIR
from coach.evals.schema import OutputKind, Sample

DATASETS_DIR = DATA_DIR / "datasets"
PEOPLE_FILE = "people.yaml"
DEFAULT_TODAY = dt.date(2025, 6, 2)


def _read(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise CoachError(f"{path.name} line {number} is not JSON: {exc.msg}") from None
        return rows
    data = yaml.safe_load(text) or []
    if isinstance(data, dict):
        data = data.get("cases", [])
    if not isinstance(data, list):
        raise CoachError(f"{path.name} must hold a list of cases (or a mapping with 'cases')")
    return data


def load_people(directory: Path = DATASETS_DIR) -> dict[str, dict[str, Any]]:
    """Named profiles with their impact logs, as raw mappings."""
    path = directory / PEOPLE_FILE
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise CoachError(f"{PEOPLE_FILE} must map a person's key to a profile and entries")
    return data


def _resolve(raw: dict[str, Any], people: dict[str, dict[str, Any]], where: str) -> Sample:
    raw = dict(raw)
    person_key = raw.pop("person", None)
    case_input: dict[str, Any] = {}
    if person_key is not None:
        if person_key not in people:
            raise CoachError(f"{where}: unknown person '{person_key}'",
                             hint=f"Define it in {PEOPLE_FILE} or use one of: {', '.join(sorted(people))}.")
        person = people[person_key]
        case_input["profile"] = dict(person["profile"])
        case_input["entries"] = list(person.get("entries", []))
    for key in ("profile", "entries", "task", "today"):
        if key in raw:
            value = raw.pop(key)
            if key == "profile" and key in case_input:  # a case may override a few fields
                value = {**case_input["profile"], **value}
            case_input[key] = value
    case_input.setdefault("today", DEFAULT_TODAY)
    raw["input"] = case_input
    metadata = raw.setdefault("metadata", {})
    if person_key:
        metadata.setdefault("person", person_key)
    try:
        return Sample.model_validate(raw)
    except ValidationError as exc:
        raise CoachError(f"{where}: {explain(exc)}", hint="Fix the case in the dataset file.") from None


def load_samples(directory: Path = DATASETS_DIR, *, kinds: set[OutputKind] | None = None,
                 ids: set[str] | None = None) -> list[Sample]:
    """Every case in the folder (sorted by file, then file order), optionally filtered."""
    if not directory.is_dir():
        raise CoachError(f"no dataset folder at {directory}")
    people = load_people(directory)
    samples: list[Sample] = []
    files = sorted(p for p in directory.iterdir()
                   if p.suffix in (".yaml", ".yml", ".jsonl") and p.name != PEOPLE_FILE)
    for path in files:
        for index, raw in enumerate(_read(path), start=1):
            if not isinstance(raw, dict):
                raise CoachError(f"{path.name} case {index} is not a mapping")
            samples.append(_resolve(raw, people, f"{path.name} case {raw.get('id', index)}"))
    dupes = [i for i, n in Counter(s.id for s in samples).items() if n > 1]
    if dupes:
        raise CoachError(f"duplicate case ids: {', '.join(sorted(dupes))}", hint="Case ids must be unique.")
    if ids:
        unknown = ids - {s.id for s in samples}
        if unknown:
            raise CoachError(f"no case with id {', '.join(sorted(unknown))}",
                             hint="`coach eval cases` lists them.")
        samples = [s for s in samples if s.id in ids]
    if kinds:
        samples = [s for s in samples if s.kind in kinds]
    return samples
