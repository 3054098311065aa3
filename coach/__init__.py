"""Promotion Coach: evidence, readiness, a written case, rehearsal and emails for asking for a promotion."""

__version__ = "0.1.0"
