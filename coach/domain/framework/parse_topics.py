"""Front matter that lists topics (areas), each with criteria per level number.

The shape, in YAML front matter (or a YAML/JSON file holding the same mapping)::

    title: Engineering ladder        # optional: the framework's name
    levels: 6                        # how many levels (a count)
    levelNames: [Junior, ..., Staff] # optional: their names, lowest first (else "Level N")
    topics:
      - name: delivery               # the area's id source ...
        title: Delivery              # ... and its shown name (either may be missing)
        content:
          - level: 1
            criteria: ["Ships small changes with help", ...]
            exampleCriteria:
              - criteria: "Breaks work into reviewable pieces"
                examples: ["Split the billing change into three pull requests"]

The prose body of such a file describes the framework and is not read for criteria.
"""

from __future__ import annotations

from typing import Any

from coach.domain.errors import CoachError
from coach.domain.framework.builder import FrameworkBuilder
from coach.domain.framework.model import Framework

MAX_LEVELS = 50


def _bad(message: str) -> CoachError:
    return CoachError(message, code="bad-framework", field="file",
                      hint="Each topic needs a name and a 'content' list of {level: N, criteria: "
                           "[...]} items, with N between 1 and the 'levels' count.")


def _texts(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    raise _bad(f"{where} must be a list of texts")


def _level_number(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise _bad(f"{where}: 'level' must be a whole number, not {value!r}")
    return int(str(value).strip())


def is_topics(data: Any) -> bool:
    return isinstance(data, dict) and "topics" in data


def from_topics(data: dict[str, Any], *, name: str | None, fallback: str,
                source: str = "") -> Framework:
    """The framework the `topics` mapping describes (see the module's docstring)."""
    topics = data.get("topics")
    if not isinstance(topics, list):
        raise _bad("'topics' must be a list")
    names = data.get("levelNames") or data.get("level_names")
    if names is not None and not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        raise _bad("'levelNames' must be a list of texts")
    count = data.get("levels")
    seen = [_level_number(item.get("level"), f"topic {i + 1}")
            for i, topic in enumerate(topics) if isinstance(topic, dict)
            for item in (topic.get("content") or []) if isinstance(item, dict)]
    if count is None:
        count = len(names) if names else max(seen, default=0)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_LEVELS:
        raise _bad(f"'levels' must be a count between 1 and {MAX_LEVELS}, not {count!r}")
    title = data.get("title") or data.get("name")
    builder = FrameworkBuilder(name or (str(title) if title else fallback), source)
    for n in range(1, count + 1):
        level_name = names[n - 1] if names and n <= len(names) else f"Level {n}"
        builder.add_level(level_name)
    for i, topic in enumerate(topics):
        if not isinstance(topic, dict):
            raise _bad(f"topic {i + 1} is not a mapping")
        area = str(topic.get("title") or topic.get("name") or "").strip()
        if not area:
            raise _bad(f"topic {i + 1} has no name or title")
        if topic.get("name") and topic.get("title"):
            builder.area_key(area, str(topic["name"]))
        content = topic.get("content") or []
        if not isinstance(content, list):
            raise _bad(f"topic '{area}': 'content' must be a list")
        for item in content:
            if not isinstance(item, dict):
                raise _bad(f"topic '{area}': each content item must be a mapping")
            number = _level_number(item.get("level"), f"topic '{area}'")
            if not 1 <= number <= count:
                raise _bad(f"topic '{area}' names level {number}, but the framework has "
                           f"{count} levels")
            for text in _texts(item.get("criteria"), f"topic '{area}', level {number}, criteria"):
                builder.add(number - 1, area, text)
            examples = item.get("exampleCriteria") or item.get("example_criteria") or []
            if not isinstance(examples, list):
                raise _bad(f"topic '{area}', level {number}: 'exampleCriteria' must be a list")
            for example in examples:
                if not isinstance(example, dict):
                    raise _bad(f"topic '{area}', level {number}: each example criterion must "
                               "be a mapping with 'criteria' and 'examples'")
                where = f"topic '{area}', level {number}, exampleCriteria"
                for text in _texts(example.get("criteria"), where):
                    builder.add(number - 1, area, text, _texts(example.get("examples"), where))
    return builder.build()
