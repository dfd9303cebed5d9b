"""The layout docs/architecture.md describes: imports run one way between the apps, nothing of
the product imports the bench tools, and modules stay small enough to read."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# app -> the apps of ours it may import (docs/architecture.md, "The apps").
MAY_IMPORT = {
    "tracker": {
        "plans",
        "access",
        "progress",
        "indicators",
        "reminders",
        "recommendations",
        "boards",
    },  # fmt: skip
    "plans": set(),
    "access": {"plans"},
    "progress": {"plans", "access"},
    "indicators": {"plans"},
    "reminders": {"plans"},
    "recommendations": {"plans"},
    "boards": {"plans", "access", "progress", "indicators", "recommendations"},
    "demo": {
        "plans",
        "access",
        "progress",
        "indicators",
        "reminders",
        "recommendations",
        "boards",
    },  # fmt: skip
    "bench": {
        "plans",
        "access",
        "progress",
        "indicators",
        "reminders",
        "recommendations",
        "boards",
        "demo",
        "tracker",
    },  # fmt: skip
}
OUR_APPS = set(MAY_IMPORT)

MOST_LINES = 500


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & OUR_APPS


def test_imports_run_one_way_between_the_apps():
    backwards = [
        f"{path.relative_to(ROOT)} imports {other}"
        for app, allowed in MAY_IMPORT.items()
        for path in modules(app)
        for other in sorted(imported_apps(path) - allowed - {app})
    ]
    assert backwards == []


def test_the_settings_name_every_app_the_layout_knows():
    installed = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    assert OUR_APPS - {"tracker"} <= installed | {"bench"}


def test_no_module_is_too_long_to_read():
    too_long = {
        str(path.relative_to(ROOT))
        for app in MAY_IMPORT
        for path in modules(app)
        if len(path.read_text().splitlines()) > MOST_LINES
    }
    assert too_long == set(), "split these into modules named for what they hold"
