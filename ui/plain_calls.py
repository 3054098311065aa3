"""Plain HTTP calls checked against the app's endpoints before Gradio sees them.

Gradio's `/call/<name>` and `/run/<name>` take the arguments as a positional list and fail a
list that is shorter than the endpoint's parameters (`{"error": null}`), although
`gradio_client` fills the defaults in for its callers; an unknown name or event index is a
500. Here a short list gets the documented defaults of the parameters it leaves out, a missing
required parameter is a 422 naming it, and an unknown endpoint is a 404 saying where the list
of endpoints is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

API_LIST = "/gradio_api/info"


@dataclass(frozen=True)
class Refusal:
    """An HTTP error to answer instead of passing the call on."""

    status: int
    detail: str


@dataclass(frozen=True)
class Param:
    name: str
    required: bool
    default: Any = None


class Endpoints:
    """The app's endpoints, read from the Blocks once it is built.

    Args:
        blocks: the app (`gr.Blocks`).
    """

    def __init__(self, blocks: Any):
        self.blocks = blocks

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(fn.api_name for fn in self.blocks.fns.values() if fn.api_name)

    @cached_property
    def params(self) -> dict[str, list[Param]]:
        named = self.blocks.get_api_info()["named_endpoints"]
        return {name.lstrip("/"): [Param(p["parameter_name"], not p["parameter_has_default"],
                                         p.get("parameter_default"))
                                   for p in info["parameters"]]
                for name, info in named.items()}

    def unknown(self, api_name: str) -> Refusal:
        return Refusal(404, f"no endpoint named '/{api_name}' in this app: the endpoints are "
                            f"listed at {API_LIST} (or `client.view_api()`)")

    def check_index(self, body: dict) -> Refusal | None:
        """A page event (`queue/join`) must name an event the app has."""
        index = body.get("fn_index")
        if isinstance(index, int) and index not in self.blocks.fns:
            return Refusal(404, f"no event number {index} in this app")
        return None

    def complete_positional(self, api_name: str, body: dict) -> Refusal | None:
        """Fill the defaults of parameters a `{"data": [...]}` call leaves out (in place)."""
        if api_name not in self.names:
            return self.unknown(api_name)
        params = self.params.get(api_name)
        data = body.get("data")
        if params is None or not isinstance(data, list) or len(data) >= len(params):
            return None
        for param in params[len(data):]:
            if param.required:
                return self._missing(api_name, param)
            data.append(param.default)
        return None

    def complete_named(self, api_name: str, body: dict) -> Refusal | None:
        """Check a `/call/v2/<name>` body of named arguments (Gradio fills the defaults)."""
        if api_name not in self.names:
            return self.unknown(api_name)
        params = self.params.get(api_name)
        if params is None:
            return None
        known = {p.name for p in params} | {"oauth_token"}
        extra = sorted(set(body) - known)
        if extra:
            return Refusal(422, f"/{api_name} has no parameter '{extra[0]}': its parameters "
                                f"are {', '.join(p.name for p in params) or 'none'}")
        for param in params:
            if param.required and param.name not in body:
                return self._missing(api_name, param)
        return None

    @staticmethod
    def _missing(api_name: str, param: Param) -> Refusal:
        return Refusal(422, f"/{api_name} needs the parameter '{param.name}' (see {API_LIST})")
