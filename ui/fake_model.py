"""A fast scripted stand-in for the model, for the browser tests, the bench and demos.

It answers each prompt (by its name) with a short reply of the right shape, so every
tab runs end to end in well under a second: the services still validate the replies and
fall back to their deterministic drafts when a reply does not pass.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence

from coach.llm.base import Message, PromptRef
from coach.testing import ScriptedLLM

MANAGER_LINES = [
    "Thanks for walking me through that. What result are you proudest of this year?",
    "That is helpful context. How would the team change if you took on the bigger role?",
    "I hear you. Let me think about the timing and come back to you with next steps.",
]
PROPOSAL_INTROS = {
    "intro_1": "This section sums up my current role and the results I delivered in it.",
    "intro_2": "These pieces of work already show the scope of the next level.",
    "intro_3": "This is how I would grow the role over the first months.",
    "intro_4": "This is what I am asking for and when I would like to decide it.",
}


def _last_user(messages: Sequence[Message]) -> str:
    return next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")


class FakeCoachModel(ScriptedLLM):
    """Replies chosen by prompt name; `token_delay` spaces out streamed words.

    Args:
        token_delay: seconds to wait before each streamed word (0 for the fastest runs).
    """

    def __init__(self, *, token_delay: float = 0.0, model: str = "fake-coach"):
        super().__init__(default="", model=model)
        self.token_delay = token_delay
        self._turn = 0

    def _next(self, messages: Sequence[Message], prompt: PromptRef | None, kind: str) -> str:
        if self._queue:  # a test may still enqueue exact replies
            return super()._next(messages, prompt, kind)
        self.history.append(self._call(messages, prompt, kind))
        name = prompt.name if prompt else ""
        if name == "manager":
            self._turn += 1
            return MANAGER_LINES[(self._turn - 1) % len(MANAGER_LINES)]
        if name == "proposal":
            return json.dumps(PROPOSAL_INTROS)
        if name == "email":
            match = re.search(r"DRAFT:\s*\n(.*?)\n\s*\nRewrite the draft", _last_user(messages),
                              re.DOTALL)
            return match.group(1).strip() if match else "Thank you for your time."
        if name == "scorecard_judge":
            return json.dumps({"verdict": "yes", "quote": "", "reason": "The line does it."})
        if name == "script":  # echo the six lines back in the JSON shape asked for
            block = _last_user(messages).split("LINES:", 1)[-1].split("\n\nRewrite", 1)[0]
            pairs = (line.split(": ", 1) for line in block.strip().splitlines() if ": " in line)
            return json.dumps({key.strip(): text.strip() for key, text in pairs})
        if name == "chat":
            return ("Raise it a few months before the review cycle, after a clear win, and bring "
                    "your written case [1].")
        return "ok"

    @staticmethod
    def _call(messages, prompt, kind):
        from coach.testing import Call

        return Call(list(messages), prompt, kind)

    def stream(self, messages, *, prompt=None, max_tokens=512, temperature=0.2, cancel=None):
        for piece in super().stream(messages, prompt=prompt, max_tokens=max_tokens,
                                    temperature=temperature, cancel=cancel):
            if self.token_delay:
                time.sleep(self.token_delay)
            yield piece
