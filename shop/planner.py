"""The query planner's statistics, gathered after migrations and after bulk loads so it picks the right index.

Without them SQLite guesses: on the product page it walked every published product along the listing's index
to find four of one producer (17–27 ms at 10,000 products) instead of taking that producer's few rows.
"""
from __future__ import annotations


def analyze(connection) -> None:
    """Gather the planner's statistics of every table (SQLite: sampled, so it stays quick on a large file)."""
    if connection.dialect.name == "sqlite":
        # A thousand rows per index tell one index from another as well as the whole table would.
        connection.exec_driver_sql("PRAGMA analysis_limit=1000")
    connection.exec_driver_sql("ANALYZE")
