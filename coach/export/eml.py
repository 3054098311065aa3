"""Email drafts as .eml files any mail client opens as a draft, addressed to real people."""

from __future__ import annotations

import datetime as dt
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from coach.domain.errors import CoachError
from coach.domain.text import clean_line
from coach.export import save

# One plain address: no display name, no list, nothing a header could read as two.
PLAIN_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[A-Za-z]{2,}")


def _address(name: str, address: str, field: str) -> Address:
    address = clean_line(address)
    if not PLAIN_ADDRESS.fullmatch(address):
        raise CoachError(f"'{address}' is not an e-mail address" if address else
                         "an e-mail address is missing", code="no-address", field=field)
    user, domain = address.rsplit("@", 1)
    return Address(display_name=clean_line(name), username=user, domain=domain)


def build_message(*, to: str, to_address: str, sender: str, sender_address: str, subject: str,
                  body: str, date: dt.date | None = None) -> EmailMessage:
    """A plain-text message from `sender <sender_address>` to `to <to_address>`.

    Header values are cut to one clean line: a line break in a subject or a name could
    start a header of its own (a Bcc, say), and the email package refuses it outright.
    An address must be one plain address (`field` of the error: `manager_email`, `email`).
    """
    msg = EmailMessage()
    msg["To"] = _address(to, to_address, "manager_email")
    msg["From"] = _address(sender, sender_address, "email")
    msg["Subject"] = clean_line(subject)
    if date is not None:
        msg["Date"] = format_datetime(dt.datetime(date.year, date.month, date.day,
                                                  9, 0, tzinfo=dt.UTC))
    msg["X-Unsent"] = "1"  # opens as a draft in clients that support it
    msg.set_content(body)
    return msg


def write_eml(path: str | Path, message: EmailMessage) -> Path:
    return save(path, lambda target: target.write_bytes(bytes(message)))
