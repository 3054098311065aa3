"""Persistence: the relational store (SQLite by default, PostgreSQL by URL)."""

from coach.store.db import Database, open_database
from coach.store.repo import Store

__all__ = ["Database", "Store", "open_database"]
