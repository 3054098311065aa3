"""A small career framework for tests: three levels, three areas, two criteria per cell, as a
user would import it (a CSV of level, area, criterion rows)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from coach.domain.framework.model import Framework
from coach.domain.framework.parse_rows import from_rows, rows_from_csv

NAME = "Acme Engineering Framework"
LEVEL_NAMES = ("L3 Engineer", "L4 Senior Engineer", "L5 Staff Engineer")
TEXTS = {
    ("L3 Engineer", "Leadership"): ["Helps new joiners find their way around the codebase.",
                                    "Gives kind, specific feedback in code review."],
    ("L3 Engineer", "Delivery"): ["Delivers well-scoped tasks on time with little help.",
                                  "Raises blockers early in stand-up."],
    ("L3 Engineer", "Technical craft"): ["Writes tested, readable code in the team's main language.",
                                         "Fixes bugs by finding their root cause."],
    ("L4 Senior Engineer", "Leadership"): ["Mentors two or more engineers and grows their scope.",
                                           "Leads a project of several people from plan to launch."],
    ("L4 Senior Engineer", "Delivery"): ["Breaks a quarter's work into milestones and tracks the risks.",
                                         "Ships features that customers measurably use."],
    ("L4 Senior Engineer", "Technical craft"): [
        "Designs systems other teams build on, in written design docs.",
        "Improves the performance or reliability of a service, and shows it with figures."],
    ("L5 Staff Engineer", "Leadership"): ["Sets technical direction across several teams.",
                                          "Grows senior engineers into technical leads."],
    ("L5 Staff Engineer", "Delivery"): ["Delivers programmes that span teams and quarters.",
                                        "Changes how the organisation plans its work."],
    ("L5 Staff Engineer", "Technical craft"): [
        "Is the reference for a whole technical domain in the company.",
        "Writes standards the engineering organisation adopts."],
}
# The ids the import gives them (slugs of the names).
ENGINEER, SENIOR, STAFF = "l3-engineer", "l4-senior-engineer", "l5-staff-engineer"


def sample_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["level", "area", "criterion"])
    for (level, area), texts in TEXTS.items():
        for text in texts:
            writer.writerow([level, area, text])
    return out.getvalue()


def write_sample(folder: Path) -> Path:
    path = folder / "acme-ladder.csv"
    path.write_text(sample_csv(), encoding="utf-8")
    return path


def sample_framework(name: str = NAME) -> Framework:
    return from_rows(rows_from_csv(sample_csv()), name=name, source="acme-ladder.csv")
