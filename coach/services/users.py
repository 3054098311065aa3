"""Accounts for the multi-user web service: a users file of scrypt password hashes.

The file maps each username to a salted scrypt hash (JSON, or YAML when the name ends in
.yaml/.yml). Passwords are never stored, logged or echoed; only the hash and its salt are.
Each user gets a data home of their own under the base home (`users/<username>`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from pathlib import Path

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError

MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # scrypt hashes anything, but a megabyte "password" is an accident
# scrypt cost: about 50 ms per check on this class of machine; memory 128 * r * n = 16 MiB.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class PasswordHash(BaseModel):
    """One user's stored credential: never the password itself."""

    salt: str = Field(..., description="Hex of 16 random bytes, unique per user.")
    hash: str = Field(..., description="Hex of the scrypt digest.")
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P


class UserList(BaseModel):
    """Who can log in (names only)."""

    path: str
    users: list[str]


def normalise_username(name: str) -> str:
    """Lower-case and check a username; it becomes a folder name, so it must be plain."""
    clean = (name or "").strip().lower()
    if not _NAME.match(clean):
        raise CoachError(f"'{name}' is not a valid username",
                         hint="Use 1-64 letters, digits, dots, dashes or underscores, "
                              "starting with a letter or digit.")
    return clean


def user_home(base_home: Path, username: str) -> Path:
    """The separate data home of one user under the service's base home."""
    return Path(base_home) / "users" / normalise_username(username)


def _digest(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * r * n, dklen=32)


def hash_password(password: str) -> PasswordHash:
    """A fresh random salt and the scrypt hash of the password."""
    _check_password(password)
    salt = secrets.token_bytes(16)
    return PasswordHash(salt=salt.hex(), hash=_digest(password, salt, SCRYPT_N, SCRYPT_R,
                                                      SCRYPT_P).hex())


def check_password(record: PasswordHash, password: str) -> bool:
    """True when the password matches; constant-time comparison of the digests."""
    if not password or len(password) > MAX_PASSWORD:
        return False
    try:
        digest = _digest(password, bytes.fromhex(record.salt), record.n, record.r, record.p)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest.hex(), record.hash)


def _check_password(password: str) -> None:
    # The messages never repeat the password.
    if len(password or "") < MIN_PASSWORD:
        raise CoachError(f"the password is too short (at least {MIN_PASSWORD} characters)",
                         hint="Choose a longer one; a few random words work well.")
    if len(password) > MAX_PASSWORD:
        raise CoachError(f"the password is longer than {MAX_PASSWORD} characters",
                         hint="Choose a shorter one.")


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in {".yaml", ".yml"}


def load_users(path: Path) -> dict[str, PasswordHash]:
    """Read the users file; a missing file is an empty one."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        if _is_yaml(path):
            import yaml

            raw = yaml.safe_load(text) or {}
        else:
            raw = json.loads(text) if text.strip() else {}
    except (OSError, ValueError) as exc:
        raise CoachError(f"cannot read the users file {path}: {type(exc).__name__}",
                         code="bad-users-file", field="users_file") from None
    if not isinstance(raw, dict):
        raise CoachError(f"the users file {path} is not a mapping of username to hash",
                         code="bad-users-file", field="users_file")
    users = {}
    for name, record in raw.items():
        try:
            users[normalise_username(str(name))] = PasswordHash.model_validate(record)
        except (CoachError, ValueError):
            raise CoachError(f"the users file {path} has a bad record for '{name}': remove that "
                             "user and add them again", code="bad-users-file",
                             field="users_file") from None
    return users


def save_users(path: Path, users: dict[str, PasswordHash]) -> None:
    """Write the users file atomically, readable by its owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {name: users[name].model_dump() for name in sorted(users)}
    if _is_yaml(path):
        import yaml

        text = yaml.safe_dump(data, sort_keys=True)
    else:
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_user(path: Path, name: str, password: str, *, replace: bool = False) -> str:
    """Add a user (or, with `replace`, set a new password); returns the stored name."""
    clean = normalise_username(name)
    users = load_users(path)
    if clean in users and not replace:
        raise CoachError(f"user '{clean}' already exists", code="exists", field="user")
    users[clean] = hash_password(password)
    save_users(path, users)
    return clean


def remove_user(path: Path, name: str) -> str:
    """Remove a user from the file; their data home is left in place."""
    clean = normalise_username(name)
    users = load_users(path)
    if clean not in users:
        raise CoachError(f"no user '{clean}' in {path}", code="not-found", field="user")
    del users[clean]
    save_users(path, users)
    return clean


def list_users(path: Path) -> UserList:
    return UserList(path=str(path), users=sorted(load_users(path)))


def credential_stamp(record: PasswordHash) -> str:
    """A short fingerprint of a stored hash. Setting a password again draws a new salt, so the
    stamp changes: web sessions opened under the old one no longer match it."""
    return hashlib.sha256(f"{record.salt}:{record.hash}".encode()).hexdigest()[:16]


def credential_stamps(path: Path) -> dict[str, str]:
    """Each user's current credential stamp (an unreadable file: nobody's)."""
    try:
        return {name: credential_stamp(record) for name, record in load_users(path).items()}
    except CoachError:
        return {}


def authenticate(path: Path, name: str, password: str) -> str | None:
    """The credential stamp when `name` is in the users file and the password matches, else
    None. Never raises."""
    try:
        record = load_users(path).get(normalise_username(name))
    except CoachError:
        return None
    if record is None:
        # Spend the same time as a real check so a response time does not reveal who exists.
        check_password(_DUMMY, password or "x")
        return None
    return credential_stamp(record) if check_password(record, password) else None


def verify(path: Path, name: str, password: str) -> bool:
    """True when `name` is in the users file and the password matches. Never raises."""
    return authenticate(path, name, password) is not None


_DUMMY = PasswordHash(salt="00" * 16, hash="00" * 32)
