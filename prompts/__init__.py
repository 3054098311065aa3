"""Prompt files, one YAML file per prompt: data, not code. Installed as `coach.assets.prompts`."""
