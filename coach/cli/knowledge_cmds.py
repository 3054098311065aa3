"""`coach knowledge` and `coach search`."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.cli.common import Result, add_command, text
from coach.services import knowledge
from coach.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("knowledge", help="the guidance library and your own documents")
    ksub = group.add_subparsers(dest="knowledge_command", metavar="ACTION", required=True)
    p = add_command(ksub, "add", cmd_add, help="add a document (.md, .txt or .pdf)")
    p.add_argument("file", type=Path)
    p.add_argument("--trusted", action="store_true",
                   help="you vouch for its text: the coach may quote it as guidance (default: "
                        "it is only material to read, never instructions or quotes)")
    add_command(ksub, "list", cmd_list, help="list the guidance and your documents")
    p = add_command(ksub, "rm", cmd_rm, help="remove one of your documents")
    p.add_argument("id")

    p = add_command(sub, "search", cmd_search, help="search the guidance")
    p.add_argument("query", type=text("query"))
    p.add_argument("--k", type=int, default=5, help="how many passages (1-20)")


def cmd_add(args: argparse.Namespace, ctx: Context) -> Result:
    info = knowledge.add_document(ctx, args.file, trusted=args.trusted)
    trust = " (trusted: may be quoted as guidance)" if info.trusted else ""
    return Result(info, f"Added {info.title} as {info.id}{trust}.")


def cmd_list(args: argparse.Namespace, ctx: Context) -> Result:
    docs = knowledge.list_documents(ctx)
    lines = [f"{d.id:<28} {d.kind:<9} {'trusted' if d.trusted else '-':<8} {d.title}"
             for d in docs]
    return Result(docs, "\n".join(lines) or "No documents.")


def cmd_rm(args: argparse.Namespace, ctx: Context) -> Result:
    info = knowledge.remove_document(ctx, args.id)
    return Result(info, f"Removed {info.id}.")


def cmd_search(args: argparse.Namespace, ctx: Context) -> Result:
    passages = knowledge.search(ctx, args.query, k=args.k)
    lines = []
    for i, p in enumerate(passages, start=1):
        snippet = " ".join(p.text.split())[:220]
        lines.append(f"[{i}] {p.citation()}  (score {p.score:.2f})\n    {snippet}")
    return Result(passages, "\n".join(lines) or "Nothing found.")
