"""The apps' layers: the base imports no app, and the layers contract covers every app.

`make lint` runs the whole contract (`lint-imports`, pyproject.toml); these tests keep its two
promises that matter most even when the contract's configuration is edited.
"""

import ast
import tomllib
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
BASE_APP = "khuyencong"


def project_packages() -> set[str]:
    """The project's own top-level packages: every app, demo and bench (tests aside)."""
    return {
        path.parent.name for path in BASE_DIR.glob("*/__init__.py") if path.parent.name != "tests"
    }


def imported_modules(path: Path):
    """(line, module) of every absolute import in a file, inside functions too."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_the_base_app_imports_no_other_app_of_the_project():
    others = project_packages() - {BASE_APP}
    assert {"facilities", "funding", "proposals"} <= others  # the scan sees the apps
    upward = [
        f"{path.relative_to(BASE_DIR)}:{line} imports {module}"
        for path in sorted((BASE_DIR / BASE_APP).rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[0] in others
    ]
    assert upward == []


def test_the_layers_contract_names_every_app_of_the_project():
    config = tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    linter = config["tool"]["importlinter"]
    (contract,) = [c for c in linter["contracts"] if c["type"] == "layers"]
    in_layers = {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    assert set(linter["root_packages"]) == project_packages()
    assert in_layers == project_packages()
    assert contract["layers"][-1] == BASE_APP
