"""Keep secrets out of every message, log line and recorded call.

Provider errors sometimes echo the key (whole or masked) or a bearer header; logs and the
call table outlive the session. `scrub()` removes key-shaped strings and the values of
any environment variable whose name says it holds a secret. A traceback in a log keeps its
frames but not its messages (`quiet_traceback`): an exception's message may quote what a
user typed, and the server's log is read by people who are not that user.
"""

from __future__ import annotations

import logging
import os
import re
import traceback
from types import TracebackType

REDACTED = "[REDACTED]"
SECRET_SUFFIXES = ("_API_KEY", "_TOKEN", "_SECRET", "_SECRET_KEY", "_ACCESS_KEY")
_MIN_SECRET_LEN = 6  # shorter values would scrub ordinary words

_PATTERNS = [
    re.compile(r"\bsk-(?:ant-|proj-|or-)?[A-Za-z0-9_\-*]{8,}"),  # OpenAI/Anthropic/OpenRouter
    re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"),  # Google
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),  # GitHub
    re.compile(r"\bhf_[A-Za-z0-9]{20,}"),  # Hugging Face
    re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),  # Slack
    re.compile(r"\bgsk_[A-Za-z0-9]{20,}"),  # Groq
    re.compile(r"(?i)\b((?:bearer|basic)\s+)[A-Za-z0-9._~+/=\-]{8,}"),
    re.compile(r"(?i)((?:api[_-]?key|x-api-key|authorization|access[_-]?token|secret)"
               r"[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]{6,}"),
]


def _secret_env_values() -> list[str]:
    values = []
    for name, value in os.environ.items():
        if name.upper().endswith(SECRET_SUFFIXES) and len(value) >= _MIN_SECRET_LEN:
            values.append(value)
    return sorted(set(values), key=len, reverse=True)  # longest first: no partial leftovers


def scrub(text: object) -> str:
    """`text` as a string with API keys, tokens and bearer headers replaced by [REDACTED]."""
    out = str(text)
    for value in _secret_env_values():
        out = out.replace(value, REDACTED)
    for pattern in _PATTERNS:
        if pattern.groups:
            out = pattern.sub(lambda m: m.group(1) + REDACTED if m.lastindex else REDACTED, out)
        else:
            out = pattern.sub(REDACTED, out)
    return out


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def quiet_traceback(exc_info: ExcInfo | tuple[None, None, None] | BaseException) -> str:
    """A traceback that says where and what kind, not what: each exception of the chain with
    its frames and type, its message replaced by its length."""
    exc: BaseException | None = exc_info[1] if isinstance(exc_info, tuple) else exc_info
    chain: list[tuple[BaseException, str]] = []
    link = ""
    while exc is not None and len(chain) < 10 and all(exc is not e for e, _ in chain):
        chain.append((exc, link))
        if exc.__cause__ is not None:
            exc, link = exc.__cause__, "The above exception was the direct cause of:"
        elif exc.__context__ is not None and not exc.__suppress_context__:
            exc, link = exc.__context__, "During handling of the above exception, another occurred:"
        else:
            exc = None
    parts: list[str] = []
    for error, link in reversed(chain):  # oldest first, as Python prints them
        frames = "".join(traceback.format_tb(error.__traceback__))
        size = len(str(error))
        parts.append(f"Traceback (most recent call last):\n{frames}"
                     f"{type(error).__module__}.{type(error).__qualname__}: "
                     f"[message withheld: {size} characters]\n")
        if link:
            parts.append(f"\n{link}\n\n")
    return scrub("".join(parts))


class ScrubFilter(logging.Filter):
    """A logging filter that scrubs the rendered message of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        _scrub_record(record)
        return True


def _scrub_record(record: logging.LogRecord) -> None:
    try:
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text and record.exc_info[1] is not None:
            record.exc_text = quiet_traceback(record.exc_info)
    except Exception:  # never lose a log line to the scrubber itself
        pass


def install_log_scrubber() -> None:
    """Scrub every log record the process creates, whichever library logs it.

    A logger's filter does not see records from its child loggers (`openai._base_client`),
    so the record factory is the one place that catches them all. Installed once.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_coach_scrubs", False):
        return

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _scrub_record(record)
        return record

    factory._coach_scrubs = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
