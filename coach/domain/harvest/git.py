"""A repository's history as candidate entries: one per piece of work, never one per commit.

`group_commits` links each of the user's commits to its pull request and ticket keys (a
commit naming both joins them), so a ticket done in two pull requests is one candidate.
Commits with neither are grouped by branch, then by topic, and a topic's commits split where
a week passes without one. Line and commit counts go in `counts`: they measure effort, not
a result. A metric is set only when a message states a result figure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from coach.domain.errors import CoachError
from coach.domain.evidence import Kind
from coach.domain.harvest.candidate import ADD_THE_RESULT, Candidate, SourceKind
from coach.domain.harvest.commit import (
    Commit,
    MergeInfo,
    area_of,
    attribute_merges,
    branch_topic,
    merge_info,
    pr_number,
    ticket_keys,
)
from coach.domain.harvest.common import cut
from coach.domain.harvest.figures import find_metric
from coach.domain.harvest.signals import suggest_kind, suggests_next_level

__all__ = ["Commit", "MergeInfo", "attribute_merges", "group_commits", "TOPIC_GAP"]

TOPIC_GAP = dt.timedelta(days=7)  # a topic's commits further apart than this are two pieces
MAX_EVIDENCE = 20_000
MAX_BODY = 5_000
MAX_LISTED = 25
MAX_DESCRIPTION = 4_000
_PR_SUFFIX = re.compile(r"\s*\(#\d+\)\s*$")
_NOISE = ("wip", "fixup!", "squash!", "typo", "lint", "format", "merge branch")


@dataclass
class _Group:
    ids: set[str] = field(default_factory=set)
    commits: list[Commit] = field(default_factory=list)


class _Links:
    """Union-find over the ids commits name (pr:12, ticket:PAY-42, branch:retry)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, items: Sequence[str]) -> None:
        for other in items[1:]:
            self.parent[self.find(other)] = self.find(items[0])


def _ids(commit: Commit) -> list[str]:
    """What names this commit's piece of work: its pull request, tickets, else its branch."""
    merge = commit.merged_via
    ids: list[str] = []
    pr = pr_number(commit.message)
    if pr is None and merge is not None:
        pr = merge.pr
    if pr is not None:
        ids.append(f"pr:{pr}")
    tickets = ticket_keys(commit.subject) or ticket_keys(commit.body)
    if merge is not None:
        tickets = tickets or ticket_keys(merge.branch) or ticket_keys(merge.title)
    ids.extend(f"ticket:{key}" for key in tickets[:1])
    if not ids and merge is not None and branch_topic(merge.branch):
        ids.append(f"branch:{branch_topic(merge.branch)}")
    return ids


def _topic_groups(commits: list[Commit]) -> list[_Group]:
    """Commits with no pull request, ticket or branch: by topic, split by a quiet week."""
    groups: list[_Group] = []
    last: dict[str, _Group] = {}
    for commit in sorted(commits, key=lambda c: c.date):
        area = area_of(commit) or "misc"
        group = last.get(area)
        if group is None or commit.date - group.commits[-1].date > TOPIC_GAP:
            group = _Group(ids={f"topic:{area}"})
            groups.append(group)
            last[area] = group
        group.commits.append(commit)
    return groups


def _join_by_files(loose: list[Commit], groups: list[_Group]) -> list[Commit]:
    """Adds to a group the loose commits that touch only its files, within a quiet week of it;
    returns the commits still loose. A follow-up that forgot its key still belongs to its work."""
    owners: dict[str, set[int]] = {}
    for index, group in enumerate(groups):
        for commit in group.commits:
            for path in commit.files:
                owners.setdefault(path, set()).add(index)
    left: list[Commit] = []
    for commit in loose:
        holders = [owners.get(path, set()) for path in commit.files]
        shared = set.intersection(*holders) if holders else set()
        near = [i for i in shared if any(abs(commit.date - c.date) <= TOPIC_GAP
                                         for c in groups[i].commits)]
        if len(near) == 1:
            groups[near[0]].commits.append(commit)
        else:
            left.append(commit)
    return left


def _pick_key(group: _Group, repo: str) -> str:
    prs = sorted(int(i[3:]) for i in group.ids if i.startswith("pr:"))
    if prs:
        return f"git:{repo}:pr:{prs[0]}"
    firsts = sorted(group.ids)
    tickets = [i for i in firsts if i.startswith("ticket:")]
    chosen = tickets[0] if tickets else firsts[0]
    if chosen.startswith("topic:"):
        return f"git:{repo}:{chosen}:{group.commits[0].date.date().isoformat()}"
    return f"git:{repo}:{chosen}"


def _clean_subject(subject: str) -> str:
    """'Cache templates (#123)' -> 'Cache templates': the number is in the link."""
    return _PR_SUFFIX.sub("", subject).strip() or subject.strip()


def _title(group: _Group, merges: list[MergeInfo]) -> str:
    titled = [m.title for m in merges if m.title]
    if titled:
        title = titled[0]
    else:
        subjects = [c.subject for c in group.commits if not c.is_merge]
        useful = [s for s in subjects if not s.lower().startswith(_NOISE)] or subjects
        title = _clean_subject(useful[0]) if useful else "Merged work"
    tickets = sorted(i[7:] for i in group.ids if i.startswith("ticket:"))
    if tickets and tickets[0] not in title:
        title = f"{tickets[0]}: {title}"
    return title[:200].strip() or "Work in the repository"


