"""Login for the multi-user service: Gradio's `auth=` callable over the users file.

The file is re-read at each login, so `coach users add/rm` take effect without a restart.
Nothing here logs or returns the password.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coach.services import users


def make_auth(users_file: Path | str) -> Callable[[str, str], bool]:
    path = Path(users_file)

    def check(username: str, password: str) -> bool:
        return users.verify(path, username, password)

    return check
