"""Prompt files: strict loading, no silent blanks, and every shipped prompt loads."""

from __future__ import annotations

import pytest

from coach.assets import prompts_dir
from coach.domain.errors import CoachError
from coach.prompts import MissingVariables, all_prompts, load_prompt

GOOD = """\
name: greet
version: "2"
system: You coach {user_name}.
template: Say hello to {user_name} about {topic}. Literal braces {{like this}}.
defaults:
  max_tokens: 50
"""


@pytest.fixture
def prompt_dir(tmp_path):
    (tmp_path / "greet.yaml").write_text(GOOD)
    return tmp_path


def test_render_fills_every_variable(prompt_dir):
    prompt = load_prompt("greet", prompt_dir)
    assert prompt.ref.name == "greet" and prompt.ref.version == "2"
    assert prompt.variables == {"user_name", "topic"}
    system, user = prompt.render(user_name="Ana", topic="the promotion", unused="ignored")
    assert system == {"role": "system", "content": "You coach Ana."}
    assert user["content"] == "Say hello to Ana about the promotion. Literal braces {like this}."
    assert prompt.defaults.max_tokens == 50 and prompt.defaults.temperature == 0.2


def test_missing_variable_raises(prompt_dir):
    prompt = load_prompt("greet", prompt_dir)
    with pytest.raises(MissingVariables) as err:
        prompt.render(user_name="Ana")
    assert "topic" in str(err.value)
    with pytest.raises(MissingVariables):
        prompt.render_user(user_name="Ana")
    with pytest.raises(MissingVariables):
        prompt.render_system()


@pytest.mark.parametrize("extra", ["temprature: 0.3", "defaults:\n  max_tokens: 5\n  top_p: 1"],
                         ids=["top-level", "in-defaults"])
def test_unknown_keys_are_rejected(tmp_path, extra):
    text = GOOD.replace("defaults:\n  max_tokens: 50\n", "") + extra + "\n"
    (tmp_path / "greet.yaml").write_text(text)
    with pytest.raises(Exception) as err:
        load_prompt("greet", tmp_path)
    assert "Extra inputs are not permitted" in str(err.value)


def test_name_must_match_the_file(tmp_path):
    (tmp_path / "other.yaml").write_text(GOOD)
    with pytest.raises(CoachError, match="declares name 'greet'"):
        load_prompt("other", tmp_path)


def test_missing_prompt_is_a_clear_error(tmp_path):
    with pytest.raises(CoachError, match="no prompt named 'nope'"):
        load_prompt("nope", tmp_path)


def test_every_shipped_prompt_loads():
    prompts = all_prompts()
    assert prompts, f"no prompts in {prompts_dir()}"
    names = [p.name for p in prompts]
    assert "models_test" in names
    assert len(names) == len(set(names))
    for prompt in prompts:
        assert prompt.version and prompt.system.strip() and prompt.template.strip()


@pytest.mark.parametrize("prompt", all_prompts(), ids=lambda p: p.name)
def test_every_shipped_prompt_names_what_it_needs(prompt):
    """Rendering with every variable works; with one missing it raises."""
    values = {name: f"<{name}>" for name in prompt.variables}
    messages = prompt.render(**values)
    assert [m["role"] for m in messages] == ["system", "user"]
    for name in prompt.variables:
        partial = {k: v for k, v in values.items() if k != name}
        with pytest.raises(MissingVariables):
            prompt.render(**partial)
