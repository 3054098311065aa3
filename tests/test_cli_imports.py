"""Commands that call no model load none of the model, prompt, index or web libraries.

Each command runs as `coach` does, in a fresh interpreter; what it imported is read from
`sys.modules` at exit (a structural check: the timings are bench/bench_cli.py's job).
"""

from __future__ import annotations

import pytest

from bench.bench_cli import COMMANDS, heavy_modules, seeded_env


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    return seeded_env(tmp_path_factory.mktemp("cli-imports") / "home")


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_command_without_a_model_imports_no_heavy_library(env, argv):
    assert heavy_modules(argv, env) == [], f"`coach {' '.join(argv)}` imported these"


def test_a_search_of_an_index_up_to_date_imports_no_model_or_prompt_library(env):
    heavy_modules(("init",), env)  # builds the index: cutting documents needs langchain's splitters
    loaded = heavy_modules(("search", "timing"), env)
    assert "chromadb" in loaded
    assert not {"litellm", "openai", "langchain_core", "gradio"} & set(loaded), loaded
