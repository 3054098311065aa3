"""What indexing did, and how the index compares with the files."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SkippedFile:
    source: str
    reason: str


@dataclass
class IndexReport:
    """What one `index()` run did."""

    files_total: int = 0
    files_indexed: int = 0  # new or changed, read and embedded
    files_unchanged: int = 0
    files_removed: int = 0
    chunks_embedded: int = 0
    chunks_deleted: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    rebuilt_manifest: bool = False
    skipped: list[SkippedFile] = field(default_factory=list)


@dataclass
class ConsistencyReport:
    """How the index compares with the files on disk; `ok` when they match exactly."""

    missing: list[str] = field(default_factory=list)  # files with no chunks in the index
    stale: list[str] = field(default_factory=list)  # indexed from an older version of the file
    orphaned: list[str] = field(default_factory=list)  # chunks whose file is gone
    unreadable: list[str] = field(default_factory=list)  # files indexing skips (not an error)
    manifest_in_sync: bool = True
    chunks_in_index: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned) and self.manifest_in_sync
