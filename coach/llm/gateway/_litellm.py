"""The one import of LiteLLM in the app, quiet and scrubbed before anything calls it.

The offline switches (`coach.config.set_offline_env`: no cost-map download, no telemetry)
are set by every entry point before this module can be imported.
"""

from __future__ import annotations

import logging

import litellm

from coach.llm.scrub import install_log_scrubber

litellm.telemetry = False
litellm.suppress_debug_info = True
for _name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
    logging.getLogger(_name).setLevel(logging.ERROR)
install_log_scrubber()

__all__ = ["litellm"]
