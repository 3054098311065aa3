"""The one import of LiteLLM in the app, configured for offline use before anything calls it."""

from __future__ import annotations

import logging

from coach.config import set_offline_env
from coach.llm.scrub import install_log_scrubber

set_offline_env()  # LiteLLM fetches its cost map at import unless told not to

import litellm  # noqa: E402

litellm.telemetry = False
litellm.suppress_debug_info = True
for _name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
    logging.getLogger(_name).setLevel(logging.ERROR)
install_log_scrubber()

__all__ = ["litellm"]