def _evidence(group: _Group, merges: list[MergeInfo], repo: str) -> tuple[str, list[str]]:
    """The source text, and the messages in it to read a metric from (only what is shown,
    so a figure is always in the evidence). The first MAX_LISTED commits are always kept:
    the description lists their subjects."""
    mine = [c for c in group.commits if not c.is_merge]
    budget = min(MAX_BODY, max(200, MAX_EVIDENCE // max(1, len(mine))))
    messages = [m.message for m in merges]
    sections = [f"merge {m.sha[:10]} {m.date.date().isoformat()}\n{m.message}" for m in merges]
    for commit in mine:
        body = commit.body if len(commit.body) <= budget else cut(commit.body, budget)
        messages.append(f"{commit.subject}\n\n{body}")
        sections.append(f"commit {commit.sha[:10]} {commit.date.date().isoformat()} "
                        f"{commit.author_email}\n{commit.subject}\n{body}".rstrip())
    must = len(merges) + MAX_LISTED
    kept, size = [f"repository {repo}"], 0
    for index, section in enumerate(sections):
        if index >= must and size + len(section) > MAX_EVIDENCE:
            kept.append("… and more commits")
            messages = messages[:index]
            break
        kept.append(section)
        size += len(section) + 2
    return "\n\n".join(kept), messages


def _description(group: _Group, repo: str) -> str:
    """The commits' subjects (no computed figure: every number here is in the evidence)."""
    subjects = [c.subject for c in group.commits if not c.is_merge]
    listed = [f"- {s}" for s in subjects[:MAX_LISTED]]
    if len(subjects) > MAX_LISTED:
        listed.append("- and more (see the evidence)")
    return cut("\n".join([f"Work in {repo}:", *listed]), MAX_DESCRIPTION)


def _candidate(group: _Group, repo: str, web_url: str, today: dt.date) -> Candidate:
    group.commits.sort(key=lambda c: c.date)
    mine = [c for c in group.commits if not c.is_merge]
    # the merges that brought the work in, whoever made them, and the user's own merges
    by_sha = {c.merged_via.sha: c.merged_via for c in group.commits if c.merged_via is not None}
    by_sha.update({c.sha: merge_info(c) for c in group.commits if c.is_merge})
    merges = sorted(by_sha.values(), key=lambda m: m.date)
    key = _pick_key(group, repo)
    prs = sorted({int(i[3:]) for i in group.ids if i.startswith("pr:")})
    if prs and web_url:
        link = f"{web_url}/pull/{prs[0]}"
    elif prs:
        link = f"{repo}#{prs[0]}"
    else:
        ends = [group.commits[0].sha[:10], group.commits[-1].sha[:10]]
        link = f"{repo}@{ends[0]}" + (f"..{ends[1]}" if ends[1] != ends[0] else "")
    evidence, messages = _evidence(group, merges, repo)
    metric = find_metric(*messages)
    # kind and level from the piece's title only: commit bodies are long and technical, and a
    # word like "demo" in one of twenty commits says little about the piece of work
    title = _title(group, merges)
    titles = [title] + [m.title for m in merges if m.title]
    paired = any(c.paired for c in group.commits)
    kind = suggest_kind(*titles, default=Kind.MENTORING if paired else Kind.RESULT)
    last = max([c.date for c in mine] + [m.date for m in merges]).date()
    files = {f for c in mine for f in c.files}
    counts = {"commits": len(mine), "additions": sum(c.additions for c in mine),
              "deletions": sum(c.deletions for c in mine), "files": len(files)}
    if len(prs) > 1:
        counts["pull_requests"] = len(prs)
    return Candidate(source=SourceKind.GIT, link=link[:500], key=key, date=min(last, today),
                     title=title, metric=metric,
                     description=_description(group, repo), kind=kind,
                     next_level=suggests_next_level(*titles), evidence=evidence,
                     counts=counts, nudge="" if metric else ADD_THE_RESULT)


def group_commits(commits: Sequence[Commit], repo: str, *, authors: Iterable[str] = (),
                  web_url: str = "", today: dt.date | None = None) -> list[Candidate]:
    """The user's commits as candidate entries, newest first.

    Args:
        commits: the user's commits (merge attribution already applied, see
            `attribute_merges`); with `authors`, any other author's commit is dropped here too.
        repo: the repository's name, used in keys and links.
        authors: the user's addresses or names; empty keeps every commit given.
        web_url: the repository's web address, for pull-request links ('' for none).
        today: dates after it (a skewed clock) are brought back to it.

    A merge commit joins its pull request's group but is not counted as a commit; a group
    holding only merges (the user pressed merge on someone else's work) is left out.
    """
    wanted = list(authors)
    mine = [c for c in commits if not wanted or c.by(wanted)]
    if not mine:
        raise CoachError("no commit by you in this history", code="not-yours",
                         hint="Check the author address: it must match the commits' author.")
    links = _Links()
    linked: list[tuple[Commit, list[str]]] = []
    loose: list[Commit] = []
    for commit in mine:
        ids = _ids(commit)
        if ids:
            links.join(ids)
            linked.append((commit, ids))
        elif not commit.is_merge:
            loose.append(commit)
    groups: dict[str, _Group] = {}
    for commit, ids in linked:
        group = groups.setdefault(links.find(ids[0]), _Group())
        group.ids.update(ids)
        group.commits.append(commit)
    all_groups = [g for g in groups.values() if any(not c.is_merge for c in g.commits)]
    all_groups += _topic_groups(_join_by_files(loose, all_groups))
    day = today or dt.date.today()
    found = [_candidate(g, repo, web_url.rstrip("/"), day) for g in all_groups]
    return sorted(found, key=lambda c: (c.date, c.key), reverse=True)
