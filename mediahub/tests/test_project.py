"""The project's own bookkeeping: every app's tests are collected by `make test`, and every app
is in the layers that import-linter checks."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _apps_with_tests() -> set[str]:
    return {
        path.parent.parent.name
        for path in ROOT.glob("*/tests/__init__.py")
        if (path.parent.parent / "__init__.py").exists()
    }


def test_every_apps_tests_are_collected():
    testpaths = set(PYPROJECT["tool"]["pytest"]["ini_options"]["testpaths"])
    apps = _apps_with_tests()
    assert "families" in apps  # the check sees the apps
    assert apps <= testpaths, f"not in pytest's testpaths: {sorted(apps - testpaths)}"


def test_every_app_is_in_a_layer():
    [contract] = PYPROJECT["tool"]["importlinter"]["contracts"]
    layered = {app.strip() for layer in contract["layers"] for app in layer.split("|")}
    assert _apps_with_tests() <= layered, sorted(_apps_with_tests() - layered)
