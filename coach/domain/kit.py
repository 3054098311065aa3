"""The external move kit: the answer to "tell me about your current role", a short profile
summary and the titles to search for, all from the profile and the impact log.

Deterministic: the answer is built in the guidance's framing (the title you have, the level
you work at, the work and results that show it) from the strongest next-level entries, their
titles and metrics word for word. No figure appears that is not in the log or the titles
(`kit_problems` checks it).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from coach.domain.advice.rule import GuideRef, ref
from coach.domain.evidence import Entry
from coach.domain.profile import Profile, Transition
from coach.domain.proposal import strongest
from coach.domain.text import figures_not_in, numbers_in

STORY = ref("moving-companies.md", "Telling your story in interviews")
EXTERNAL = ref("moving-companies.md", "The external promotion")
OUTSIDE = ref("moving-companies.md", "Weighing an outside offer")
KIT_ENTRIES = 3

# Words that name a level rather than the field of work: what is left is the field.
_LEVEL_WORDS = frozenset({"junior", "jr", "senior", "sr", "staff", "principal", "lead", "head",
                          "of", "manager", "director", "team", "tech", "chief", "associate",
                          "vp", "vice", "president", "distinguished", "i", "ii", "iii", "iv",
                          "group", "and", "&", "-", ","})
# Other names the same step goes by at other companies ({field}: the field of work).
_TITLES: dict[Transition, tuple[str, ...]] = {
    Transition.IC_TO_LEAD: ("Lead {field}", "{field} Lead", "Team Lead"),
    Transition.SENIOR_TO_STAFF: ("Staff {field}", "Principal {field}"),
    Transition.LEAD_TO_MANAGER: ("{field} Manager", "Team Manager"),
    Transition.MANAGER_TO_DIRECTOR: ("Director of {field}", "Head of {field}",
                                     "{field} Director"),
    Transition.OTHER: (),
}


class Kit(BaseModel):
    current_role: str = Field(..., description="The answer to 'tell me about your current role'.")
    summary: str = Field(..., description="A short profile summary for a CV or a profile page.")
    search_titles: list[str]
    entries: list[int] = Field(..., description="Ids of the log entries the answer uses.")
    notes: list[str] = Field(default_factory=list)
    rests_on: list[GuideRef]

    def text(self, *, notes: bool = True) -> str:
        """The kit as plain text; without `notes`, only what a user copies out (no notes, no
        guide references)."""
        lines = ["Tell me about your current role:", self.current_role, "", "Profile summary:",
                 self.summary, "", "Titles to search for: " + ", ".join(self.search_titles)]
        if notes:
            lines += [f"Note: {n}" for n in self.notes]
            lines.append("(" + "; ".join(g.label() for g in self.rests_on) + ")")
        return "\n".join(lines)


def field_of(title: str) -> str:
    """'Senior Software Engineer' -> 'Software Engineer'; 'Head of Data' -> 'Data'."""
    return " ".join(w for w in title.split() if w.lower().strip(".,") not in _LEVEL_WORDS)


def search_titles(profile: Profile) -> list[str]:
    """The target title first, then its other names; never the title the user has now."""
    field = field_of(profile.target_title) or field_of(profile.current_title)
    names = [profile.target_title]
    names += [t.format(field=field) for t in _TITLES[profile.transition]
              if field or "{field}" not in t]
    seen = {profile.current_title.lower()}
    out = []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def _deed(entry: Entry) -> str:
    """'Led the move (cut p95 900 ms to 350 ms)': the title as a clause, the metric verbatim."""
    title = entry.title.strip().rstrip(".")
    first = title.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():  # 'Led' -> 'led'; keep 'API' and names
        title = title[:1].lower() + title[1:]
    return f"{title} ({entry.metric})" if entry.metric else title


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    if len(parts) == 2:
        return " and ".join(parts)
    return "; ".join(parts[:-1]) + "; and " + parts[-1]


def build_kit(profile: Profile, entries: list[Entry]) -> Kit:
    """The kit from the profile and the log (no model)."""
    nxt = strongest([e for e in entries if e.next_level], n=KIT_ENTRIES)
    notes = []
    if nxt:
        used = nxt
        role = (f"My title is {profile.current_title}, but I have been working at the "
                f"{profile.target_title} level: I {_join([_deed(e) for e in used])}. "
                "I am looking for a role where the title matches the work I already do.")
        results = [e.metric for e in used if e.metric][:2]
        summary = (f"{profile.current_title} working at the {profile.target_title} level"
                   + (f", with results such as {' and '.join(results)}." if results else "."))
    else:
        used = strongest([e for e in entries if e.quantified], n=KIT_ENTRIES)
        notes.append("No entry in your log is marked next-level, so the answer does not claim "
                     "next-level work: mark the entries that show it, or log some.")
        role = f"My title is {profile.current_title}"
        role += (f". Recently I {_join([_deed(e) for e in used])}." if used else ".")
        role += f" I am looking for my next step, as {profile.target_title}."
        summary = f"{profile.current_title} aiming for {profile.target_title}."
    if not entries:
        notes.append("Your impact log is empty: every claim in the answer needs a result "
                     "from it.")
    missing = [e.cite() for e in used if not e.metric]
    if missing:
        notes.append(f"Add the measured result to {', '.join(missing)}: each claim should "
                     "carry one.")
    return Kit(current_role=role, summary=summary, search_titles=search_titles(profile),
               entries=[e.id for e in used], notes=notes, rests_on=[STORY, EXTERNAL, OUTSIDE])


def kit_problems(kit: Kit, profile: Profile, entries: list[Entry]) -> list[str]:
    """Figures in the kit that are in neither the log nor the titles (should be none)."""
    allowed: set[str] = set()
    for text in [profile.current_title, profile.target_title,
                 *(f"{e.title} {e.metric}" for e in entries)]:
        allowed |= numbers_in(text)
    said = " ".join([kit.current_role, kit.summary, *kit.search_titles])
    return figures_not_in(re.sub(r"\[#\d+\]", "", said), allowed)
