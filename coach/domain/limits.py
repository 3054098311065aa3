"""The input budget: how much text each field may hold, on every face, before any work starts.

One table for the command line, the page and the API. A field over its budget is refused
with `TooLong` before anything is saved, searched or sent to a model, and the message names
the field in the core's words; each face words it its own way (a flag, a label, a
parameter) from `field`. Files a user hands over are checked by size before they are read
(`MAX_FILE_BYTES`), and the parsers that read them stop at a nesting depth.
"""

from __future__ import annotations

from coach.domain.errors import CoachError

# Field -> the most characters it may hold. The keys are the names the services and the API
# use for the field; a short title is a line, a description a long page, a paste a meeting.
BUDGET: dict[str, int] = {
    # the goal
    "name": 120,
    "manager_name": 120,
    "email": 254,  # the longest address the standard allows
    "current_title": 120,
    "target_title": 120,
    # an impact-log entry
    "title": 200,
    "metric": 300,
    "description": 20_000,
    "source": 500,
    # emails
    "reason": 1_000,  # why the user declines: a few sentences
    "summary": 6_000,  # a pasted meeting summary: a page
    "subject": 300,
    "body": 10_000,  # an email as the user edited it
    # conversations
    "message": 4_000,  # one chat question
    "line": 2_000,  # one thing said in the role-play
    "query": 2_000,  # a knowledge search
    # the written case as edited on the page
    "proposal": 100_000,
    # the user's own expectations of the next level
    "expectation_title": 120,
    "expectation_description": 1_000,
    "expectation_action": 400,
    "keywords": 1_000,
    # the people who decide
    "role": 120,
    "cares_about": 300,
    "interaction": 1_000,  # a note on one conversation
    # the offer on the table
    "offer_title": 120,
    "level": 120,
    "salary": 60,  # one amount: "$120k", "EUR 95,000"
    "scope": 1_000,
    "benefits": 1_000,
    "start": 40,  # a date, YYYY-MM-DD
    "gap": 300,  # one gap the manager named: a sentence
    "revisit": 40,  # a date, YYYY-MM-DD
}

# Files a user hands over, by what they are.
MAX_FILE_BYTES: dict[str, int] = {
    "log": 10 * 1024 * 1024,  # an impact-log import
    "document": 5 * 1024 * 1024,  # a knowledge document
    "script": 512 * 1024,  # a role-play script: a few hundred short lines
    "summary": 64 * 1024,  # a meeting summary read from a file
    "backup": 512 * 1024 * 1024,  # what a backup archive unpacks to: the database and documents
    "framework": 5 * 1024 * 1024,  # a career framework: a ladder, a table or a PDF of one
    "harvest": 8 * 1024 * 1024,  # an export to harvest: pull requests, tickets, a calendar, a note
}

# Nesting the parsers accept: an impact log is a list of flat objects (depth 2), front
# matter a flat mapping, a document's quotes and lists a few levels deep.
MAX_JSON_DEPTH = 8
MAX_YAML_DEPTH = 8
MAX_MARKDOWN_DEPTH = 16


class TooLong(CoachError):
    """A text field over its budget (`code="too-long"`, `field` is the budget's key)."""

    def __init__(self, field: str, length: int, limit: int, what: str | None = None):
        self.length = length
        self.limit = limit
        what = what or field.replace("_", " ")
        super().__init__(f"{what} is too long ({length:,} characters; the limit is {limit:,})",
                         code="too-long", field=field,
                         hint="Shorten it and try again; nothing was saved or sent.")


def check_length(field: str, value: str | None) -> str | None:
    """`value` unchanged if it fits `field`'s budget; `TooLong` otherwise (None passes)."""
    if value is None:
        return None
    limit = BUDGET[field]
    if len(value) > limit:
        raise TooLong(field, len(value), limit)
    return value


def check_lengths(**fields: str | None) -> None:
    """`check_length` for each keyword (the keyword is the field), in the order given."""
    for field, value in fields.items():
        if isinstance(value, str):
            check_length(field, value)
