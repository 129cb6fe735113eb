"""Dependencies run one way (pyproject.toml [tool.importlinter], issue 11).

lint-imports checks the layers over the real import graph; these tests run it too, and check
what it cannot see: an import of a portal module inside a function (the usual way to hide a
cycle), and a module of portal/ that no layer names (and so escapes the contract).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"

# "path:function" → why its portal import stays inside the function. Empty: keep it so.
ALLOWED_LOCAL_IMPORTS: dict[str, str] = {}


def portal_sources() -> list[Path]:
    return [
        path
        for path in sorted(PORTAL.rglob("*.py"))
        if "piccolo_migrations" not in path.parts and "__pycache__" not in path.parts
    ]


def local_portal_imports(path: Path) -> list[tuple[str, int]]:
    """(function, line) of each import of a portal module inside a function (or a method)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                names = [inner.module or ""] if not inner.level else ["(relative)"]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            if any(
                name == "portal" or name.startswith(("portal.", "(relative)")) for name in names
            ):
                found.append((node.name, inner.lineno))
    return found


def test_it_finds_no_portal_import_inside_a_function():
    found = [
        f"{path.relative_to(ROOT)}:{function} (line {line})"
        for path in portal_sources()
        for function, line in local_portal_imports(path)
        if f"{path.relative_to(ROOT)}:{function}" not in ALLOWED_LOCAL_IMPORTS
    ]
    assert found == [], "import at the top of the module (or move the code up a layer)"


def test_it_sees_an_import_inside_a_function_or_method(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from portal.placements import machine\n"
        "class C:\n    async def g(self):\n        import portal.candidates\n"
        "def h():\n    import json\n"
    )
    assert local_portal_imports(sample) == [("f", 2), ("g", 5)]


def test_it_puts_every_module_of_portal_in_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = config["tool"]["importlinter"]["contracts"]
    named = {
        part.strip(" ()")
        for layer in contract["layers"]
        for part in layer.replace("|", ":").split(":")
    }
    children = {
        path.stem if path.is_file() else path.name
        for path in PORTAL.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert children - named == set(), "add the new module to a layer in pyproject.toml"
    assert named - children == set()


def test_it_keeps_the_layers_contract():
    result = subprocess.run(
        [Path(sys.executable).parent / "lint-imports", "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_picture_in_docs_architecture_shows_the_layers_in_their_order():
    """docs/architecture.md draws the contract: each layer's first part, top to bottom."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = config["tool"]["importlinter"]["contracts"]
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    picture = doc[doc.index("```") : doc.index("```", doc.index("```") + 3)]
    firsts = [layer.replace("|", ":").split(":")[0].strip() for layer in contract["layers"]]
    lines = [
        next(i for i, line in enumerate(picture.splitlines()) if name in line) for name in firsts
    ]
    assert lines == sorted(lines), dict(zip(firsts, lines, strict=True))
