"""The shop's imports flow one way: no file and no package imports itself back through others.

Every import counts, at the top of a module or inside a function: an import moved into a function body
still ties the two rooms together, it only hides the circle from Python.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

SHOP = pathlib.Path(__file__).resolve().parents[2] / "shop"


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(SHOP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, pathlib.Path]:
    return {_module_name(p): p for p in SHOP.rglob("*.py")}


def _imports(name: str, path: pathlib.Path, known: set[str]) -> set[str]:
    """The shop modules a module imports (a `from package import module` names the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph(room) -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        source = room(name)
        edges = graph.setdefault(source, set())
        for target in _imports(name, path, known):
            if room(target) != source:
                edges.add(room(target))
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _file(name: str) -> str:
    return name


def _package(name: str) -> str:
    """shop.orders.models → shop.orders; shop.web → shop.web (a top-level module is its own room)."""
    parts = name.split(".")
    if len(parts) >= 2 and (SHOP / parts[1]).is_dir():
        return ".".join(parts[:2])
    return name


@pytest.mark.parametrize("level, room", [("file", _file), ("package", _package)])
def test_imports_of_the_shop_have_no_circle(level, room):
    assert _cycles(_graph(room)) == [], f"import circles between {level}s"


def test_the_walker_finds_a_circle_when_there_is_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_walker_reads_relative_and_from_imports(tmp_path):
    known = {"shop", "shop.orders", "shop.orders.models", "shop.links", "shop.orders.services"}
    source = tmp_path / "services.py"
    source.write_text("from . import models\nfrom shop.links import order_url\n"
                      "def f():\n    import shop.orders.models\n", encoding="utf-8")
    assert _imports("shop.orders.services", source, known) == {"shop.orders.models", "shop.links"}
