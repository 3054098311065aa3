"""Sort a failed model call into "try again" or "stop and tell the user how to fix it".

Transient: rate limits, 5xx, timeouts, dropped connections, empty or malformed replies.
Permanent: a rejected key, an unknown model, a prompt too long, a malformed request,
and a replay with no matching recording. Each kind carries a message naming the fix,
never the key itself, and never the provider's own words: they may quote the request or
the account, and the message reaches people using the web app. The provider's words go
to the call log only (`_gateway._detail`).
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass

from coach.domain.errors import CoachError
from coach.llm.gateway._keys import key_env, provider_of
from coach.llm.gateway._litellm import litellm
from coach.llm.scrub import scrub


class EmptyCompletion(Exception):
    """The provider answered 200 with no text: worth one more try."""


class StreamCut(Exception):
    """A stream ended without a finish reason."""


@dataclass(frozen=True)
class Failure:
    """A classified failure: `kind` goes in the call log as `error:<kind>`."""

    kind: str
    transient: bool
    message: str
    retry_after_s: float | None = None


def retry_after_s(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date)."""
    headers = getattr(exc, "litellm_response_headers", None)
    if not headers:
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return max(0.0, email.utils.mktime_tz(parsed) - time.time())


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _status(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    return code if isinstance(code, int) else None


def classify(exc: BaseException, model: str) -> Failure:
    """Map any exception from a model call to a Failure with a user-facing message."""
    text = scrub(str(exc))
    names = {type(e).__name__ for e in _chain(exc)}
    status = _status(exc)
    env = key_env(model)

    if "CannotOverwriteExistingCassetteException" in names or "cassette" in text.lower():
        return Failure("no-recording", False,
                       f"no recorded answer matches this call to {model} (replay-only mode). "
                       "Re-record the cassettes with `make record` "
                       "(COACH_RECORD=1 pytest --record-mode=all; browser tests are "
                       "recorded by naming their file, see the README).")
    if isinstance(exc, CoachError):  # e.g. the embedded model is not installed: already clear
        return Failure("setup", False, str(exc))
    if isinstance(exc, EmptyCompletion):
        return Failure("empty", True, f"{model} returned an empty answer.")
    if isinstance(exc, StreamCut) or "MidStreamFallbackError" in names:
        return Failure("cut", True, f"the answer from {model} was cut off mid-stream.")
    if isinstance(exc, litellm.ContextWindowExceededError):
        return Failure("context-window", False,
                       f"the prompt is longer than {model} can read (context window exceeded): "
                       "shorten the input or use a model with a larger context.")
    missing_key = "Missing credentials" in text or "api_key client option must be set" in text
    if isinstance(exc, litellm.AuthenticationError) or status == 401 or missing_key:
        what = "is missing" if missing_key else "was rejected"
        return Failure("auth", False,
                       f"the API key for {provider_of(model)} {what}: set {env} to a "
                       f"valid key (model {model}).")
    if status == 403 or isinstance(exc, litellm.PermissionDeniedError):
        return Failure("forbidden", False,
                       f"the API key in {env} may not use {model}: check the key's access "
                       "or pick another model with --model / COACH_MODEL.")
    if isinstance(exc, litellm.NotFoundError) or status == 404:
        return Failure("not-found", False,
                       f"the model {model} was not found at its provider: check COACH_MODEL / "
                       "--model (and COACH_API_BASE); `coach models` lists what is configured.")
    if isinstance(exc, litellm.RateLimitError) or status == 429:
        return Failure("rate-limit", True, f"{model} is rate limited.", retry_after_s(exc))
    if isinstance(exc, litellm.Timeout) or any("Timeout" in n for n in names):
        return Failure("timeout", True, f"{model} did not answer in time.")
    if isinstance(exc, litellm.APIConnectionError) or names & {"ConnectError", "RemoteProtocolError",
                                                                "ReadError", "ConnectionResetError"}:
        return Failure("connection", True, f"could not reach {model} ({_what(exc)}).")
    malformed = any(s in text for s in ("Unterminated string", "Expecting value", "JSONDecodeError",
                                        "Expecting property name", "Invalid control character"))
    if malformed:
        return Failure("malformed", True, f"{model} sent a reply that is not valid JSON.")
    if isinstance(exc, litellm.BadRequestError | litellm.UnprocessableEntityError) or status in (
            400, 413, 422):
        if "LLM Provider NOT provided" in text or "does not exist" in text:
            return Failure("not-found", False,
                           f"LiteLLM does not know the model '{model}': use a provider/model "
                           "string such as openai/gpt-4o-mini (see the LiteLLM provider list).")
        return Failure("bad-request", False,
                       f"{model} refused the request (HTTP {status or 400}): check the model's "
                       "settings; the provider's reason is in the call log.")
    if status is not None and status >= 500 or isinstance(
            exc, litellm.InternalServerError | litellm.ServiceUnavailableError
            | litellm.BadGatewayError):
        return Failure("server", True, f"{model} had a server error ({status or 'no status'}).",
                       retry_after_s(exc))
    if isinstance(exc, litellm.APIError):
        return Failure("api", True, f"{model} failed ({_what(exc)}).")
    return Failure("unexpected", False, f"{model} failed ({_what(exc)}).")


def _what(exc: BaseException) -> str:
    """The kind of a failure without its text: the innermost exception's type."""
    return type(_chain(exc)[-1]).__name__
