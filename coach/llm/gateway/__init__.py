"""The only way to LiteLLM: the gateway, its retry policy, failure classes and key checks.

Nothing outside this package imports `litellm`: a caller that needs to know something
LiteLLM knows (why a call failed, whether a provider's key is set) asks here.
"""

from coach.llm.gateway._failures import Failure, classify, retry_after_s
from coach.llm.gateway._gateway import LiteLLMGateway, Target
from coach.llm.gateway._keys import KeyStatus, key_status
from coach.llm.gateway._retry import ONE_TRY, RetryPolicy

__all__ = ["ONE_TRY", "Failure", "KeyStatus", "LiteLLMGateway", "RetryPolicy", "Target",
           "classify", "key_status", "retry_after_s"]
