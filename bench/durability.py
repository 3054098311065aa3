"""Kill a writer with SIGKILL at random moments; check every acknowledged write survived.

The worker (`python -m bench.durability worker HOME SEED`) adds, edits and imports
impact-log entries, saves drafts and appends role-play transcript turns, printing
`try ...` before and `ack ...` after each committed write. The checker kills it at a
random moment, reopens the store and verifies: every acknowledged write is there, no
batch is half-written, and SQLite's integrity check passes.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BATCH = 5


def worker(home: Path, seed: int) -> None:
    from coach.domain.evidence import EntryDraft
    from coach.store import Store, open_database

    rng = random.Random(seed)
    store = Store(open_database(home / "coach.db"))
    ids = [e.id for e in store.list_entries()]
    conv = store.new_conversation("roleplay", f"run {seed}")
    say = sys.stdout

    def ack(line: str) -> None:
        say.write(line + "\n")
        say.flush()

    for n in range(10_000):
        op = rng.choice(["add", "add", "edit", "import", "draft", "turn"])
        tag = f"s{seed}n{n}"
        if op == "edit" and not ids:
            op = "add"
        ack(f"try {op} {tag}")
        if op == "add":
            e = store.add_entry(EntryDraft(date=dt.date(2026, 1, 1), title=tag, metric=f"{n}%"))
            ids.append(e.id)
            ack(f"ack add {e.id} {tag}")
        elif op == "edit":
            target = rng.choice(ids)
            current = store.get_entry(target)
            store.update_entry(target, current.model_copy(update={"metric": tag}))
            ack(f"ack edit {target} {tag}")
        elif op == "import":
            saved = store.add_entries([EntryDraft(date=dt.date(2026, 2, 1), title=f"{tag} {i}")
                                       for i in range(BATCH)])
            ids.extend(e.id for e in saved)
            ack(f"ack import {saved[0].id} {tag}")
        elif op == "draft":
            art = store.save_artifact("proposal", "proposal", f"# Draft {tag}\n" + "x" * 2000)
            ack(f"ack draft {art.id} {tag}")
        else:
            store.add_messages(conv.id, [("you", f"{tag} ask", None),
                                         ("manager", f"{tag} answer", None)])
            ack(f"ack turn {conv.id} {tag}")


@dataclass
class Outcome:
    kills: int = 0
    acked: int = 0
    lost: list[str] = field(default_factory=list)
    torn: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    crashed: list[str] = field(default_factory=list)
    seconds: float = 0.0


    @property
    def ok(self) -> bool:
        return not (self.lost or self.torn or self.integrity or self.crashed)


def _verify(home: Path, lines: list[str], out: Outcome) -> None:
    from coach.store import Store, open_database

    store = Store(open_database(home / "coach.db"))
    check = store.db.query("PRAGMA integrity_check")[0]
    if list(check.values())[0] != "ok":
        out.integrity.append(str(check))
    entries = {e.id: e for e in store.list_entries()}
    titles = [e.title for e in entries.values()]
    drafts = {r["id"] for r in store.db.query("SELECT id FROM artifacts")}
    said = {r["content"] for r in store.db.query("SELECT content FROM messages")}
    in_flight = lines[-1].split() if lines and lines[-1].startswith("try ") else None
    last_edit: dict[int, str] = {}
    for line in lines:
        parts = line.split()
        if parts[0] != "ack":
            continue
        out.acked += 1
        op, key, tag = parts[1], int(parts[2]), parts[3]
        if op == "add" and (key not in entries or entries[key].title != tag):
            out.lost.append(line)
        elif op == "import" and sum(t.startswith(tag + " ") for t in titles) != BATCH:
            out.lost.append(line)
        elif op == "edit":
            last_edit[key] = tag
        elif op == "draft" and key not in drafts:
            out.lost.append(line)
        elif op == "turn" and f"{tag} ask" not in said:
            out.lost.append(line)
    # An edit still in flight at the kill may or may not have landed: both are fine.
    for key, tag in last_edit.items():
        metric = entries[key].metric if key in entries else None
        landed_late = in_flight is not None and in_flight[1] == "edit" and metric == in_flight[2]
        if metric != tag and not landed_late:
            out.lost.append(f"edit {key} {tag}")
    # Half-written batches: an import or a transcript turn is all there or not at all.
    batches: dict[str, int] = {}
    for t in titles:
        if " " in t:
            batches[t.split(" ")[0]] = batches.get(t.split(" ")[0], 0) + 1
    out.torn += [f"import {k}: {v} of {BATCH}" for k, v in batches.items() if v != BATCH]
    for conv in store.conversations("roleplay"):
        if len(store.messages(conv.id)) % 2:
            out.torn.append(f"transcript {conv.id}: odd number of messages")
    store.db.close()


def run(kills: int, home: Path, seed: int = 7, max_delay: float = 0.4) -> Outcome:
    """Start and SIGKILL the worker `kills` times against one home, verifying after each."""
    rng = random.Random(seed)
    out = Outcome()
    started = time.perf_counter()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for round_ in range(kills):
        proc = subprocess.Popen([sys.executable, "-m", "bench.durability", "worker", str(home),
                                 str(seed * 10_000 + round_)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                cwd=Path(__file__).resolve().parent.parent)
        # Wait until it writes, then kill it at a random moment mid-stream.
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.0, max_delay))
        if proc.poll() is not None:  # it must still be writing when the kill comes
            out.crashed.append(proc.stderr.read()[-500:])
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        proc.stderr.close()
        lines = [ln for ln in (first + rest).splitlines() if ln.strip()]
        # A line cut by the kill is not an acknowledgement.
        if lines and not (first + rest).endswith("\n"):
            lines = lines[:-1]
        out.kills += 1
        _verify(home, lines, out)
    out.seconds = time.perf_counter() - started
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = run(args.kills, Path(tmp))
    print("| durability (SIGKILL) | value |")
    print("| --- | --- |")
    print(f"| kills | {out.kills} |")
    print(f"| acknowledged writes checked | {out.acked} |")
    print(f"| lost acknowledged writes | {len(out.lost)} |")
    print(f"| half-written batches | {len(out.torn)} |")
    print(f"| integrity-check failures | {len(out.integrity)} |")
    print(f"| worker crashes before the kill | {len(out.crashed)} |")
    print(f"| wall time | {out.seconds:.1f} s |")
    return 0 if out.ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        worker(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(main())
