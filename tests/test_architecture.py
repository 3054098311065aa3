"""The house rules, read from the code: imports point one way, one door to each heavy library,
no module imported by a string, and small modules.

Floors, lowest first (docs/architecture.md draws them): the domain; the adapters (store,
knowledge, model, prompt loader, export, config, shipped assets, the packaged fakes); the
services; then the faces, which may use each other only downward: evals, then the web app,
then the command line that starts them all.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT

MAX_LINES = 400

FLOORS: list[tuple[str, ...]] = [
    ("coach.domain",),
    ("coach.config", "coach.assets", "coach.store", "coach.knowledge", "coach.llm", "coach.prompts",
     "coach.export", "coach.testing", "coach.files", "coach.heap", "coach.sources"),
    ("coach.services",),
    ("coach.evals",),
    ("coach.ui",),
    ("coach.cli",),
]
# Which of our modules may import a heavy third-party library (the one door to it).
DOORS = {
    "litellm": ("coach.llm.gateway",),
    "gradio": ("coach.ui",),
    "chromadb": ("coach.knowledge",),
}
DOMAIN_MAY_IMPORT = {"pydantic", "typing_extensions"}
# Imports by name that load no module of ours: the embedded model's 22 weight packages.
STRING_IMPORTS_ALLOWED = {"coach/llm/weights.py"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # what it imports, absolute
    line: int


def _roots() -> dict[str, Path]:
    """Installed package name -> folder in the checkout (pyproject's mapping)."""
    setup = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return {"coach": REPO_ROOT / "coach",
            **{name: REPO_ROOT / folder for name, folder in setup["package-dir"].items()}}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for name, root in _roots().items():
        for path in root.rglob("*.py"):
            rel = path.relative_to(root).with_suffix("").parts
            if rel[-1] == "__init__":
                rel = rel[:-1]
            found[".".join((name, *rel))] = path
    return found


MODULES = _modules()


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _imports(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out = []
    package = module if _is_package(module) else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [Import(module, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            out.append(Import(module, base, node.lineno))
            out += [Import(module, f"{base}.{alias.name}", node.lineno) for alias in node.names
                    if f"{base}.{alias.name}" in MODULES]
            # `from coach.llm.gateway import litellm` reaches litellm as surely as an import.
            out += [Import(module, alias.name, node.lineno) for alias in node.names
                    if alias.name in DOORS]
    return out


ALL_IMPORTS = [imp for module in sorted(MODULES) for imp in _imports(module)]


def _floor(module: str) -> int | None:
    for level, prefixes in enumerate(FLOORS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return level
    return None


def _where(imp: Import) -> str:
    return f"{MODULES[imp.module].relative_to(REPO_ROOT)}:{imp.line} imports {imp.target}"


def test_every_module_sits_on_a_floor():
    homeless = [m for m in MODULES if _floor(m) is None and m not in ("coach",)]
    assert not homeless, f"modules on no floor (add them to FLOORS and the docs): {homeless}"


def test_imports_point_down():
    upward = [_where(i) for i in ALL_IMPORTS
              if i.target.startswith("coach.") and (a := _floor(i.module)) is not None
              and (b := _floor(i.target)) is not None and b > a]
    assert not upward, "a lower floor imports a higher one:\n" + "\n".join(upward)


def test_the_model_layer_never_imports_the_store():
    found = [_where(i) for i in ALL_IMPORTS
             if i.module.startswith("coach.llm") and i.target.startswith("coach.store")]
    assert not found, "\n".join(found)


def test_the_domain_imports_only_the_standard_library_and_pydantic():
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    found = [_where(i) for i in ALL_IMPORTS if i.module.startswith("coach.domain")
             and not i.target.startswith("coach.domain")
             and i.target.split(".")[0] not in stdlib | DOMAIN_MAY_IMPORT]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("library", sorted(DOORS))
def test_one_door_to_each_heavy_library(library):
    allowed = DOORS[library]
    found = [_where(i) for i in ALL_IMPORTS
             if i.target.split(".")[0] == library
             and not any(i.module == a or i.module.startswith(a + ".") for a in allowed)]
    assert not found, f"only {allowed} may import {library}:\n" + "\n".join(found)


def test_no_module_is_imported_by_a_string():
    found = []
    for path in MODULES.values():
        if str(path.relative_to(REPO_ROOT)) in STRING_IMPORTS_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in ("import_module", "__import__", "require"):
                    found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} calls {name}()")
    assert not found, "\n".join(found)


def test_no_module_passes_the_size_limit():
    long = {str(p.relative_to(REPO_ROOT)): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"
