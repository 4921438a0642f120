"""Word-prefix product search: SQLite's FTS5 index, or a LIKE on the folded words elsewhere."""
from __future__ import annotations

from sqlalchemy import Integer, and_, column, func, text

from shop.catalog.models import Product
from shop.extensions import db

#: FTS5 table (and its shadow tables) kept in step with product.search_text by triggers
#: (migration 0002). Alembic must not try to drop them.
INDEX_TABLE = "product_search"


def matches(terms: list[str]):
    """Products whose search text has, for every term, a word starting with it."""
    if db.session.get_bind().dialect.name == "sqlite":
        # Terms are letters and digits only (shop.text.search_terms), safe inside FTS5 quotes.
        query = " ".join(f'"{term}"*' for term in terms)
        ids = text(f"SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH :query").bindparams(query=query)
        return Product.id.in_(ids.columns(column("rowid", Integer)))
    padded = func.concat(" ", Product.search_text)
    return and_(*(padded.like(f"% {term}%") for term in terms))


def is_index_table(name: str) -> bool:
    return name == INDEX_TABLE or name.startswith(INDEX_TABLE + "_")
