"""The catalog sits below the cart and checkout, and above sales points: imports flow one way."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SHOP = Path(__file__).resolve().parents[2] / "shop"


def imported_packages(package: str) -> set[str]:
    """Every shop package that a module of `package` imports, at module level or inside a function."""
    found = set()
    for path in (SHOP / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found |= {name.split(".")[1] for name in names if name.startswith("shop.") and name.count(".") >= 1}
    return found - {package}


@pytest.mark.parametrize(("package", "must_not_import"), [
    ("sales_points", "catalog"),
    ("cart", "checkout"),
    ("catalog", "cart"),
    ("catalog", "checkout"),
    ("catalog", "fulfillment"),
])
def test_a_lower_package_never_imports_a_higher_one(package, must_not_import):
    assert must_not_import not in imported_packages(package)
