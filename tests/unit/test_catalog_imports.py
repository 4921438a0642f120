"""The catalog sits below the cart and checkout, and above sales points: imports flow one way."""
from __future__ import annotations

import pytest
from test_import_graph import _graph, _package  # the walker of every shop import, kept in one place


@pytest.mark.parametrize(("package", "must_not_import"), [
    ("sales_points", "catalog"),
    ("cart", "checkout"),
    ("catalog", "cart"),
    ("catalog", "checkout"),
    ("catalog", "fulfillment"),
])
def test_a_lower_package_never_imports_a_higher_one(package, must_not_import):
    assert f"shop.{must_not_import}" not in _graph(_package)[f"shop.{package}"]
