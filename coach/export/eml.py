"""Email drafts as .eml files any mail client opens. No real addresses are needed."""

from __future__ import annotations

import datetime as dt
from email.headerregistry import Group
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from coach.domain.text import clean_line
from coach.export import save


def build_message(*, to: str, sender: str, subject: str, body: str,
                  date: dt.date | None = None) -> EmailMessage:
    """A plain-text message; To and From carry display names only (addresses left blank).

    Header values are cut to one clean line: a line break in a subject or a name could
    start a header of its own (a Bcc, say), and the email package refuses it outright.
    """
    msg = EmailMessage()
    msg["To"] = Group(display_name=clean_line(to) or "Manager")
    msg["From"] = Group(display_name=clean_line(sender) or "me")
    msg["Subject"] = clean_line(subject)
    if date is not None:
        msg["Date"] = format_datetime(dt.datetime(date.year, date.month, date.day,
                                                  9, 0, tzinfo=dt.UTC))
    msg["X-Unsent"] = "1"  # opens as a draft in clients that support it
    msg.set_content(body)
    return msg


def write_eml(path: str | Path, message: EmailMessage) -> Path:
    return save(path, lambda target: target.write_bytes(bytes(message)))
